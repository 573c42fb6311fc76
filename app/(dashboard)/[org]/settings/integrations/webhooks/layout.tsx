import { PageHeader } from "@/components/layout/page-header";
import { WebhooksNav } from "@/components/webhooks/webhooks-nav";
import { WebhooksStatusCard } from "@/components/webhooks/webhooks-status-card";
import { hasRole, MANAGE_ROLE } from "@/lib/auth/roles";
import { requireMemberPage } from "@/lib/auth/session";

/** Every Webhooks tab shares the header, the delivery status card and the section tabs. */
export default async function WebhooksLayout({ children, params }: { children: React.ReactNode; params: Promise<{ org: string }> }) {
  const { org } = await params;
  const { organization, role, portal } = await requireMemberPage(org, "VIEWER", { portal: true });
  return (
    <div className="mx-auto max-w-5xl space-y-6">
      <PageHeader
        breadcrumb={["Settings", "Integrations"]}
        title="Webhooks"
        description={`Push ${organization.name}'s events to your own systems as signed HTTP requests.`}
      />
      <WebhooksStatusCard org={organization.slug} enabled={organization.webhooksEnabled} canManage={hasRole(role, MANAGE_ROLE)} portal={portal} />
      <WebhooksNav org={organization.slug} />
      {children}
    </div>
  );
}
