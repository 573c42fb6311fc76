import Link from "next/link";
import { ArchiveEventTypeButton } from "@/components/catalog/archive-event-type-button";
import { Badge } from "@/components/ui/badge";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { EmptyState } from "@/components/webhooks/empty-state";
import type { EventTypeSummary } from "@/lib/catalog/event-types";
import { editEventTypePath } from "@/lib/routes";

/** Staff's view of the catalog: archived types included, each with its edit page and archive switch. */
export function PlatformCatalogTable({ eventTypes }: { eventTypes: EventTypeSummary[] }) {
  if (eventTypes.length === 0) return <EmptyState title="The catalog is empty" description="Create the first event type; organizations can then subscribe endpoints to it." />;
  return (
    <Table>
      <TableHeader>
        <TableRow>
          <TableHead>Event type</TableHead>
          <TableHead className="hidden md:table-cell">Description</TableHead>
          <TableHead>Status</TableHead>
          <TableHead>
            <span className="sr-only">Actions</span>
          </TableHead>
        </TableRow>
      </TableHeader>
      <TableBody>
        {eventTypes.map((t) => (
          <TableRow key={t.name} data-testid={`platform-type-${t.name}`}>
            <TableCell>
              <Link href={editEventTypePath(t.name)} className="font-mono text-sm font-medium hover:underline">
                {t.name}
              </Link>
            </TableCell>
            <TableCell className="hidden max-w-md truncate text-muted-foreground md:table-cell">{t.description}</TableCell>
            <TableCell>
              <div className="flex gap-1">
                {t.archived ? <Badge variant="secondary">Archived</Badge> : <Badge variant="outline">Active</Badge>}
                {t.deprecated ? <Badge variant="warning">Deprecated</Badge> : null}
              </div>
            </TableCell>
            <TableCell className="text-right">
              <ArchiveEventTypeButton name={t.name} archived={t.archived} />
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
