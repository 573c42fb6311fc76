"use client";

import Link from "next/link";
import { Search } from "lucide-react";
import { useMemo, useState } from "react";
import { Badge } from "@/components/ui/badge";
import { Input } from "@/components/ui/input";
import { EmptyState } from "@/components/webhooks/empty-state";
import type { EventTypeSummary } from "@/lib/catalog/event-types";
import { groupByPrefix, matchesSearch } from "@/lib/catalog/names";
import { eventTypePath } from "@/lib/routes";

export function CatalogBrowser({ org, eventTypes }: { org: string; eventTypes: EventTypeSummary[] }) {
  const [query, setQuery] = useState("");
  const groups = useMemo(() => groupByPrefix(eventTypes.filter((t) => matchesSearch(t, query))), [eventTypes, query]);

  return (
    <div className="space-y-6">
      <div className="relative max-w-sm">
        <Search className="absolute top-2.5 left-2.5 size-4 text-muted-foreground" aria-hidden />
        <Input
          type="search"
          aria-label="Search event types"
          placeholder="Search event types"
          className="pl-8"
          value={query}
          onChange={(e) => setQuery(e.target.value)}
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
            <ul className="divide-y rounded-lg border">
              {items.map((t) => (
                <li key={t.name}>
                  <Link href={eventTypePath(org, t.name)} className="flex flex-col gap-1 p-3 outline-none hover:bg-accent focus-visible:ring-2 focus-visible:ring-ring sm:flex-row sm:items-center sm:gap-4">
                    <span className="font-mono text-sm font-medium">{t.name}</span>
                    {t.deprecated ? <Badge variant="warning">Deprecated</Badge> : null}
                    {t.archived ? <Badge variant="secondary">Archived</Badge> : null}
                    <span className="text-sm text-muted-foreground sm:ml-auto sm:max-w-[60%] sm:truncate">{t.description}</span>
                  </Link>
                </li>
              ))}
            </ul>
          </section>
        ))
      )}
    </div>
  );
}
