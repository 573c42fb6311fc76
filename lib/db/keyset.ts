import { z } from "zod";
import { Prisma } from "@/lib/generated/prisma/client";

/**
 * Keyset pagination over (sort key, id) in both directions: the one pagination of every list,
 * dashboard and API alike. A page costs the same on the first and the ten-thousandth page because
 * it starts from an index position, never from an OFFSET, and rows arriving at the top do not shift
 * what the next page shows.
 *
 * The cursor is opaque to clients: base64url of the position and the direction. People bookmark
 * dashboard URLs, and API clients stored these as iterators before the API answered Svix's ids, so
 * a cursor once handed out stays readable: the wire format below does not change, and the format
 * the Jobs page wrote before this module served it too (`{d: "after" | "before", t: ISO 8601, id}`)
 * still reads as the same position.
 */

export type Direction = "next" | "prev";

export type SortOrder = "asc" | "desc";

export interface Position {
  at: Date;
  id: string;
}

export interface Cursor extends Position {
  /** `next`: the rows after the position in the list's order (older, newest first); `prev`: the rows before it. */
  direction: Direction;
}

export interface Page<T> {
  items: T[];
  /** The following rows (older, newest first), or null on the last page. */
  nextCursor: string | null;
  /** The preceding rows (newer, newest first), or null on the first page. */
  prevCursor: string | null;
}

/** Dates JavaScript can hold: a larger time would be an Invalid Date and reach the database as one. */
const MAX_TIME = 8.64e15;
const MAX_CURSOR_LENGTH = 512;

const wire = z.object({ d: z.enum(["n", "p"]), t: z.number().int().nonnegative().max(MAX_TIME), i: z.string().min(1).max(100) });
/** Written by the Jobs page until both lists shared this module; "after" was "next" in the list's order. */
const jobsWire = z.object({ d: z.enum(["after", "before"]), t: z.iso.datetime(), id: z.string().min(1).max(200) });

export function encodeCursor(cursor: Cursor): string {
  const value: z.infer<typeof wire> = { d: cursor.direction === "next" ? "n" : "p", t: cursor.at.getTime(), i: cursor.id };
  return Buffer.from(JSON.stringify(value), "utf8").toString("base64url");
}

/** Null for anything that is not a cursor this product wrote (absent, cut off, edited). */
export function decodeCursor(text: string | null | undefined): Cursor | null {
  if (!text || text.length > MAX_CURSOR_LENGTH) return null;
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(text, "base64url").toString("utf8"));
  } catch {
    return null;
  }
  const current = wire.safeParse(value);
  if (current.success) return { direction: current.data.d === "n" ? "next" : "prev", at: new Date(current.data.t), id: current.data.i };
  const jobs = jobsWire.safeParse(value);
  if (!jobs.success) return null;
  const at = new Date(jobs.data.t);
  return Number.isNaN(at.getTime()) ? null : { direction: jobs.data.d === "after" ? "next" : "prev", at, id: jobs.data.id };
}

/** The zod field every paginated query shares: an invalid cursor is an input error, not a 500. */
export const cursorField = z
  .string()
  .max(400)
  .transform((text, ctx): Cursor => {
    const cursor = decodeCursor(text);
    if (!cursor) {
      ctx.addIssue({ code: "custom", message: "This page link is not valid (it may have been cut off): go back to the first page." });
      return z.NEVER;
    }
    return cursor;
  });

export interface KeysetPlan {
  /** The order to read in: a `prev` page is read backwards from the position, and toPage puts it back. */
  scanOrder: SortOrder;
  /** Rows strictly beyond this position in scan order: `(at, id) < position` reading descending, `>` ascending. */
  beyond: (Position & { op: "lt" | "gt" }) | null;
  /** One more than a page, to learn whether another page exists without counting. */
  take: number;
}

/**
 * One page's query, for any query builder: a list in `order` (newest first by default) read from
 * the cursor's position. keysetClauses writes it as SQL; a Prisma `findMany` writes `beyond` as
 * `OR: [{ at: { lt } }, { at, id: { lt } }]` (inngest/executor/jobs.ts).
 */
export function keysetPlan(cursor: Cursor | undefined, limit: number, order: SortOrder = "desc"): KeysetPlan {
  const flipped: SortOrder = order === "desc" ? "asc" : "desc";
  const scanOrder = cursor?.direction === "prev" ? flipped : order;
  return {
    scanOrder,
    beyond: cursor ? { at: cursor.at, id: cursor.id, op: scanOrder === "desc" ? "lt" : "gt" } : null,
    take: limit + 1,
  };
}

/**
 * The WHERE condition, ORDER BY and LIMIT of one page, newest first unless `order` says otherwise.
 * `time` and `id` are the SQL columns of the keyset; an index ending in (time, id) after the
 * equality columns serves both orders and both directions.
 */
export function keysetClauses(time: Prisma.Sql, id: Prisma.Sql, cursor: Cursor | undefined, limit: number, order: SortOrder = "desc") {
  const { scanOrder, beyond, take } = keysetPlan(cursor, limit, order);
  const where = !beyond
    ? Prisma.empty
    : beyond.op === "gt"
      ? Prisma.sql`AND (${time}, ${id}) > (${beyond.at}, ${beyond.id})`
      : Prisma.sql`AND (${time}, ${id}) < (${beyond.at}, ${beyond.id})`;
  const orderBy = scanOrder === "asc" ? Prisma.sql`ORDER BY ${time} ASC, ${id} ASC` : Prisma.sql`ORDER BY ${time} DESC, ${id} DESC`;
  return { where, order: orderBy, limit: Prisma.sql`LIMIT ${take}` };
}

/**
 * Turns the `limit + 1` rows a plan fetched into a page in the list's order. The extra row only
 * says whether there is more in the direction read; the other direction is known from the cursor.
 */
export function toPage<T>(rows: T[], position: (row: T) => Position, cursor: Cursor | undefined, limit: number): Page<T> {
  const more = rows.length > limit;
  const items = rows.slice(0, limit);
  if (cursor?.direction === "prev") items.reverse();
  const first = items[0];
  const last = items[items.length - 1];
  const at = (row: T, direction: Direction) => encodeCursor({ ...position(row), direction });
  if (cursor?.direction === "prev") {
    return { items, prevCursor: more && first ? at(first, "prev") : null, nextCursor: last ? at(last, "next") : null };
  }
  return { items, nextCursor: more && last ? at(last, "next") : null, prevCursor: cursor && first ? at(first, "prev") : null };
}

/**
 * Whether rows remain beyond the page in the direction it was read from `cursor`: after its last
 * row in the list's order for a first or `next` page, before its first row for a `prev` page.
 * The API's `done` is its negation.
 */
export function readsFurther(page: Page<unknown>, cursor: Cursor | undefined): boolean {
  return (cursor?.direction === "prev" ? page.prevCursor : page.nextCursor) !== null;
}
