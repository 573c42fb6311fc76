import Link from "next/link";
import { Plus } from "lucide-react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { EndpointStatusBadge } from "@/components/endpoints/endpoint-status-badge";
import { EmptyState } from "@/components/webhooks/empty-state";
import type { EndpointView } from "@/lib/endpoints/endpoints";
import { endpointPath, newEndpointPath } from "@/lib/routes";

const SHOWN_TYPES = 3;
const dateFormat = new Intl.DateTimeFormat("en-US", { dateStyle: "medium", timeZone: "UTC" });

export function EndpointsTable({ org, endpoints, canManage }: { org: string; endpoints: EndpointView[]; canManage: boolean }) {
  if (!endpoints.length) {
    return (
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
    );
  }
  return (
    <Table>
      <TableHeader>
        <TableRow>
          <TableHead>URL</TableHead>
          <TableHead>Description</TableHead>
          <TableHead>Status</TableHead>
          <TableHead>Subscribed types</TableHead>
          <TableHead>Created</TableHead>
        </TableRow>
      </TableHeader>
      <TableBody>
        {endpoints.map((e) => (
          <TableRow key={e.id} data-testid="endpoint-row">
            <TableCell className="max-w-xs">
              <Link href={endpointPath(org, e.id)} className="block truncate font-mono text-sm font-medium hover:underline" title={e.url}>
                {e.url}
              </Link>
            </TableCell>
            <TableCell className="max-w-[12rem] truncate text-sm text-muted-foreground">{e.description || "—"}</TableCell>
            <TableCell>
              <EndpointStatusBadge disabled={e.disabled} />
            </TableCell>
            <TableCell>
              <div className="flex flex-wrap gap-1" title={e.eventTypes.join(", ")}>
                {e.eventTypes.slice(0, SHOWN_TYPES).map((t) => (
                  <Badge key={t} variant="outline" className="font-mono">
                    {t}
                  </Badge>
                ))}
                {e.eventTypes.length > SHOWN_TYPES ? <Badge variant="secondary">+{e.eventTypes.length - SHOWN_TYPES} more</Badge> : null}
              </div>
            </TableCell>
            <TableCell className="text-sm whitespace-nowrap text-muted-foreground">
              <time dateTime={e.createdAt.toISOString()}>{dateFormat.format(e.createdAt)}</time>
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
