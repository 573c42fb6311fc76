import { SubNav } from "@/components/webhooks/sub-nav";
import { endpointActivityPath, endpointPath } from "@/lib/routes";

/** An endpoint's tabs. Attempted messages and Testing join this list with the delivery issue. */
export function EndpointNav({ org, endpointId }: { org: string; endpointId: string }) {
  return (
    <SubNav
      label="Endpoint sections"
      items={[
        { label: "Overview", href: endpointPath(org, endpointId), exact: true },
        { label: "Activity", href: endpointActivityPath(org, endpointId) },
      ]}
    />
  );
}
