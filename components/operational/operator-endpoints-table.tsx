"use client";

import type { ColumnDef, SortingState } from "@tanstack/react-table";
import Link from "next/link";
import { DataTable } from "@/components/data-table/data-table";
import { AutomaticDisableSummary } from "@/components/endpoints/automatic-disable-notice";
import { EndpointStatusBadge } from "@/components/endpoints/endpoint-status-badge";
import { Badge } from "@/components/ui/badge";
import { Time } from "@/components/ui/time";
import type { EndpointView } from "@/lib/endpoints/endpoints";
import { operatorEndpointPath } from "@/lib/routes";

export type OperatorEndpointRow = Pick<EndpointView, "id" | "url" | "description" | "disabled" | "automaticDisable" | "eventTypes" | "createdAt">;

const DEFAULT_SORT: SortingState = [{ id: "createdAt", desc: true }];

const COLUMNS: ColumnDef<OperatorEndpointRow>[] = [
  {
    accessorKey: "url",
    header: "URL",
    meta: { className: "max-w-[10rem] @xl:max-w-sm" },
    cell: ({ row }) => (
      <div className="min-w-0">
        {/* The row is the keyboard stop (Enter opens it); the link serves pointers and screen readers. */}
        <Link href={operatorEndpointPath(row.original.id)} tabIndex={-1} className="block truncate font-mono text-sm font-medium hover:underline" title={row.original.url} aria-label={row.original.url}>
          {row.original.url}
        </Link>
        {row.original.description ? (
          <p className="truncate text-xs text-muted-foreground" title={row.original.description}>
            {row.original.description}
          </p>
        ) : null}
        {row.original.automaticDisable ? <AutomaticDisableSummary disable={row.original.automaticDisable} variant="full" /> : null}
      </div>
    ),
  },
  {
    id: "status",
    accessorFn: (e) => (e.disabled ? "disabled" : "enabled"),
    header: "Status",
    cell: ({ row }) => (
      <>
        <EndpointStatusBadge disabled={row.original.disabled} />
        {row.original.automaticDisable ? <AutomaticDisableSummary disable={row.original.automaticDisable} variant="short" /> : null}
      </>
    ),
  },
  {
    accessorKey: "eventTypes",
    header: "Events",
    enableSorting: false,
    meta: { hideBelow: "md" },
    cell: ({ row }) =>
      row.original.eventTypes.length === 0 ? (
        <span className="text-sm">Every operational event</span>
      ) : (
        <div className="flex flex-wrap gap-1" title={row.original.eventTypes.join(", ")}>
          {row.original.eventTypes.map((t) => (
            <Badge key={t} variant="outline" className="font-mono">
              {t}
            </Badge>
          ))}
        </div>
      ),
  },
  {
    accessorKey: "createdAt",
    header: "Created",
    sortingFn: "datetime",
    meta: { hideBelow: "sm", cellClassName: "text-sm text-muted-foreground" },
    cell: ({ row }) => <Time value={row.original.createdAt} />,
  },
];

export function OperatorEndpointsTable({ rows, empty }: { rows: OperatorEndpointRow[]; empty: React.ReactNode }) {
  return (
    <DataTable
      label="Operator endpoints"
      columns={COLUMNS}
      data={rows}
      getRowId={(e) => e.id}
      rowHref={(e) => operatorEndpointPath(e.id)}
      sorting="client"
      defaultSort={DEFAULT_SORT}
      empty={empty}
      rowTestId="operator-endpoint-row"
    />
  );
}
