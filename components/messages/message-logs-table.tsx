"use client";

import { useQuery } from "@tanstack/react-query";
import type { ColumnDef } from "@tanstack/react-table";
import Link from "next/link";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useMemo } from "react";
import { DataTable } from "@/components/data-table/data-table";
import { DeliverySummaryLine, isUnfinished, reviveCounts } from "@/components/messages/delivery-summary";
import { Button } from "@/components/ui/button";
import { Time } from "@/components/ui/time";
import type { MessageLogRow } from "@/lib/messages/list";
import type { DeliveryCounts } from "@/lib/messages/summary";
import { messagePath } from "@/lib/routes";

/** How often rows still being delivered, and the count of newer messages, are refreshed while the tab is visible. */
const LIVE_MS = 5_000;

type WireCounts = Omit<DeliveryCounts, "nextAttemptAt"> & { nextAttemptAt: string | null };
interface LiveAnswer {
  counts: Record<string, WireCounts>;
  newer: { count: number; more: boolean };
}

function columns(org: string): ColumnDef<MessageLogRow>[] {
  return [
    {
      id: "message",
      header: "Message",
      meta: { className: "max-w-0 w-full sm:w-auto sm:max-w-none" },
      cell: ({ row }) => {
        const m = row.original;
        return (
          <div className="min-w-0 space-y-0.5">
            {/* The row is the keyboard stop (Enter opens it); the link serves pointers and screen readers. */}
            <Link href={messagePath(org, m.id)} tabIndex={-1} className="block truncate font-mono text-sm font-medium hover:underline">
              {m.eventType}
            </Link>
            <p className="truncate font-mono text-xs text-muted-foreground" title={m.id}>
              {m.id}
            </p>
            {/* Phones: the summary stacks under the identity instead of taking a column. */}
            <DeliverySummaryLine counts={m.deliveries} className="sm:hidden" />
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
      cell: ({ row }) => <DeliverySummaryLine counts={row.original.deliveries} />,
    },
    {
      id: "createdAt",
      header: "Time",
      meta: { cellClassName: "whitespace-nowrap text-sm text-muted-foreground align-top sm:align-middle" },
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
  const params = useSearchParams();
  const pathname = usePathname();
  const router = useRouter();
  const columnDefs = useMemo(() => columns(org), [org]);
  const watched = rows.filter((r) => isUnfinished(r.deliveries)).map((r) => r.id);

  const live = useQuery({
    queryKey: ["message-logs-live", livePath, params.toString(), watched.join(","), newestAnchor],
    queryFn: async (): Promise<LiveAnswer> => {
      const query = new URLSearchParams(params.toString());
      query.delete("cursor");
      for (const id of watched) query.append("ids", id);
      if (newestAnchor) query.set("after", newestAnchor);
      const response = await fetch(`${livePath}?${query.toString()}`, { cache: "no-store" });
      if (!response.ok) throw new Error(`live updates answered ${response.status}`);
      return (await response.json()) as LiveAnswer;
    },
    enabled: watched.length > 0 || newestAnchor !== null,
    refetchInterval: LIVE_MS,
    // Nothing polls while the tab is hidden; coming back refetches at once.
    refetchIntervalInBackground: false,
    staleTime: 0,
  });

  const fresh = live.data?.counts;
  const shown = useMemo(
    () => (fresh ? rows.map((r) => (fresh[r.id] ? { ...r, deliveries: reviveCounts(fresh[r.id]!) } : r)) : rows),
    [rows, fresh],
  );
  const newer = live.data?.newer;

  function showNewer() {
    const query = new URLSearchParams(params.toString());
    query.delete("cursor");
    const href = query.toString() ? `${pathname}?${query.toString()}` : pathname;
    router.push(href, { scroll: false });
    router.refresh();
  }

  return (
    <div className="space-y-3">
      {newer && newer.count > 0 ? (
        <div role="status" className="flex justify-center">
          <Button variant="secondary" size="sm" onClick={showNewer} data-testid="new-messages">
            {newer.more ? `${newer.count}+` : newer.count} new message{newer.count === 1 && !newer.more ? "" : "s"}: show
          </Button>
        </div>
      ) : (
        <div role="status" className="sr-only" />
      )}
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
