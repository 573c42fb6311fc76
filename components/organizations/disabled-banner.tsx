import { PauseCircle } from "lucide-react";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";

/** What members of an organization staff disabled see on every page of it. */
export function OrganizationDisabledBanner({ name }: { name: string }) {
  return (
    // The width of the pages below it (max-w-5xl), so it lines up with their content.
    <Alert variant="warning" className="mx-auto mb-6 max-w-5xl" data-testid="organization-disabled-banner">
      <PauseCircle aria-hidden />
      <AlertTitle className="line-clamp-none">{name} is disabled by the platform&apos;s staff</AlertTitle>
      <AlertDescription>
        Its API keys are refused and its webhooks are paused: deliveries wait and go out once it is enabled again. Nothing is lost. Contact the platform&apos;s
        support to have it enabled.
      </AlertDescription>
    </Alert>
  );
}
