"use client";

import {
  flexRender,
  getCoreRowModel,
  getSortedRowModel,
  useReactTable,
  type ColumnDef,
  type RowData,
  type SortingState,
} from "@tanstack/react-table";
import { ArrowDown, ArrowUp, ArrowUpDown, ChevronLeft, ChevronRight } from "lucide-react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useMemo, useRef, useState } from "react";
import { CURSOR_PARAM, useUrlState } from "@/components/data-table/use-url-state";
import { Button } from "@/components/ui/button";
import { Skeleton } from "@/components/ui/skeleton";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { cn } from "@/lib/utils";

declare module "@tanstack/react-table" {
  // eslint-disable-next-line @typescript-eslint/no-unused-vars -- the generics must match TanStack's declaration
  interface ColumnMeta<TData extends RowData, TValue> {
    /** Hide the column below this breakpoint; key columns (URL, status) never set it. */
    hideBelow?: Breakpoint;
    /** On the header and the cells: widths, alignment. */
    className?: string;
    /** On the cells only: type size, colour, wrapping. */
    cellClassName?: string;
  }
}

type Breakpoint = "sm" | "md" | "lg";

// Written out in full so Tailwind sees every class.
/**
 * Columns hide by the table's own width (a container query on its wrapper), not the window's: beside
 * the sidebar a 1024 px window leaves the table 720 px, and columns chosen by the window's width
 * were clipped. `sm` is 36rem (576 px), `md` 48rem (768 px), `lg` 64rem (1024 px) of table; cells
 * that show a hidden column's content another way use the same container variants.
 */
const HIDE_BELOW: Record<Breakpoint, string> = {
  sm: "hidden @xl:table-cell",
  md: "hidden @3xl:table-cell",
  lg: "hidden @5xl:table-cell",
};

const NO_SORT: SortingState = [];

export interface CursorPage {
  nextCursor: string | null;
  prevCursor: string | null;
}

export interface DataTableProps<TData> {
  columns: ColumnDef<TData>[];
  data: TData[];
  /** Accessible name of the table. */
  label: string;
  getRowId: (row: TData) => string;
  /** Where Enter (and a click on the row's link) goes. */
  rowHref?: (row: TData) => string;
  /**
   * client: rows sorted in the browser (small lists the server sends whole).
   * server: the sort is only written to the URL; the page's server component orders the query.
   * Either way the sort is in the URL as `sort=<column>` or `sort=-<column>` (descending).
   */
  sorting?: "client" | "server";
  defaultSort?: SortingState;
  /** Prefixes this table's sort param when a page has more than one table. */
  paramPrefix?: string;
  /** Keyset page from the server; shows Previous/Next links that carry its opaque cursors. */
  page?: CursorPage;
  toolbar?: React.ReactNode;
  empty: React.ReactNode;
  /** Surface the table sits on, so the sticky header covers the rows scrolling under it. */
  surface?: "background" | "card";
  /** A test id for every row, or one per row. */
  rowTestId?: string | ((row: TData) => string);
  /** Keep the column headers for screen readers only, where a heading above already names the list. */
  hideHeader?: boolean;
}

