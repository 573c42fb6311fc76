import type { Metadata } from "next";
import Link from "next/link";
import { Plus } from "lucide-react";
import { EndpointsTable } from "@/components/endpoints/endpoints-table";
import { RetryScheduleNote } from "@/components/endpoints/retry-schedule-note";
import { Button } from "@/components/ui/button";
import { hasRole, MANAGE_ROLE } from "@/lib/auth/roles";
import { requireMemberPage } from "@/lib/auth/session";
import { deliveryConfig } from "@/lib/delivery/config";
import { describeSchedule } from "@/lib/delivery/schedule";
import { listEndpoints } from "@/lib/endpoints/endpoints";
import { streamedListHealth } from "@/lib/endpoints/list-health";
import { newEndpointPath } from "@/lib/routes";

export const metadata: Metadata = { title: "Endpoints · Webhooks" };

export default async function EndpointsPage({ params }: { params: Promise<{ org: string }> }) {
  const { org } = await params;
  const { organization, role } = await requireMemberPage(org, "VIEWER", { portal: true });
  const canManage = hasRole(role, MANAGE_ROLE);
  const endpoints = await listEndpoints(organization.id);
  // Not awaited: the table renders at once and every row's health streams in from this one query.
  const health = streamedListHealth(organization.id, endpoints.map((e) => e.id));
  return (
    <section aria-labelledby="endpoints-heading" className="space-y-4">
      <div className="flex items-center justify-between gap-4">
        <h2 id="endpoints-heading" className="text-lg font-semibold">
          Endpoints
        </h2>
        {canManage && endpoints.length > 0 ? (
          <Button asChild>
            <Link href={newEndpointPath(org)}>
              <Plus aria-hidden /> Add endpoint
            </Link>
          </Button>
        ) : null}
      </div>
      <EndpointsTable org={org} endpoints={endpoints} health={health} canManage={canManage} webhooksEnabled={organization.webhooksEnabled} />
      <RetryScheduleNote steps={describeSchedule(deliveryConfig().retrySchedule)} timeoutMs={deliveryConfig().attemptTimeoutMs} />
    </section>
  );
}
