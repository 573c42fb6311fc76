"use client";

import type { ColumnDef, SortingState } from "@tanstack/react-table";
import Link from "next/link";
import { useMemo } from "react";
import { DataTable } from "@/components/data-table/data-table";
import { EndpointStatusBadge } from "@/components/endpoints/endpoint-status-badge";
import { Badge } from "@/components/ui/badge";
import { Time } from "@/components/ui/time";
import type { EndpointView } from "@/lib/endpoints/endpoints";
import { endpointPath } from "@/lib/routes";

export type EndpointRow = Pick<EndpointView, "id" | "url" | "description" | "disabled" | "eventTypes" | "createdAt">;

const SHOWN_TYPES = 3;
const DEFAULT_SORT: SortingState = [{ id: "createdAt", desc: true }];

function columns(org: string): ColumnDef<EndpointRow>[] {
  return [
    {
      accessorKey: "url",
      header: "URL",
      meta: { className: "max-w-[14rem] sm:max-w-xs" },
      cell: ({ row }) => (
        // The row itself is the keyboard stop (Enter opens it); the link serves pointers and screen readers.
        <Link href={endpointPath(org, row.original.id)} tabIndex={-1} className="block truncate font-mono text-sm font-medium hover:underline" title={row.original.url}>
          {row.original.url}
        </Link>
      ),
    },
    {
      accessorKey: "description",
      header: "Description",
      enableSorting: false,
      meta: { hideBelow: "md", className: "max-w-[12rem]", cellClassName: "truncate text-sm text-muted-foreground" },
      cell: ({ row }) => row.original.description || "—",
    },
    {
      id: "status",
      accessorFn: (e) => (e.disabled ? "disabled" : "enabled"),
      header: "Status",
      cell: ({ row }) => <EndpointStatusBadge disabled={row.original.disabled} />,
    },
    {
      accessorKey: "eventTypes",
      header: "Subscribed types",
      enableSorting: false,
      meta: { hideBelow: "lg" },
      cell: ({ row }) => {
        const types = row.original.eventTypes;
        return (
          <div className="flex flex-wrap gap-1" title={types.join(", ")}>
            {types.slice(0, SHOWN_TYPES).map((t) => (
              <Badge key={t} variant="outline" className="font-mono">
                {t}
              </Badge>
            ))}
            {types.length > SHOWN_TYPES ? <Badge variant="secondary">+{types.length - SHOWN_TYPES} more</Badge> : null}
          </div>
        );
      },
    },
    {
      accessorKey: "createdAt",
      header: "Created",
      sortingFn: "datetime",
      meta: { hideBelow: "sm", cellClassName: "text-sm text-muted-foreground" },
      cell: ({ row }) => <Time value={row.original.createdAt} />,
    },
  ];
}

export function EndpointsDataTable({ org, rows, empty }: { org: string; rows: EndpointRow[]; empty: React.ReactNode }) {
  // Memoised per org: TanStack recomputes everything when the column array changes identity.
  const columnDefs = useMemo(() => columns(org), [org]);
  return (
    <DataTable
      label="Endpoints"
      columns={columnDefs}
      data={rows}
      getRowId={(e) => e.id}
      rowHref={(e) => endpointPath(org, e.id)}
      sorting="client"
      defaultSort={DEFAULT_SORT}
      empty={empty}
      rowTestId="endpoint-row"
    />
  );
}
