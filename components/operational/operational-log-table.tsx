"use client";

import type { ColumnDef } from "@tanstack/react-table";
import Link from "next/link";
import { useMemo } from "react";
import { DataTable } from "@/components/data-table/data-table";
import { DeliveryStatusBadge } from "@/components/endpoints/delivery-status-badge";
import { EmptyState } from "@/components/ui/empty-state";
import { Time } from "@/components/ui/time";
import type { Page } from "@/lib/db/keyset";
import type { AttemptedMessageRow } from "@/lib/endpoints/attempted-messages";
import { operationalMessagePath } from "@/lib/routes";

function columns(endpointId: string): ColumnDef<AttemptedMessageRow>[] {
  return [
    {
      accessorKey: "eventType",
      header: "Event",
      meta: { className: "max-w-[8rem] @xl:max-w-xs" },
      cell: ({ row }) => (
        <Link href={operationalMessagePath(endpointId, row.original.messageId)} tabIndex={-1} className="block truncate font-mono text-sm font-medium hover:underline" title={row.original.eventType}>
          {row.original.eventType}
        </Link>
      ),
    },
    {
      id: "status",
      header: "Status",
      cell: ({ row }) => <DeliveryStatusBadge status={row.original.status} attemptCount={row.original.attemptCount} />,
    },
    {
      id: "attempts",
      header: "Attempts",
      meta: { hideBelow: "sm", cellClassName: "text-sm" },
      cell: ({ row }) => (
        <div>
          {row.original.attemptCount}
          {row.original.lastAttemptAt ? (
            <span className="text-muted-foreground">
              {" "}
              · last <Time value={row.original.lastAttemptAt} />
            </span>
          ) : null}
        </div>
      ),
    },
    {
      id: "next",
      header: "Next attempt",
      meta: { hideBelow: "md", cellClassName: "text-sm text-muted-foreground" },
      cell: ({ row }) => (row.original.nextAttemptAt ? <Time value={row.original.nextAttemptAt} /> : "—"),
    },
    {
      accessorKey: "createdAt",
      header: "Sent",
      meta: { cellClassName: "text-sm text-muted-foreground" },
      cell: ({ row }) => <Time value={row.original.createdAt} />,
    },
  ];
}

/** The operator endpoint's log, newest first (keyset pages): each operational event with its delivery's state. */
export function OperationalLogTable({ endpointId, page }: { endpointId: string; page: Page<AttemptedMessageRow> }) {
  const defs = useMemo(() => columns(endpointId), [endpointId]);
  return (
    <DataTable
      label="Operational events sent"
      columns={defs}
      data={page.items}
      getRowId={(r) => r.deliveryId}
      rowHref={(r) => operationalMessagePath(endpointId, r.messageId)}
      page={page}
      rowTestId="operational-log-row"
      empty={<EmptyState title="Nothing sent yet" description="Operational events appear here as they are sent: a customer's endpoint created, changed, failing, disabled…" />}
    />
  );
}
