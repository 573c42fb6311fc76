"use client";

import { Search } from "lucide-react";
import { createContext, useContext } from "react";
import { useUrlState } from "@/components/data-table/use-url-state";
import { Input } from "@/components/ui/input";
import { matchesFilter } from "@/lib/api/v1/reference";

/**
 * The reference's filter. The operations are rendered on the server; these small client parts
 * only hide what does not match. The query is in the URL (`q`) so a filtered view can be shared.
 */
const QueryContext = createContext("");

export function ReferenceFilterProvider({ children }: { children: React.ReactNode }) {
  const url = useUrlState();
  return <QueryContext.Provider value={url.get("q") ?? ""}>{children}</QueryContext.Provider>;
}

export function ReferenceSearch({ total }: { total: number }) {
  const url = useUrlState();
  return (
    <div className="relative">
      <Search className="absolute top-2.5 left-2.5 size-4 text-muted-foreground" aria-hidden />
      <Input
        type="search"
        aria-label="Filter operations"
        placeholder={`Filter ${total} operations`}
        className="pl-8"
        defaultValue={url.get("q") ?? ""}
        onChange={(e) => url.set({ q: e.target.value })}
      />
    </div>
  );
}

/** Shown while any of `texts` matches the filter (an operation: one text; a section: its operations'). */
export function Filtered({ texts, as: Tag = "div", children, ...props }: { texts: string[]; as?: "div" | "li" | "section" } & React.HTMLAttributes<HTMLElement>) {
  const query = useContext(QueryContext);
  const shown = texts.some((text) => matchesFilter(text, query));
  return (
    <Tag {...props} hidden={!shown}>
      {children}
    </Tag>
  );
}

/** Shown only when the filter hides everything. */
export function NoMatches({ texts, children }: { texts: string[]; children: React.ReactNode }) {
  const query = useContext(QueryContext);
  return texts.some((text) => matchesFilter(text, query)) ? null : <>{children}</>;
}

/** "3 of 40 operations" under the filter, announced to screen readers as it changes. */
export function MatchCount({ texts }: { texts: string[] }) {
  const query = useContext(QueryContext);
  const count = texts.filter((text) => matchesFilter(text, query)).length;
  return (
    <p className="text-xs text-muted-foreground" aria-live="polite">
      {query.trim() ? `${count} of ${texts.length} operations` : `${texts.length} operations`}
    </p>
  );
}

/** The contents folded above the operations on narrow screens; following a link folds them again. */
export function FoldedContents({ summary, children }: { summary: React.ReactNode; children: React.ReactNode }) {
  return (
    <details
      className="group rounded-lg border lg:hidden"
      onClick={(event) => {
        if ((event.target as HTMLElement).closest("a")) event.currentTarget.open = false;
      }}
    >
      {summary}
      {children}
    </details>
  );
}
