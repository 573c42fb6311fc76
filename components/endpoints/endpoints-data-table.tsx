"use client";

import type { ColumnDef, SortingState } from "@tanstack/react-table";
import Link from "next/link";
import { useMemo } from "react";
import { DataTable } from "@/components/data-table/data-table";
import { AutomaticDisableSummary } from "@/components/endpoints/automatic-disable-notice";
import { LastAttemptCell, SuccessRateCell, type HealthPromise } from "@/components/endpoints/endpoint-health-cells";
import { EndpointStatusBadge } from "@/components/endpoints/endpoint-status-badge";
import { Badge } from "@/components/ui/badge";
import { Time } from "@/components/ui/time";
import type { EndpointView } from "@/lib/endpoints/endpoints";
import { endpointPath } from "@/lib/routes";

export type EndpointRow = Pick<EndpointView, "id" | "url" | "description" | "disabled" | "automaticDisable" | "eventTypes" | "createdAt">;

const SHOWN_TYPES = 3;
/** Longer URLs lose their middle, not their end: endpoints often differ only in the last path segment. */
const URL_SHOWN = 56;

function shortUrl(url: string): string {
  if (url.length <= URL_SHOWN) return url;
  const tail = Math.floor(URL_SHOWN * 0.55);
  return `${url.slice(0, URL_SHOWN - tail - 1)}…${url.slice(-tail)}`;
}
const DEFAULT_SORT: SortingState = [{ id: "createdAt", desc: true }];

function columns(org: string, health: HealthPromise): ColumnDef<EndpointRow>[] {
  return [
    {
      accessorKey: "url",
      header: "URL",
      meta: { className: "max-w-[9rem] sm:max-w-xs" },
      cell: ({ row }) => (
        <div className="min-w-0">
          {/* The row itself is the keyboard stop (Enter opens it); the link serves pointers and screen readers. */}
          <Link href={endpointPath(org, row.original.id)} tabIndex={-1} className="block truncate font-mono text-sm font-medium hover:underline" title={row.original.url} aria-label={row.original.url}>
            {shortUrl(row.original.url)}
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
      id: "lastAttempt",
      header: "Last attempt",
      enableSorting: false,
      cell: ({ row }) => <LastAttemptCell promise={health} id={row.original.id} />,
    },
    {
      id: "successRate",
      header: "Success (24 h)",
      enableSorting: false,
      meta: { hideBelow: "md" },
      cell: ({ row }) => <SuccessRateCell promise={health} id={row.original.id} />,
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

export function EndpointsDataTable({ org, rows, health, empty }: { org: string; rows: EndpointRow[]; health: HealthPromise; empty: React.ReactNode }) {
  // Memoised: TanStack recomputes everything when the column array changes identity.
  const columnDefs = useMemo(() => columns(org, health), [org, health]);
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
