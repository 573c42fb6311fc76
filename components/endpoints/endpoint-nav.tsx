import { SubNav } from "@/components/webhooks/sub-nav";
import { endpointActivityPath, endpointAttemptsPath, endpointPath, endpointTestingPath } from "@/lib/routes";

/** An endpoint's tabs. */
export function EndpointNav({ org, endpointId }: { org: string; endpointId: string }) {
  return (
    <SubNav
      label="Endpoint sections"
      items={[
        { label: "Overview", href: endpointPath(org, endpointId), exact: true },
        { label: "Attempted messages", href: endpointAttemptsPath(org, endpointId) },
        { label: "Testing", href: endpointTestingPath(org, endpointId) },
        { label: "Activity", href: endpointActivityPath(org, endpointId) },
      ]}
    />
  );
}
