import Link from "next/link";
import { Plus } from "lucide-react";
import { Button } from "@/components/ui/button";
import type { HealthPromise } from "@/components/endpoints/endpoint-health-cells";
import { EndpointsDataTable, type EndpointRow } from "@/components/endpoints/endpoints-data-table";
import { EmptyState } from "@/components/ui/empty-state";
import type { EndpointView } from "@/lib/endpoints/endpoints";
import { newEndpointPath } from "@/lib/routes";

/** `health` is still pending when the table renders: the health cells fill in as it streams. */
export function EndpointsTable({
  org,
  endpoints,
  health,
  canManage,
  webhooksEnabled,
}: {
  org: string;
  endpoints: EndpointView[];
  health: HealthPromise;
  canManage: boolean;
  webhooksEnabled: boolean;
}) {
  // Only what the list shows goes to the browser: custom header values can hold credentials.
  const rows: EndpointRow[] = endpoints.map(({ id, url, description, disabled, automaticDisable, eventTypes, createdAt }) => ({
    id,
    url,
    description,
    disabled,
    automaticDisable,
    eventTypes,
    createdAt,
  }));
  return (
    <EndpointsDataTable
      org={org}
      rows={rows}
      health={health}
      webhooksEnabled={webhooksEnabled}
      empty={
        <EmptyState
          title="No endpoints yet"
          description="An endpoint is a URL of yours that receives the event types you choose as signed POST requests."
          action={
            canManage ? (
              <Button asChild>
                <Link href={newEndpointPath(org)}>
                  <Plus aria-hidden /> Add your first endpoint
                </Link>
              </Button>
            ) : (
              <p className="text-sm text-muted-foreground">Owners and admins can add endpoints.</p>
            )
          }
        />
      }
    />
  );
}
