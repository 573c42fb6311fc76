import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { EndpointOverview } from "@/components/endpoints/endpoint-overview";
import { SigningSecretCard } from "@/components/endpoints/signing-secret-card";
import { hasRole, MANAGE_ROLE } from "@/lib/auth/roles";
import { requireMemberPage } from "@/lib/auth/session";
import { getEndpoint } from "@/lib/endpoints/endpoints";
import { rotationInProgress } from "@/lib/endpoints/secrets";

export const metadata: Metadata = { title: "Endpoint · Webhooks" };

export default async function EndpointOverviewPage({ params }: { params: Promise<{ org: string; endpointId: string }> }) {
  const { org, endpointId } = await params;
  const { organization, role } = await requireMemberPage(org);
  const endpoint = await getEndpoint(organization.id, endpointId);
  if (!endpoint) notFound();
  const previousValidUntil = await rotationInProgress(endpoint.id);
  return (
    <div className="space-y-6">
      <EndpointOverview org={org} endpoint={endpoint} />
      <SigningSecretCard org={org} endpointId={endpoint.id} canManage={hasRole(role, MANAGE_ROLE)} previousValidUntil={previousValidUntil?.toISOString() ?? null} />
    </div>
  );
}
