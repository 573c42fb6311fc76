import type { Metadata } from "next";
import { Suspense } from "react";
import { EndpointHealthCard } from "@/components/endpoints/endpoint-health-card";
import { EndpointOverview } from "@/components/endpoints/endpoint-overview";
import { SigningSecretCard } from "@/components/endpoints/signing-secret-card";
import { hasRole, MANAGE_ROLE } from "@/lib/auth/roles";
import { requireMemberPage } from "@/lib/auth/session";
import { endpointForPage } from "@/lib/endpoints/lookup";
import { endpointHealth } from "@/lib/endpoints/health";
import { Skeleton } from "@/components/ui/skeleton";
import { rotationInProgress } from "@/lib/endpoints/secrets";

export const metadata: Metadata = { title: "Endpoint · Webhooks" };

export default async function EndpointOverviewPage({ params }: { params: Promise<{ org: string; endpointId: string }> }) {
  const { org, endpointId } = await params;
  const { organization, role } = await requireMemberPage(org, "VIEWER", { portal: true });
  const endpoint = await endpointForPage(organization.id, endpointId);
  // The layout answers an unknown endpoint with a 404; under this page's loading boundary it could not.
  if (!endpoint) return null;
  const previousValidUntil = await rotationInProgress(endpoint.id);
  return (
    <div className="space-y-6">
      <Suspense fallback={<Skeleton className="h-72 w-full" aria-label="Loading health" />}>
        <HealthSection org={org} organizationId={organization.id} endpointId={endpoint.id} />
      </Suspense>
      <EndpointOverview org={org} endpoint={endpoint} canManage={hasRole(role, MANAGE_ROLE)} />
      <SigningSecretCard owner={{ org, endpointId: endpoint.id }} canManage={hasRole(role, MANAGE_ROLE)} previousValidUntil={previousValidUntil?.toISOString() ?? null} />
    </div>
  );
}

async function HealthSection({ org, organizationId, endpointId }: { org: string; organizationId: string; endpointId: string }) {
  const health = await endpointHealth(organizationId, [endpointId]);
  return <EndpointHealthCard org={org} health={health.get(endpointId) ?? null} />;
}
