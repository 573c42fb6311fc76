"use client";

import type { ColumnDef, SortingState } from "@tanstack/react-table";
import Link from "next/link";
import { DataTable } from "@/components/data-table/data-table";
import { useUrlState } from "@/components/data-table/use-url-state";
import { RunStatusBadge } from "@/components/jobs/run-status-badge";
import { Time } from "@/components/ui/time";
import type { RunSummary } from "@/inngest/executor/jobs";
import type { Page } from "@/lib/db/keyset";

const DEFAULT_SORT: SortingState = [{ id: "createdAt", desc: true }];

function columns(runHref: (runId: string) => string): ColumnDef<RunSummary>[] {
  return [
    { accessorKey: "status", header: "Status", enableSorting: false, cell: ({ row }) => <RunStatusBadge status={row.original.status} /> },
    {
      accessorKey: "functionId",
      header: "Function",
      enableSorting: false,
      meta: { className: "max-w-[12rem] @xl:max-w-none", cellClassName: "truncate" },
      cell: ({ row }) => (
        <Link href={runHref(row.original.id)} tabIndex={-1} scroll={false} className="font-medium underline-offset-4 hover:underline">
          {row.original.functionId}
        </Link>
      ),
    },
    { id: "event", header: "Event", enableSorting: false, meta: { hideBelow: "md", cellClassName: "font-mono text-xs" }, cell: ({ row }) => row.original.event.name },
    { accessorKey: "stepCount", header: "Steps", enableSorting: false, meta: { hideBelow: "lg", className: "text-right tabular-nums" } },
    {
      id: "attempt",
      header: "Attempt",
      enableSorting: false,
      meta: { hideBelow: "lg", className: "text-right tabular-nums" },
      cell: ({ row }) => `${row.original.attempt + 1} / ${row.original.maxAttempts}`,
    },
    {
      accessorKey: "wakeAt",
      header: "Next wake-up",
      enableSorting: false,
      meta: { hideBelow: "lg", cellClassName: "text-xs" },
      cell: ({ row }) => <Time value={row.original.wakeAt} mode="absolute" />,
    },
    { accessorKey: "createdAt", header: "Started", meta: { hideBelow: "sm", cellClassName: "text-xs" }, cell: ({ row }) => <Time value={row.original.createdAt} mode="absolute" /> },
  ];
}

/** Runs, newest first, a keyset page at a time; the status filter, sort, page and open run are all in the URL. */
export function RunsTable({ page, toolbar }: { page: Page<RunSummary>; toolbar?: React.ReactNode }) {
  const url = useUrlState();
  // Opening a run keeps the view (filter, sort, page) it was opened from.
  const runHref = (run: string) => url.hrefWith({ run, cursor: url.get("cursor") });
  return (
    <DataTable
      label="Runs"
      columns={columns(runHref)}
      data={page.items}
      getRowId={(run) => run.id}
      rowHref={(run) => runHref(run.id)}
      sorting="server"
      defaultSort={DEFAULT_SORT}
      page={page}
      toolbar={toolbar}
      empty={<p className="rounded-md border border-dashed p-6 text-center text-sm text-muted-foreground">No runs match.</p>}
    />
  );
}
