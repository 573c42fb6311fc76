import { PauseCircle } from "lucide-react";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";

/** What members of an organization staff disabled see on every page of it. */
export function OrganizationDisabledBanner({ name }: { name: string }) {
  return (
    <Alert variant="warning" className="mb-6" data-testid="organization-disabled-banner">
      <PauseCircle aria-hidden />
      <AlertTitle>{name} is disabled by the platform&apos;s staff</AlertTitle>
      <AlertDescription>
        Its API keys are refused and its webhooks are paused: deliveries wait and go out once it is enabled again. Nothing is lost. Contact the platform&apos;s
        support to have it enabled.
      </AlertDescription>
    </Alert>
  );
}
