"use client";

import type { ColumnDef } from "@tanstack/react-table";
import { Download } from "lucide-react";
import Link from "next/link";
import { useMemo } from "react";
import { DataTable } from "@/components/data-table/data-table";
import { NewerNotice, useLiveRows } from "@/components/data-table/use-live-rows";
import { useUrlState } from "@/components/data-table/use-url-state";
import { DeliveryStatusBadge } from "@/components/endpoints/delivery-status-badge";
import { AttemptRowActions } from "@/components/recovery/row-actions";
import { EmptyState } from "@/components/ui/empty-state";
import { Button } from "@/components/ui/button";
import { Time } from "@/components/ui/time";
import type { Page } from "@/lib/db/keyset";
import type { AttemptedMessageRow, AttemptedMessageState } from "@/lib/endpoints/attempted-messages";
import { endpointAttemptsExportPath, endpointAttemptsLivePath, endpointTestingPath, messagePath } from "@/lib/routes";
import { cn } from "@/lib/utils";
import type { AttemptedMessagesFilters } from "@/lib/validations/message-logs";

type Status = NonNullable<AttemptedMessagesFilters["status"]>;

/** A row's state as the live route sends it: dates as ISO strings. */
type WireState = Omit<AttemptedMessageState, "lastAttemptAt" | "nextAttemptAt"> & { lastAttemptAt: string | null; nextAttemptAt: string | null };

const revive = (state: WireState): AttemptedMessageState => ({
  ...state,
  lastAttemptAt: state.lastAttemptAt ? new Date(state.lastAttemptAt) : null,
  nextAttemptAt: state.nextAttemptAt ? new Date(state.nextAttemptAt) : null,
});

/** Rows whose state can still change: they are re-read while the tab is visible. */
const isUnfinished = (row: AttemptedMessageRow) => row.status === "PENDING" || row.status === "SENDING";

const FILTERS: { value: Status | null; label: string }[] = [
  { value: null, label: "All" },
  { value: "succeeded", label: "Succeeded" },
  { value: "failed", label: "Failed" },
  { value: "pending", label: "Pending" },
  { value: "sending", label: "Sending" },
];

