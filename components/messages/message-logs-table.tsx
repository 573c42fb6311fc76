"use client";

import type { ColumnDef } from "@tanstack/react-table";
import Link from "next/link";
import { useMemo } from "react";
import { DataTable } from "@/components/data-table/data-table";
import { NewerNotice, useLiveRows } from "@/components/data-table/use-live-rows";
import { DeliverySummaryLine, isUnfinished, reviveCounts } from "@/components/messages/delivery-summary";
import { Badge } from "@/components/ui/badge";
import { Time } from "@/components/ui/time";
import type { MessageLogRow } from "@/lib/messages/list";
import type { DeliveryCounts } from "@/lib/messages/summary";
import { messagePath } from "@/lib/routes";

type WireCounts = Omit<DeliveryCounts, "nextAttemptAt"> & { nextAttemptAt: string | null };

function columns(org: string): ColumnDef<MessageLogRow>[] {
  return [
    {
      id: "message",
      header: "Message",
      meta: { className: "max-w-0 w-full @xl:w-auto @xl:max-w-none" },
      cell: ({ row }) => {
        const m = row.original;
        return (
          <div className="min-w-0 space-y-0.5">
            {/* The row is the keyboard stop (Enter opens it); the link serves pointers and screen readers. */}
            <div className="flex min-w-0 items-center gap-2">
              <Link href={messagePath(org, m.id)} tabIndex={-1} className="truncate font-mono text-sm font-medium hover:underline">
                {m.eventType}
              </Link>
              {m.test ? (
                <Badge variant="outline" className="shrink-0" title="Sent from an endpoint's Testing tab, to that endpoint only" data-testid="test-message">
                  Test
                </Badge>
              ) : null}
              {m.expungedAt ? (
                <Badge variant="outline" className="shrink-0 text-muted-foreground" title="Its content was expunged: the payload is gone and it cannot be resent" data-testid="expunged-message">
                  Expunged
                </Badge>
              ) : null}
            </div>
            <p className="truncate font-mono text-xs text-muted-foreground" title={m.id}>
              {m.id}
            </p>
            {/* Phones: the summary stacks under the identity instead of taking a column. */}
            <DeliverySummaryLine counts={m.deliveries} deliverAt={m.deliverAt} className="@xl:hidden" />
          </div>
        );
      },
    },
    {
      id: "eventId",
      header: "Event id",
      meta: { hideBelow: "lg", className: "max-w-[10rem]", cellClassName: "truncate font-mono text-xs text-muted-foreground" },
      cell: ({ row }) => <span title={row.original.eventId ?? undefined}>{row.original.eventId ?? "—"}</span>,
    },
    {
      id: "delivery",
      header: "Delivery",
      meta: { hideBelow: "sm" },
      cell: ({ row }) => <DeliverySummaryLine counts={row.original.deliveries} deliverAt={row.original.deliverAt} />,
    },
    {
      id: "createdAt",
      header: "Time",
      meta: { cellClassName: "whitespace-nowrap text-sm text-muted-foreground align-top @xl:align-middle" },
      cell: ({ row }) => <Time value={row.original.createdAt} />,
    },
  ];
}

export interface MessageLogsTableProps {
  org: string;
  rows: MessageLogRow[];
  page: { nextCursor: string | null; prevCursor: string | null };
  /** A `prev` cursor at the newest row of the first page; null on later pages (nothing is announced there). */
  newestAnchor: string | null;
  livePath: string;
  toolbar: React.ReactNode;
  empty: React.ReactNode;
}

export function MessageLogsTable({ org, rows, page, newestAnchor, livePath, toolbar, empty }: MessageLogsTableProps) {
  const columnDefs = useMemo(() => columns(org), [org]);
  const watched = rows.filter((r) => isUnfinished(r.deliveries)).map((r) => r.id);
  const { fresh, newer, showNewer } = useLiveRows<WireCounts>({ livePath, watched, newestAnchor });
  const shown = useMemo(
    () => (fresh ? rows.map((r) => (fresh[r.id] ? { ...r, deliveries: reviveCounts(fresh[r.id]!) } : r)) : rows),
    [rows, fresh],
  );

  return (
    <div className="space-y-3">
      <NewerNotice newer={newer} noun="message" onShow={showNewer} testId="new-messages" />
      <DataTable
        label="Messages"
        columns={columnDefs}
        data={shown}
        getRowId={(m) => m.id}
        rowHref={(m) => messagePath(org, m.id)}
        page={page}
        toolbar={toolbar}
        empty={empty}
        rowTestId="message-row"
      />
    </div>
  );
}
