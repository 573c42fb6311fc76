import { z } from "zod";
import { Prisma } from "@/lib/generated/prisma/client";

/**
 * Keyset pagination over (time, id), newest first, in both directions. A page costs the same on
 * the first and the ten-thousandth page because it starts from an index position, never from an
 * OFFSET. The cursor is opaque to clients: base64url of the position and the direction.
 */

export type Direction = "next" | "prev";

export interface Position {
  at: Date;
  id: string;
}

export interface Cursor extends Position {
  /** `next`: the rows older than the position; `prev`: the rows newer than it. */
  direction: Direction;
}

export interface Page<T> {
  items: T[];
  /** Older rows, or null on the last page. */
  nextCursor: string | null;
  /** Newer rows, or null on the first page. */
  prevCursor: string | null;
}

const wire = z.object({ d: z.enum(["n", "p"]), t: z.number().int().nonnegative(), i: z.string().min(1).max(100) });

export function encodeCursor(cursor: Cursor): string {
  const value: z.infer<typeof wire> = { d: cursor.direction === "next" ? "n" : "p", t: cursor.at.getTime(), i: cursor.id };
  return Buffer.from(JSON.stringify(value), "utf8").toString("base64url");
}

/** Null for anything that is not a cursor this module wrote. */
export function decodeCursor(text: string): Cursor | null {
  try {
    const parsed = wire.safeParse(JSON.parse(Buffer.from(text, "base64url").toString("utf8")));
    if (!parsed.success) return null;
    return { direction: parsed.data.d === "n" ? "next" : "prev", at: new Date(parsed.data.t), id: parsed.data.i };
  } catch {
    return null;
  }
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

/**
 * The WHERE condition, ORDER BY and LIMIT of one page. `time` and `id` are the SQL columns of the
 * keyset; an index ending in (time, id) after the equality columns serves both directions.
 */
export function keysetClauses(time: Prisma.Sql, id: Prisma.Sql, cursor: Cursor | undefined, limit: number) {
  const backwards = cursor?.direction === "prev";
  const where = !cursor
    ? Prisma.empty
    : backwards
      ? Prisma.sql`AND (${time}, ${id}) > (${cursor.at}, ${cursor.id})`
      : Prisma.sql`AND (${time}, ${id}) < (${cursor.at}, ${cursor.id})`;
  const order = backwards ? Prisma.sql`ORDER BY ${time} ASC, ${id} ASC` : Prisma.sql`ORDER BY ${time} DESC, ${id} DESC`;
  return { where, order, limit: Prisma.sql`LIMIT ${limit + 1}` };
}

/**
 * Turns the `limit + 1` rows a query returned into a page, newest first. The extra row only says
 * whether there is more in the direction read; the other direction is known from the cursor.
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
