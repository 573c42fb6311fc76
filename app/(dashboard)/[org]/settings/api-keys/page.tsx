import type { Metadata } from "next";
import { headers } from "next/headers";
import { ApiKeysPanel } from "@/components/api-keys/api-keys-panel";
import { SdkSnippetCard } from "@/components/api-keys/sdk-snippet-card";
import { PageHeader } from "@/components/layout/page-header";
import { snippetEvent } from "@/lib/api/sdk-snippet";
import { listOrganizationKeys, listPlatformKeys } from "@/lib/api-keys/manage";
import { hasRole, MANAGE_ROLE } from "@/lib/auth/roles";
import { requireMemberPage } from "@/lib/auth/session";
import { listEventTypeDetails } from "@/lib/catalog/event-types";
import { env } from "@/lib/env";
import { requestOrigin } from "@/lib/http/public-origin";

export const metadata: Metadata = { title: "API keys" };

export default async function ApiKeysPage({ params }: { params: Promise<{ org: string }> }) {
  const { org } = await params;
  const { organization, role, user } = await requireMemberPage(org);
  const [orgKeys, platformKeys, eventTypes] = await Promise.all([
    listOrganizationKeys(organization.id),
    user.isStaff ? listPlatformKeys() : Promise.resolve(null),
    listEventTypeDetails(),
  ]);
  const serverUrl = requestOrigin(await headers(), env().PORT);
  const event = snippetEvent(eventTypes);
  const snippet = event ? { serverUrl, event } : null;
  return (
    <div className="mx-auto max-w-5xl space-y-8">
      <PageHeader
        breadcrumb={["Settings"]}
        title="API keys"
        description={`Keys let your systems send events and read ${organization.name}'s webhook data through the HTTP API.`}
      />
      <ApiKeysPanel
        org={organization.slug}
        scope="ORGANIZATION"
        title="Organization keys"
        description={`Act on ${organization.name} only.`}
        keys={orgKeys}
        canManage={hasRole(role, MANAGE_ROLE)}
        snippet={snippet}
      />
      {platformKeys ? (
        <ApiKeysPanel
          org={organization.slug}
          scope="PLATFORM"
          title="Platform keys"
          description="For the platform's internal tools: may send events to any organization. Visible to platform staff only."
          keys={platformKeys}
          canManage={hasRole(role, MANAGE_ROLE)}
          snippet={snippet}
        />
      ) : null}
      <SdkSnippetCard org={organization.slug} serverUrl={serverUrl} event={event} />
    </div>
  );
}