export function DataTable<TData>({
  columns,
  data,
  label,
  getRowId,
  rowHref,
  sorting: sortingMode,
  defaultSort = NO_SORT,
  paramPrefix = "",
  page,
  toolbar,
  empty,
  surface = "background",
  rowTestId,
  hideHeader = false,
}: DataTableProps<TData>) {
  const router = useRouter();
  const url = useUrlState();
  const sortParam = `${paramPrefix}sort`;
  const rawSort = url.get(sortParam);
  const sorting = useMemo(() => parseSort(rawSort, columns) ?? defaultSort, [rawSort, columns, defaultSort]);

  // TanStack returns fresh functions each render by design; the compiler leaves this component unmemoised.
  // eslint-disable-next-line react-hooks/incompatible-library
  const table = useReactTable({
    data,
    columns,
    getRowId,
    state: { sorting },
    enableSorting: sortingMode !== undefined,
    enableSortingRemoval: false,
    manualSorting: sortingMode === "server",
    onSortingChange: (updater) => {
      const next = typeof updater === "function" ? updater(sorting) : updater;
      const first = next[0];
      url.set({ [sortParam]: first ? `${first.desc ? "-" : ""}${first.id}` : null }, { server: sortingMode === "server" });
    },
    getCoreRowModel: getCoreRowModel(),
    getSortedRowModel: sortingMode === "client" ? getSortedRowModel() : undefined,
  });

  const rows = table.getRowModel().rows;
  const [activeId, setActiveId] = useState<string | null>(null);
  const rowRefs = useRef(new Map<string, HTMLTableRowElement>());
  // The row that takes Tab: the last one focused if it is still shown, else the first.
  const tabStop = rows.find((r) => r.id === activeId)?.id ?? rows[0]?.id;

  function focusRow(index: number) {
    const row = rows[Math.max(0, Math.min(rows.length - 1, index))];
    if (!row) return;
    setActiveId(row.id);
    rowRefs.current.get(row.id)?.focus();
  }

  function onRowKeyDown(event: React.KeyboardEvent<HTMLTableRowElement>, index: number, href: string | undefined) {
    // Keys typed inside a control in the row (a button, an input) belong to that control.
    if (event.target !== event.currentTarget) return;
    const moves: Record<string, number> = { ArrowDown: index + 1, ArrowUp: index - 1, Home: 0, End: rows.length - 1 };
    if (event.key in moves) {
      event.preventDefault();
      focusRow(moves[event.key]!);
    } else if (event.key === "Enter" && href) {
      event.preventDefault();
      router.push(href);
    }
  }

  const headerSurface = surface === "card" ? "bg-card" : "bg-background";

  return (
    <div className={cn("space-y-3", url.pending && "opacity-60 transition-opacity")} aria-busy={url.pending || undefined}>
      {toolbar && rows.length > 0 ? (
        // Filters can be a dozen Tab stops: a keyboard user jumps straight to the rows (shown on focus only).
        <a
          href="#"
          className="sr-only rounded-md bg-background px-2 py-1 text-sm font-medium underline outline-none focus:not-sr-only focus:inline-block focus-visible:ring-2 focus-visible:ring-ring"
          onClick={(event) => {
            event.preventDefault();
            focusRow(rows.findIndex((r) => r.id === tabStop));
          }}
        >
          Skip to results
        </a>
      ) : null}
      {toolbar ? <div className="flex flex-wrap items-center gap-2">{toolbar}</div> : null}
      {rows.length === 0 ? (
        empty
      ) : (
        <Table aria-label={label} containerProps={{ className: "@container overflow-x-clip" }}>
          <TableHeader className={cn(hideHeader ? "sr-only" : cn("sticky top-14 z-10", headerSurface))}>
            {table.getHeaderGroups().map((group) => (
              <TableRow key={group.id} className="hover:bg-transparent">
                {group.headers.map((header) => {
                  const meta = header.column.columnDef.meta;
                  const sorted = header.column.getIsSorted();
                  return (
                    <TableHead
                      key={header.id}
                      className={cn(meta?.hideBelow && HIDE_BELOW[meta.hideBelow], meta?.className)}
                      aria-sort={sorted ? (sorted === "asc" ? "ascending" : "descending") : undefined}
                    >
                      {header.isPlaceholder ? null : header.column.getCanSort() ? (
                        <Button
                          variant="ghost"
                          size="sm"
                          className="-ml-2 h-8 px-2"
                          onClick={() => header.column.toggleSorting(sorted === "asc")}
                        >
                          {flexRender(header.column.columnDef.header, header.getContext())}
                          {sorted === "asc" ? <ArrowUp aria-hidden /> : sorted === "desc" ? <ArrowDown aria-hidden /> : <ArrowUpDown className="opacity-50" aria-hidden />}
                        </Button>
                      ) : (
                        flexRender(header.column.columnDef.header, header.getContext())
                      )}
                    </TableHead>
                  );
                })}
              </TableRow>
            ))}
          </TableHeader>
          <TableBody>
            {rows.map((row, index) => {
              const href = rowHref?.(row.original);
              return (
                <TableRow
                  key={row.id}
                  ref={(el) => {
                    if (el) rowRefs.current.set(row.id, el);
                    else rowRefs.current.delete(row.id);
                  }}
                  tabIndex={row.id === tabStop ? 0 : -1}
                  data-testid={typeof rowTestId === "function" ? rowTestId(row.original) : rowTestId}
                  data-href={href}
                  onFocus={(event) => {
                    if (event.target === event.currentTarget) setActiveId(row.id);
                  }}
                  onKeyDown={(event) => onRowKeyDown(event, index, href)}
                  className="outline-none focus-visible:bg-muted/60 focus-visible:ring-2 focus-visible:ring-ring focus-visible:ring-inset"
                >
                  {row.getVisibleCells().map((cell) => {
                    const meta = cell.column.columnDef.meta;
                    return (
                      <TableCell key={cell.id} className={cn(meta?.hideBelow && HIDE_BELOW[meta.hideBelow], meta?.className, meta?.cellClassName)}>
                        {flexRender(cell.column.columnDef.cell, cell.getContext())}
                      </TableCell>
                    );
                  })}
                </TableRow>
              );
            })}
          </TableBody>
        </Table>
      )}
      {page ? <CursorPagination page={page} /> : null}
    </div>
  );
}

