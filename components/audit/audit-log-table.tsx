"use client";

import type { ColumnDef } from "@tanstack/react-table";
import Link from "next/link";
import { DataTable } from "@/components/data-table/data-table";
import { useUrlState } from "@/components/data-table/use-url-state";
import { Badge } from "@/components/ui/badge";
import { EmptyState } from "@/components/ui/empty-state";
import { Time, useViewerTimeZone } from "@/components/ui/time";
import { auditLabel } from "@/lib/audit/actions";
import type { PlatformAuditEntry } from "@/lib/audit/platform-log";
import type { Page } from "@/lib/db/keyset";
import { PLATFORM_SCOPE } from "@/lib/audit/filters";
import { formatAbsolute, isIsoInstant } from "@/lib/time";

const isChange = (v: unknown): v is { before: unknown; after: unknown } => typeof v === "object" && v !== null && "before" in v && "after" in v;

function text(value: unknown, timeZone: string): string {
  if (value === null || value === undefined || value === "") return "(none)";
  if (isIsoInstant(value)) return formatAbsolute(value, { timeZone });
  return typeof value === "string" ? value : JSON.stringify(value);
}

/** An entry's details on one line: `field: before → after` for a change, `field: value` otherwise. */
function summary(changes: Record<string, unknown> | null, timeZone: string): string {
  if (!changes) return "";
  return Object.entries(changes)
    .map(([field, value]) => (isChange(value) ? `${field}: ${text(value.before, timeZone)} → ${text(value.after, timeZone)}` : `${field}: ${text(value, timeZone)}`))
    .join(" · ");
}

/** Times inside the details are written like the When column's: the viewer's zone, 24-hour. */
function Details({ changes }: { changes: Record<string, unknown> | null }) {
  const details = summary(changes, useViewerTimeZone());
  return <span title={details}>{details}</span>;
}

/** Where an entry belongs: its organization (a link that filters the log by it), or the platform. */
function Scope({ entry, filterBy }: { entry: PlatformAuditEntry; filterBy: (organization: string) => string }) {
  if (!entry.organization) return <Badge variant="outline">Platform</Badge>;
  return (
    <Link href={filterBy(entry.organization.slug)} scroll={false} className="underline-offset-4 hover:underline" title={`Only ${entry.organization.name}'s entries`}>
      {entry.organization.name}
    </Link>
  );
}

function columns(filterBy: (organization: string) => string): ColumnDef<PlatformAuditEntry>[] {
  return [
    {
      accessorKey: "createdAt",
      header: "When",
      // Two lines on a phone (date, then time), one from sm up.
      meta: { className: "w-28 @xl:w-auto", cellClassName: "text-xs align-top whitespace-normal @xl:whitespace-nowrap" },
      cell: ({ row }) => <Time value={row.original.createdAt} mode="absolute" />,
    },
    {
      accessorKey: "action",
      header: "Action",
      meta: { cellClassName: "align-top whitespace-normal" },
      cell: ({ row }) => (
        <div className="min-w-0 space-y-0.5">
          <p className="font-medium">{auditLabel(row.original.action)}</p>
          <p className="hidden font-mono text-xs break-all text-muted-foreground @xl:block">{row.original.action}</p>
          {/* On a phone the actor and organization columns are hidden: the entry still says who and where. */}
          <p className="max-w-[14rem] truncate text-xs text-muted-foreground @xl:hidden" title={row.original.actorEmail}>
            {row.original.actorEmail}
          </p>
          <p className="text-xs @3xl:hidden">
            <Scope entry={row.original} filterBy={filterBy} />
          </p>
        </div>
      ),
    },
    {
      accessorKey: "actorEmail",
      header: "Actor",
      meta: { hideBelow: "sm", className: "max-w-[14rem]", cellClassName: "truncate align-top" },
      cell: ({ row }) => <span title={row.original.actorEmail}>{row.original.actorEmail}</span>,
    },
    {
      id: "organization",
      header: "Organization",
      meta: { hideBelow: "md", className: "max-w-[12rem]", cellClassName: "truncate align-top" },
      cell: ({ row }) => <Scope entry={row.original} filterBy={filterBy} />,
    },
    {
      id: "details",
      header: "Details",
      meta: { hideBelow: "lg", className: "max-w-[20rem]", cellClassName: "truncate align-top text-xs text-muted-foreground" },
      cell: ({ row }) => <Details changes={row.original.changes} />,
    },
  ];
}

/** Every organization's audit entries and the platform's own, newest first, a keyset page at a time. */
export function AuditLogTable({ page, toolbar, filtered }: { page: Page<PlatformAuditEntry>; toolbar: React.ReactNode; filtered: boolean }) {
  const url = useUrlState();
  const filterBy = (organization: string) => url.hrefWith({ organization: organization || PLATFORM_SCOPE });
  return (
    <DataTable
      label="Audit log"
      columns={columns(filterBy)}
      data={page.items}
      getRowId={(entry) => entry.id}
      page={page}
      toolbar={toolbar}
      rowTestId="audit-entry"
      empty={
        filtered ? (
          <EmptyState title="No entries match these filters" description="Widen the time range or clear a filter." />
        ) : (
          <EmptyState title="No audit entries yet" description="Changes to endpoints, members, portal links, organizations and accounts appear here, newest first." />
        )
      }
    />
  );
}
