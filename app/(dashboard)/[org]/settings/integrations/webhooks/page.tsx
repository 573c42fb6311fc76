import type { Metadata } from "next";
import { WebhooksStatusCard } from "@/components/webhooks/webhooks-status-card";
import { PageHeader } from "@/components/layout/page-header";
import { hasRole, MANAGE_ROLE } from "@/lib/auth/roles";
import { requireMemberPage } from "@/lib/auth/session";

export const metadata: Metadata = { title: "Webhooks" };

export default async function WebhooksPage({ params }: { params: Promise<{ org: string }> }) {
  const { org } = await params;
  const { organization, role } = await requireMemberPage(org);
  return (
    <div className="mx-auto max-w-5xl space-y-6">
      <PageHeader
        breadcrumb={["Settings", "Integrations"]}
        title="Webhooks"
        description={`Push ${organization.name}'s events to your own systems as signed HTTP requests.`}
      />
      <WebhooksStatusCard org={organization.slug} enabled={organization.webhooksEnabled} canManage={hasRole(role, MANAGE_ROLE)} />
    </div>
  );
}
