"use client";

import Link from "next/link";
import type { ColumnDef } from "@tanstack/react-table";
import { DataTable } from "@/components/data-table/data-table";
import { formatPercent } from "@/components/overview/format";
import { EmptyState } from "@/components/ui/empty-state";
import type { FailingEndpoint } from "@/lib/overview/wire";

/** The endpoints with the most failed attempts in the range, each linking to its page. */
export function FailingEndpoints({ endpoints, acrossOrganizations }: { endpoints: FailingEndpoint[]; acrossOrganizations: boolean }) {
  const columns: ColumnDef<FailingEndpoint>[] = [
    {
      id: "endpoint",
      header: "Endpoint",
      cell: ({ row }) => (
        <Link href={row.original.href} tabIndex={-1} className="block max-w-[11rem] truncate font-medium underline-offset-4 hover:underline sm:max-w-xs" title={row.original.url}>
          {row.original.name}
        </Link>
      ),
    },
    ...(acrossOrganizations
      ? [{ id: "organization", header: "Organization", cell: ({ row }) => <span className="block max-w-[10rem] truncate">{row.original.organization.name}</span>, meta: { hideBelow: "sm" } } satisfies ColumnDef<FailingEndpoint>]
      : []),
    { accessorKey: "failed", header: "Failed", meta: { className: "text-right", cellClassName: "tabular-nums" } },
    { accessorKey: "attempts", header: "Attempts", meta: { className: "text-right", cellClassName: "tabular-nums", hideBelow: "md" } },
    {
      id: "rate",
      header: "Failure rate",
      cell: ({ row }) => formatPercent(row.original.failed / row.original.attempts),
      meta: { className: "text-right", cellClassName: "tabular-nums", hideBelow: "sm" },
    },
  ];
  return (
    <DataTable
      label="Endpoints failing most"
      columns={columns}
      data={endpoints}
      getRowId={(e) => e.endpointId}
      rowHref={(e) => e.href}
      surface="card"
      rowTestId="failing-endpoint"
      empty={<EmptyState title="No failed attempts" description="No endpoint failed an attempt in this range." />}
    />
  );
}
