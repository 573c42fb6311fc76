import { z } from "zod";

/**
 * Keyset pagination over (timestamp, id), the order of every log-like list: a page is fetched
 * "after" or "before" the key of a row the viewer has seen, never by offset, so new rows arriving at
 * the top do not shift what the next page shows and deep pages cost the same as the first.
 *
 * Cursors are opaque to the browser (base64url JSON); the server decodes and validates them, and
 * treats anything it cannot read as "first page".
 */

export interface Page<T> {
  rows: T[];
  nextCursor: string | null;
  prevCursor: string | null;
}

export interface RowKey {
  at: Date;
  id: string;
}

export interface Cursor extends RowKey {
  /** after: the rows that follow `key` in the list's order; before: the rows that precede it. */
  direction: "after" | "before";
}

export type SortOrder = "asc" | "desc";

const wireSchema = z.object({
  d: z.enum(["after", "before"]),
  t: z.iso.datetime(),
  id: z.string().min(1).max(200),
});

export function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify({ d: cursor.direction, t: cursor.at.toISOString(), id: cursor.id })).toString("base64url");
}

export function decodeCursor(raw: string | null | undefined): Cursor | null {
  if (!raw || raw.length > 512) return null;
  try {
    const parsed = wireSchema.safeParse(JSON.parse(Buffer.from(raw, "base64url").toString("utf8")));
    return parsed.success ? { direction: parsed.data.d, at: new Date(parsed.data.t), id: parsed.data.id } : null;
  } catch {
    return null;
  }
}

export interface KeysetPlan {
  /** Order to scan in: a "before" page is read backwards from the key, then put back in list order. */
  scanOrder: SortOrder;
  /** One more than a page, to learn whether another page exists without counting. */
  take: number;
  /** Rows strictly beyond this key in scanOrder: `(at, id) < key` for desc, `> key` for asc. */
  beyond: (RowKey & { op: "lt" | "gt" }) | null;
}

export function keysetPlan(cursor: Cursor | null, order: SortOrder, pageSize: number): KeysetPlan {
  const scanOrder: SortOrder = cursor?.direction === "before" ? (order === "desc" ? "asc" : "desc") : order;
  return {
    scanOrder,
    take: pageSize + 1,
    beyond: cursor ? { at: cursor.at, id: cursor.id, op: scanOrder === "desc" ? "lt" : "gt" } : null,
  };
}

/** Turns the rows a plan fetched into a page in list order with the cursors either side of it. */
export function keysetPage<T>(fetched: T[], cursor: Cursor | null, pageSize: number, keyOf: (row: T) => RowKey): Page<T> {
  const more = fetched.length > pageSize;
  const backwards = cursor?.direction === "before";
  const rows = fetched.slice(0, pageSize);
  if (backwards) rows.reverse();
  const first = rows[0];
  const last = rows.at(-1);
  // Reading backwards, the page we came from is still ahead; reading forwards, any cursor means a page behind.
  const hasNext = backwards ? true : more;
  const hasPrev = backwards ? more : cursor !== null;
  return {
    rows,
    nextCursor: hasNext && last ? encodeCursor({ direction: "after", ...keyOf(last) }) : null,
    prevCursor: hasPrev && first ? encodeCursor({ direction: "before", ...keyOf(first) }) : null,
  };
}
