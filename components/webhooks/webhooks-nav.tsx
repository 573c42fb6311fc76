import { SubNav } from "@/components/webhooks/sub-nav";
import { catalogPath, endpointsPath, messagesPath, testReceiverPath, webhooksOverviewPath, webhooksPath } from "@/lib/routes";

/** Tabs of Settings → Integrations → Webhooks. */
export function WebhooksNav({ org }: { org: string }) {
  return (
    <SubNav
      label="Webhooks sections"
      items={[
        { label: "Endpoints", href: endpointsPath(org), exact: true, alsoActiveUnder: [`${webhooksPath(org)}/endpoints`] },
        { label: "Overview", href: webhooksOverviewPath(org) },
        { label: "Message logs", href: messagesPath(org) },
        { label: "Event catalog", href: catalogPath(org) },
        { label: "Test receiver", href: testReceiverPath(org) },
      ]}
    />
  );
}
