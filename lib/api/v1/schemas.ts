import { z } from "zod";
import "zod-openapi";
import { decodeCursor, keysetPlan, toPage, type Cursor, type Page, type Position } from "@/lib/db/keyset";

/**
 * Pieces every API operation shares, in Svix's wire format (camelCase fields, ISO 8601 times,
 * `{ data, iterator, prevIterator, done }` lists).
 */

/** A time in an answer: the handler gives a Date, the wire carries ISO 8601 (Date.toJSON). */
export const dateTimeOut = z.date().meta({ override: { type: "string", format: "date-time" } });

/** A time in a query or body: ISO 8601 with a zone, read as a Date. */
export const dateTimeIn = (label: string) =>
  z.iso
    .datetime({ offset: true, message: `${label} is a date and time with a zone, such as 2026-05-01T09:00:00Z` })
    .transform((text) => new Date(text));

/** Free-form string pairs an API client attaches to an application or endpoint. */
export const metadataSchema = z
  .record(z.string().max(100), z.string().max(1000))
  .refine((m) => Object.keys(m).length <= 50, "At most 50 metadata entries")
  .meta({ description: "Free-form string pairs for your own use, returned as given." });

/** Svix's comma-separated list parameter (`event_types=a,b`); the SDKs send arrays that way. */
export const csvList = (item: z.ZodString = z.string().min(1)) =>
  z
    .string()
    .transform((text) => text.split(",").map((s) => s.trim()).filter(Boolean))
    .pipe(z.array(item).max(100))
    .meta({ override: { type: "array", items: { type: "string" } }, description: "Comma-separated, or the parameter repeated." });

export const LIST_LIMIT_DEFAULT = 50;
export const LIST_LIMIT_MAX = 250;

/** `limit` and `iterator` of every list. An iterator is opaque: pass back `iterator` (older) or `prevIterator` (newer) from an answer. */
export const listQuery = z.object({
  limit: z.coerce
    .number({ message: `limit is a number from 1 to ${LIST_LIMIT_MAX}` })
    .int(`limit is a whole number from 1 to ${LIST_LIMIT_MAX}`)
    .min(1, `limit is at least 1`)
    .max(LIST_LIMIT_MAX, `limit is at most ${LIST_LIMIT_MAX}`)
    .default(LIST_LIMIT_DEFAULT)
    .meta({ description: `How many items per page (1–${LIST_LIMIT_MAX}, default ${LIST_LIMIT_DEFAULT}).` }),
  iterator: z
    .string()
    .max(400)
    .optional()
    .transform((text, ctx): Cursor | undefined => {
      if (text === undefined || text === "") return undefined;
      const cursor = decodeCursor(text);
      if (!cursor) {
        ctx.addIssue({ code: "custom", message: "This iterator is not one this API returned (it may have been cut off): start again without it." });
        return z.NEVER;
      }
      return cursor;
    })
    .meta({ description: "Where to continue: the `iterator` or `prevIterator` of the previous answer." }),
});

/** A list answer's schema for items of `item`. */
export function listOf<T extends z.ZodType>(item: T, name: string) {
  return z
    .object({
      data: z.array(item),
      iterator: z.string().nullable().meta({ description: "Pass as `iterator` for the next (older) page; null when there is none." }),
      prevIterator: z.string().nullable().meta({ description: "Pass as `iterator` for the previous (newer) page; null on the first page." }),
      done: z.boolean().meta({ description: "True on the last page." }),
    })
    .meta({ id: `ListResponse${name}` });
}

/** A keyset page (lib/db/keyset) as a Svix list answer. */
export function listAnswer<T, U>(page: Page<T>, map: (row: T) => U) {
  return { data: page.items.map(map), iterator: page.nextCursor, prevIterator: page.prevCursor, done: page.nextCursor === null };
}

/**
 * A list answer for a small set already in memory (applications, event types, endpoints of one
 * organization), paginated by a stable (time, id) position like the database lists: the plan a
 * query would run, run over the array.
 */
export function listInMemory<T>(rows: readonly T[], position: (row: T) => Position, limit: number, cursor: Cursor | undefined): Page<T> {
  const { scanOrder, beyond, take } = keysetPlan(cursor, limit);
  const sign = scanOrder === "asc" ? 1 : -1;
  const compare = (a: Position, b: Position) => a.at.getTime() - b.at.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  const fetched = rows
    .filter((row) => !beyond || sign * compare(position(row), beyond) > 0)
    .sort((a, b) => sign * compare(position(a), position(b)))
    .slice(0, take);
  return toPage(fetched, position, cursor, limit);
}

/** The app path parameter: an organization id or its slug (Svix's application id or uid). */
export const appParams = z.object({ app_id: z.string().min(1).max(100).meta({ description: "The application: an organization id or its uid (the organization slug)." }) });
