import { notFound } from "next/navigation";
import { AutomaticDisableNotice } from "@/components/endpoints/automatic-disable-notice";
import { EndpointControls } from "@/components/endpoints/endpoint-controls";
import { EndpointNav } from "@/components/endpoints/endpoint-nav";
import { EndpointStatus } from "@/components/endpoints/endpoint-health-cells";
import { RecoveryMenu } from "@/components/recovery/recovery-menu";
import { TaskList } from "@/components/recovery/task-list";
import { hasRole, MANAGE_ROLE } from "@/lib/auth/roles";
import { requireMemberPage } from "@/lib/auth/session";
import { streamedListHealth } from "@/lib/endpoints/list-health";
import { endpointForPage } from "@/lib/endpoints/lookup";

export default async function EndpointLayout({ children, params }: { children: React.ReactNode; params: Promise<{ org: string; endpointId: string }> }) {
  const { org, endpointId } = await params;
  const { organization, role } = await requireMemberPage(org, "VIEWER", { portal: true });
  const endpoint = await endpointForPage(organization.id, endpointId);
  if (!endpoint) notFound();
  return (
    <section className="space-y-4" aria-labelledby="endpoint-heading">
      <div className="flex flex-wrap items-start justify-between gap-4">
        <div className="min-w-0 space-y-1">
          {/* Wrapped, never cut: on a phone the end of the URL is what tells two endpoints apart. */}
          <div className="flex flex-wrap items-center gap-x-2 gap-y-1">
            <h2 id="endpoint-heading" className="min-w-0 font-mono text-lg font-semibold break-all" title={endpoint.url}>
              {endpoint.url}
            </h2>
            {/* The same one status as the endpoints list (disabled, paused, failing or enabled); the health streams in. */}
            <EndpointStatus promise={streamedListHealth(organization.id, [endpoint.id])} id={endpoint.id} disabled={endpoint.disabled} webhooksEnabled={organization.webhooksEnabled} />
          </div>
          {endpoint.description ? <p className="text-sm text-muted-foreground">{endpoint.description}</p> : null}
        </div>
        {hasRole(role, MANAGE_ROLE) ? (
          <div className="flex flex-wrap gap-2">
            <RecoveryMenu org={org} endpointId={endpoint.id} disabled={endpoint.disabled} />
            <EndpointControls org={org} endpointId={endpoint.id} url={endpoint.url} disabled={endpoint.disabled} />
          </div>
        ) : null}
      </div>
      {endpoint.automaticDisable ? <AutomaticDisableNotice disable={endpoint.automaticDisable} canManage={hasRole(role, MANAGE_ROLE)} /> : null}
      <TaskList org={org} endpointId={endpoint.id} canManage={hasRole(role, MANAGE_ROLE)} />
      <EndpointNav org={org} endpointId={endpoint.id} />
      {children}
    </section>
  );
}
