"use client";

import type { ColumnDef, SortingState } from "@tanstack/react-table";
import Link from "next/link";
import { useMemo } from "react";
import { DataTable } from "@/components/data-table/data-table";
import { AutomaticDisableSummary } from "@/components/endpoints/automatic-disable-notice";
import { EndpointStatus, LastAttemptCell, SuccessRateCell, type HealthPromise } from "@/components/endpoints/endpoint-health-cells";
import { EndpointUrl } from "@/components/endpoints/endpoint-url";
import { Badge } from "@/components/ui/badge";
import { Time } from "@/components/ui/time";
import type { EndpointView } from "@/lib/endpoints/endpoints";
import { endpointPath } from "@/lib/routes";
import { cn } from "@/lib/utils";

export type EndpointRow = Pick<EndpointView, "id" | "url" | "description" | "disabled" | "automaticDisable" | "eventTypes" | "createdAt">;

const SHOWN_TYPES = 3;
const DEFAULT_SORT: SortingState = [{ id: "createdAt", desc: true }];

function columns(org: string, health: HealthPromise, webhooksEnabled: boolean): ColumnDef<EndpointRow>[] {
  return [
    {
      accessorKey: "url",
      header: "URL",
      meta: { className: "max-w-[11rem] @xl:max-w-[13rem] @5xl:max-w-[16rem]" },
      cell: ({ row }) => {
        const { url, description } = row.original;
        return (
          <div className="min-w-0">
            {/* A description names the endpoint the way its team does: it leads when set, the URL below it. */}
            {description ? (
              <p className="truncate text-sm font-medium" title={description}>
                {description}
              </p>
            ) : null}
            {/* The row itself is the keyboard stop (Enter opens it); the link serves pointers and screen readers. */}
            <Link
              href={endpointPath(org, row.original.id)}
              tabIndex={-1}
              className={cn("block hover:underline", description ? "text-xs text-muted-foreground" : "text-sm font-medium")}
              title={url}
              aria-label={url}
            >
              <EndpointUrl url={url} />
            </Link>
            {row.original.automaticDisable ? <AutomaticDisableSummary disable={row.original.automaticDisable} variant="full" /> : null}
          </div>
        );
      },
    },
    {
      id: "status",
      accessorFn: (e) => (e.disabled ? "disabled" : "enabled"),
      header: "Status",
      cell: ({ row }) => (
        <>
          <EndpointStatus promise={health} id={row.original.id} disabled={row.original.disabled} webhooksEnabled={webhooksEnabled} />
          {row.original.automaticDisable ? <AutomaticDisableSummary disable={row.original.automaticDisable} variant="short" /> : null}
        </>
      ),
    },
    {
      id: "lastAttempt",
      header: "Last attempt",
      enableSorting: false,
      // On a phone the status column already says Failing; the outcome is one tap away.
      meta: { hideBelow: "sm" },
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

export function EndpointsDataTable({
  org,
  rows,
  health,
  webhooksEnabled,
  empty,
}: {
  org: string;
  rows: EndpointRow[];
  health: HealthPromise;
  webhooksEnabled: boolean;
  empty: React.ReactNode;
}) {
  // Memoised: TanStack recomputes everything when the column array changes identity.
  const columnDefs = useMemo(() => columns(org, health, webhooksEnabled), [org, health, webhooksEnabled]);
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
