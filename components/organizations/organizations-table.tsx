"use client";

import type { ColumnDef } from "@tanstack/react-table";
import { OrganizationActions } from "@/components/organizations/organization-actions";
import { DataTable } from "@/components/data-table/data-table";
import { EmptyState } from "@/components/ui/empty-state";
import { Badge } from "@/components/ui/badge";
import { Time } from "@/components/ui/time";
import type { Page } from "@/lib/db/keyset";
import type { StaffOrganizationRow } from "@/lib/organizations/organizations";

const count = (n: number) => n.toLocaleString("en");

function columns(origin: string, recheckMs: number): ColumnDef<StaffOrganizationRow>[] {
  return [
    {
      accessorKey: "name",
      header: "Name",
      meta: { className: "max-w-[10rem] @xl:max-w-xs", cellClassName: "truncate" },
      cell: ({ row }) => (
        <>
          <div className="truncate font-medium" title={row.original.name}>
            {row.original.name}
          </div>
          {/* The slug column is hidden on phones: the slug goes under the name there. */}
          <div className="truncate font-mono text-xs text-muted-foreground @xl:hidden">{row.original.slug}</div>
        </>
      ),
    },
    { accessorKey: "slug", header: "Slug", meta: { hideBelow: "sm", className: "max-w-[12rem]", cellClassName: "truncate font-mono text-xs" } },
    {
      id: "status",
      header: "Status",
      cell: ({ row }) =>
        row.original.disabledAt ? (
          <Badge variant="warning" title="Disabled by staff">
            Disabled
          </Badge>
        ) : (
          <Badge variant="success">Active</Badge>
        ),
    },
    { accessorKey: "endpoints", header: "Endpoints", meta: { hideBelow: "md", className: "text-right tabular-nums" }, cell: ({ row }) => count(row.original.endpoints) },
    {
      accessorKey: "messages",
      header: "Messages",
      meta: { hideBelow: "md", className: "text-right tabular-nums" },
      cell: ({ row }) => (row.original.messagesCapped ? <span title="At least this many; counts stop here">{count(row.original.messages)}+</span> : count(row.original.messages)),
    },
    { accessorKey: "createdAt", header: "Created", meta: { hideBelow: "lg", cellClassName: "text-sm" }, cell: ({ row }) => <Time value={row.original.createdAt} /> },
    {
      id: "actions",
      header: () => <span className="sr-only">Actions</span>,
      meta: { className: "w-12 text-right" },
      cell: ({ row }) => (
        <OrganizationActions
          organization={{ id: row.original.id, name: row.original.name, slug: row.original.slug, disabled: row.original.disabledAt !== null }}
          origin={origin}
          recheckMs={recheckMs}
        />
      ),
    },
  ];
}

/** Every organization, newest first, a keyset page at a time. */
export function OrganizationsTable({ page, origin, recheckMs, firstPage }: { page: Page<StaffOrganizationRow>; origin: string; recheckMs: number; firstPage: boolean }) {
  return (
    <DataTable
      label="Organizations"
      columns={columns(origin, recheckMs)}
      data={page.items}
      getRowId={(org) => org.id}
      page={page}
      rowTestId={(org) => `organization-${org.slug}`}
      empty={
        <EmptyState
          title={firstPage ? "No organizations yet" : "No more organizations"}
          description={firstPage ? "Create one for each customer of your platform: it gets its own endpoints, messages, API keys and members." : "Go back to the first page."}
        />
      }
    />
  );
}