/** Rows come newest first from a keyset walk: no column re-sorts them. */
function columns(org: string, manage: { endpointId: string; endpointDisabled: boolean } | null): ColumnDef<AttemptedMessageRow>[] {
  const defs: ColumnDef<AttemptedMessageRow>[] = [
    {
      accessorKey: "eventType",
      header: "Event type",
      meta: { className: "max-w-[12rem] @xl:max-w-xs" },
      cell: ({ row }) => (
        <Link href={messagePath(org, row.original.messageId)} tabIndex={-1} className="block truncate font-mono text-sm font-medium hover:underline" title={row.original.eventType}>
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
      accessorKey: "messageId",
      header: "Message",
      meta: { hideBelow: "lg", cellClassName: "font-mono text-xs text-muted-foreground" },
    },
    {
      accessorKey: "attemptCount",
      header: "Attempts",
      meta: { hideBelow: "sm", className: "text-right", cellClassName: "tabular-nums" },
    },
    {
      id: "detail",
      header: "Last attempt / next",
      meta: { hideBelow: "md", className: "max-w-[18rem]", cellClassName: "text-sm text-muted-foreground" },
      cell: ({ row }) => {
        const d = row.original;
        if (d.status === "PENDING" && d.nextAttemptAt) {
          return (
            <span>
              Next attempt <Time value={d.nextAttemptAt} />
            </span>
          );
        }
        if (d.status === "FAILED" && d.failureReason) {
          return (
            <span className="block truncate" title={d.failureReason}>
              {d.failureReason}
            </span>
          );
        }
        return d.lastAttemptAt ? <Time value={d.lastAttemptAt} /> : "—";
      },
    },
    {
      accessorKey: "createdAt",
      header: "Created",
      meta: { cellClassName: "text-sm text-muted-foreground whitespace-nowrap" },
      cell: ({ row }) => <Time value={row.original.createdAt} />,
    },
  ];
  if (manage) {
    defs.push({
      id: "actions",
      header: () => <span className="sr-only">Actions</span>,
      meta: { className: "w-10" },
      cell: ({ row }) => (
        <AttemptRowActions
          org={org}
          endpointId={manage.endpointId}
          messageId={row.original.messageId}
          status={row.original.status}
          createdAt={row.original.createdAt}
          endpointDisabled={manage.endpointDisabled}
        />
      ),
    });
  }
  return defs.map((d) => ({ ...d, enableSorting: false }));
}

/** The Attempted messages tab: this endpoint's deliveries, newest first, filtered by state in the URL. */
export function AttemptedMessagesTable({
  org,
  endpointId,
  status,
  page,
  newestAnchor,
  manage,
}: {
  org: string;
  endpointId: string;
  /** Owners and admins get the row actions (resend, recover since this message). */
  manage: { endpointDisabled: boolean } | null;
  status: Status | null;
  page: Page<AttemptedMessageRow>;
  /** The newest row's position on the first page, to count deliveries created since; null elsewhere. */
  newestAnchor: string | null;
}) {
  const endpointDisabled = manage?.endpointDisabled ?? null;
  const columnDefs = useMemo(() => columns(org, endpointDisabled === null ? null : { endpointId, endpointDisabled }), [org, endpointId, endpointDisabled]);
  const watched = page.items.filter(isUnfinished).map((r) => r.deliveryId);
  const { fresh, newer, showNewer } = useLiveRows<WireState>({ livePath: endpointAttemptsLivePath(org, endpointId), watched, newestAnchor });
  const rows = useMemo(
    () => (fresh ? page.items.map((r) => (fresh[r.deliveryId] ? { ...r, ...revive(fresh[r.deliveryId]!) } : r)) : page.items),
    [page.items, fresh],
  );
  const { hrefWith } = useUrlState();
  const exportHref = `${endpointAttemptsExportPath(org, endpointId)}?${new URLSearchParams({ ...(status ? { status } : {}), format: "csv" }).toString()}`;
  const toolbar = (
    <>
      <nav aria-label="Filter by status" className="flex flex-wrap gap-1">
        {FILTERS.map((f) => (
          <Link
            key={f.label}
            href={hrefWith({ status: f.value })}
            aria-current={status === f.value ? "page" : undefined}
            className={cn(
              "rounded-md border px-3 py-1 text-sm transition-colors hover:bg-accent",
              status === f.value ? "border-primary bg-primary text-primary-foreground hover:bg-primary/90" : "text-muted-foreground",
            )}
          >
            {f.label}
          </Link>
        ))}
      </nav>
      <Button asChild variant="outline" size="sm" className="ml-auto">
        <a href={exportHref} download>
          <Download aria-hidden /> Export attempts (CSV)
        </a>
      </Button>
    </>
  );
  return (
    <div className="space-y-3">
      <NewerNotice newer={newer} noun="message" onShow={showNewer} testId="new-attempted-messages" />
      <DataTable
        label="Attempted messages"
        columns={columnDefs}
        data={rows}
        getRowId={(d) => d.deliveryId}
        rowHref={(d) => messagePath(org, d.messageId)}
        page={page}
        toolbar={toolbar}
        rowTestId="attempted-message-row"
        empty={
          <EmptyState
            title={status ? `No ${status} messages` : "No messages attempted yet"}
            description={
              status
                ? "No message sent to this endpoint is in this state. Try another filter."
                : "Messages appear here once an event this endpoint subscribes to is sent, or when you send a test."
            }
            action={
              status ? null : (
                <Button asChild variant="outline">
                  <Link href={endpointTestingPath(org, endpointId)}>Send a test message</Link>
                </Button>
              )
            }
          />
        }
      />
    </div>
  );
}