function parseSort<TData>(raw: string | null, columns: ColumnDef<TData>[]): SortingState | null {
  if (!raw) return null;
  const desc = raw.startsWith("-");
  const id = desc ? raw.slice(1) : raw;
  // Only columns this table knows: a stale or hand-edited URL falls back to the default order.
  const known = columns.some((c) => c.id === id || ("accessorKey" in c && c.accessorKey === id));
  return known ? [{ id, desc }] : null;
}

function CursorPagination({ page }: { page: CursorPage }) {
  const url = useUrlState();
  if (!page.prevCursor && !page.nextCursor) return null;
  const control = (cursor: string | null, rel: "prev" | "next") => {
    const content =
      rel === "prev" ? (
        <>
          <ChevronLeft aria-hidden /> Previous page
        </>
      ) : (
        <>
          Next page <ChevronRight aria-hidden />
        </>
      );
    // Links, not buttons: a page of a list is an address like any other (open in a new tab, share).
    return cursor ? (
      <Button variant="outline" size="sm" asChild>
        <Link href={url.hrefWith({ [CURSOR_PARAM]: cursor })} rel={rel} scroll={false}>
          {content}
        </Link>
      </Button>
    ) : (
      <Button variant="outline" size="sm" disabled>
        {content}
      </Button>
    );
  };
  return (
    <nav aria-label="Pagination" className="flex items-center justify-end gap-2">
      {control(page.prevCursor, "prev")}
      {control(page.nextCursor, "next")}
    </nav>
  );
}

/** The loading state of a list, for the route's loading.tsx: the shape of the table, no data. */
export function DataTableSkeleton({ columns = 4, rows = 5, label = "Loading" }: { columns?: number; rows?: number; label?: string }) {
  return (
    <div role="status" className="space-y-2" aria-busy="true" aria-label={label} data-testid="data-table-skeleton">
      <Skeleton className="h-9 w-full max-w-sm" />
      <div className="divide-y rounded-md border">
        {Array.from({ length: rows }, (_, r) => (
          <div key={r} className="flex gap-4 p-3">
            {Array.from({ length: columns }, (_, c) => (
              <Skeleton key={c} className={cn("h-4 flex-1", c > 1 && "hidden sm:block")} />
            ))}
          </div>
        ))}
      </div>
    </div>
  );
}
