"use client";

import type { ColumnDef } from "@tanstack/react-table";
import Link from "next/link";
import { Search } from "lucide-react";
import { useMemo } from "react";
import { DataTable } from "@/components/data-table/data-table";
import { useUrlState } from "@/components/data-table/use-url-state";
import { Badge } from "@/components/ui/badge";
import { InlineCodeText } from "@/components/ui/inline-code-text";
import { Input } from "@/components/ui/input";
import { EmptyState } from "@/components/ui/empty-state";
import type { EventTypeSummary } from "@/lib/catalog/event-types";
import { groupByPrefix, matchesSearch } from "@/lib/catalog/names";
import { eventTypePath } from "@/lib/routes";

function columns(org: string): ColumnDef<EventTypeSummary>[] {
  return [
    {
      accessorKey: "name",
      header: "Event type",
      meta: { className: "w-1/3", cellClassName: "whitespace-normal" },
      cell: ({ row }) => (
        <Link href={eventTypePath(org, row.original.name)} tabIndex={-1} className="flex flex-wrap items-center gap-2 hover:underline">
          <span className="font-mono text-sm font-medium break-all">{row.original.name}</span>
          {row.original.deprecated ? <Badge variant="warning">Deprecated</Badge> : null}
          {row.original.archived ? <Badge variant="secondary">Archived</Badge> : null}
          {/* The description column is hidden on phones; there it sits under the name instead. */}
          <span className="w-full text-xs text-muted-foreground @xl:hidden">
            <InlineCodeText text={row.original.description} />
          </span>
        </Link>
      ),
    },
    {
      accessorKey: "description",
      header: "Description",
      meta: { hideBelow: "sm", cellClassName: "whitespace-normal text-sm text-muted-foreground" },
      cell: ({ row }) => <InlineCodeText text={row.original.description} />,
    },
  ];
}

/** The catalog grouped by name prefix; the search is in the URL (`q`) so a filtered view can be shared. */
export function CatalogBrowser({ org, eventTypes }: { org: string; eventTypes: EventTypeSummary[] }) {
  const url = useUrlState();
  const query = url.get("q") ?? "";
  const groups = useMemo(() => groupByPrefix(eventTypes.filter((t) => matchesSearch(t, query))), [eventTypes, query]);
  const columnDefs = useMemo(() => columns(org), [org]);

  return (
    <div className="space-y-6">
      <div className="relative max-w-sm">
        <Search className="absolute top-2.5 left-2.5 size-4 text-muted-foreground" aria-hidden />
        <Input
          type="search"
          aria-label="Search event types"
          placeholder="Search event types"
          className="pl-8"
          defaultValue={query}
          onChange={(e) => url.set({ q: e.target.value })}
        />
      </div>
      {groups.length === 0 ? (
        <EmptyState
          title={eventTypes.length ? "No event types match" : "The catalog is empty"}
          description={eventTypes.length ? `Nothing matches "${query}". Try part of a name such as contract or offer.` : "Platform staff have not defined any event types yet."}
        />
      ) : (
        groups.map(({ group, items }) => (
          <section key={group} aria-labelledby={`group-${group}`} data-testid={`catalog-group-${group}`}>
            <h2 id={`group-${group}`} className="mb-2 text-sm font-semibold tracking-wide text-muted-foreground uppercase">
              {group}
            </h2>
            <DataTable
              label={`${group} event types`}
              columns={columnDefs}
              data={items}
              getRowId={(t) => t.name}
              rowHref={(t) => eventTypePath(org, t.name)}
              empty={null}
              hideHeader
            />
          </section>
        ))
      )}
    </div>
  );
}
