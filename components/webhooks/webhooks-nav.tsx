import { SubNav } from "@/components/webhooks/sub-nav";
import { catalogPath, endpointsPath, testReceiverPath, webhooksPath } from "@/lib/routes";

/** Tabs of Settings → Integrations → Webhooks. Message logs and Testing join this list later. */
export function WebhooksNav({ org }: { org: string }) {
  return (
    <SubNav
      label="Webhooks sections"
      items={[
        { label: "Endpoints", href: endpointsPath(org), exact: true, alsoActiveUnder: [`${webhooksPath(org)}/endpoints`] },
        { label: "Event catalog", href: catalogPath(org) },
        { label: "Test receiver", href: testReceiverPath(org) },
      ]}
    />
  );
}
