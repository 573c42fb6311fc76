"use client";

import type { ColumnDef } from "@tanstack/react-table";
import Link from "next/link";
import { ArchiveEventTypeButton } from "@/components/catalog/archive-event-type-button";
import { DataTable } from "@/components/data-table/data-table";
import { Badge } from "@/components/ui/badge";
import { InlineCodeText } from "@/components/ui/inline-code-text";
import { EmptyState } from "@/components/ui/empty-state";
import type { EventTypeSummary } from "@/lib/catalog/event-types";
import { editEventTypePath } from "@/lib/routes";

const columns: ColumnDef<EventTypeSummary>[] = [
  {
    accessorKey: "name",
    header: "Event type",
    meta: { cellClassName: "whitespace-normal" },
    cell: ({ row }) => (
      <Link href={editEventTypePath(row.original.name)} tabIndex={-1} className="font-mono text-sm font-medium break-all hover:underline">
        {row.original.name}
      </Link>
    ),
  },
  {
    accessorKey: "description",
    header: "Description",
    enableSorting: false,
    meta: { hideBelow: "md", cellClassName: "max-w-md whitespace-normal text-sm text-muted-foreground" },
    cell: ({ row }) => <InlineCodeText text={row.original.description} />,
  },
  {
    id: "status",
    accessorFn: (t) => (t.archived ? "archived" : t.deprecated ? "deprecated" : "active"),
    header: "Status",
    cell: ({ row }) => (
      <div className="flex gap-1">
        {row.original.archived ? <Badge variant="secondary">Archived</Badge> : <Badge variant="outline">Active</Badge>}
        {row.original.deprecated ? <Badge variant="warning">Deprecated</Badge> : null}
      </div>
    ),
  },
  {
    id: "actions",
    header: () => <span className="sr-only">Actions</span>,
    enableSorting: false,
    meta: { cellClassName: "text-right" },
    cell: ({ row }) => <ArchiveEventTypeButton name={row.original.name} archived={row.original.archived} />,
  },
];

/** Staff's view of the catalog: archived types included, each with its edit page and archive switch. */
export function PlatformCatalogTable({ eventTypes }: { eventTypes: EventTypeSummary[] }) {
  return (
    <DataTable
      label="Event types"
      columns={columns}
      data={eventTypes}
      getRowId={(t) => t.name}
      rowHref={(t) => editEventTypePath(t.name)}
      defaultSort={[{ id: "name", desc: false }]}
      rowTestId={(t) => `platform-type-${t.name}`}
      empty={<EmptyState title="The catalog is empty" description="Create the first event type; organizations can then subscribe endpoints to it." />}
    />
  );
}
