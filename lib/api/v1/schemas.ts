import { z } from "zod";
import "zod-openapi";
import { invalidField } from "@/lib/api/v1/operation";
import { decodeCursor, keysetPlan, readsFurther, toPage, type Cursor, type Direction, type Page, type Position, type SortOrder } from "@/lib/db/keyset";

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

/**
 * Where a list continues, as a client wrote it (Svix's paging):
 * - an item's id, the `iterator` of an answer (its last item): the items after it in the list's order;
 * - `-` and an item's id, the `prevIterator` of an answer (its first item): the items before it, the
 *   newer ones in a newest-first list. With a stored id this is how a client polls for new items;
 * - an opaque position this API handed out before it answered ids (base64 of a JSON keyset
 *   position, `lib/db/keyset.ts`): still read as that position, so a client mid-way through a list
 *   when the server was upgraded carries on, and its next answer gives it ids.
 * An id becomes a position only in its list: `iteratorPosition` looks it up.
 */
export type ListIterator = { kind: "position"; cursor: Cursor } | { kind: "id"; id: string; direction: Direction };

/** `limit` and `iterator` of every list. */
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
    .transform((text): ListIterator | undefined => {
      if (text === undefined || text === "") return undefined;
      const cursor = decodeCursor(text);
      if (cursor) return { kind: "position", cursor };
      return text.startsWith("-") ? { kind: "id", id: text.slice(1), direction: "prev" } : { kind: "id", id: text, direction: "next" };
    })
    .meta({
      description:
        "Where to continue: the `iterator` of an answer (the id of its last item) for the items after it, or its `prevIterator` (`-` and the id of its first item) for the items before it (the newer ones, in a newest-first list). Any id of an item of this list works the same, so a stored id resumes the list or, with `-`, polls for what came after it.",
    }),
});

/** Svix's `Ordering`, on the lists where Svix has it. */
const orderField = z
  .enum(["ascending", "descending"], { message: "order is ascending or descending" })
  .optional()
  .meta({ id: "Ordering", description: "The order of the items: `descending` (newest first, the default) or `ascending` (oldest first)." });

/** `listQuery` and Svix's `order`. */
export const orderedListQuery = listQuery.extend({ order: orderField });

/** The keyset order of a list's `order` parameter: newest first unless asked otherwise. */
export function sortOrderOf(order: z.output<typeof orderField>): SortOrder {
  return order === "ascending" ? "asc" : "desc";
}

/** How a list turns an id iterator into its position. */
export interface IteratorLookup {
  /** The kind of item, for the 422: "message", "endpoint". */
  noun: string;
  /** The format of the list's ids, checked before any lookup. */
  accepts?: (id: string) => boolean;
  /** The item's keyset position in this list, from an index; null when the list has no such item. */
  find: (id: string) => Promise<Position | null>;
}

/**
 * The position an iterator names in a list. Svix's ids are time-ordered, so Svix reads any id of
 * the right kind as a time and never answers "unknown"; here ids are random and an id is a
 * position only through its item. So an id the list does not hold (deleted, aged out, another
 * organization's, mistyped) is a 422 at `["query", "iterator"]`, like an id of the wrong kind is at Svix.
 */
export async function iteratorPosition(iterator: ListIterator | undefined, lookup: IteratorLookup, order: SortOrder = "desc"): Promise<Cursor | undefined> {
  if (!iterator) return undefined;
  if (iterator.kind === "position") {
    // Every list was newest first when these were handed out: in a list read oldest first, the
    // rows they named lie the other way.
    const { cursor } = iterator;
    return order === "desc" ? cursor : { ...cursor, direction: cursor.direction === "next" ? "prev" : "next" };
  }
  const { id, direction } = iterator;
  if (!id || (lookup.accepts && !lookup.accepts(id))) {
    throw invalidField(["query", "iterator"], `"${id}" is not a ${lookup.noun} id: pass the iterator or prevIterator of an earlier answer, or the id of an item of this list`);
  }
  const position = await lookup.find(id);
  if (!position) {
    throw invalidField(["query", "iterator"], `This list has no ${lookup.noun} ${id} (it may have been deleted, or be past the retention period): start again without iterator`);
  }
  return { ...position, direction };
}

/**
 * Svix's reading of a time window with `after` alone and no iterator: its oldest page first (shown
 * in the list's order), so that following `prevIterator` walks forward in time from `after`. The
 * position just before `after`: every id sorts after the empty string, so "beyond it" is `at >= after`.
 */
export function windowStart(cursor: Cursor | undefined, window: { from?: Date; to?: Date }): Cursor | undefined {
  if (cursor || !window.from || window.to) return cursor;
  return { direction: "prev", at: window.from, id: "" };
}

/** A list answer's schema for items of `item`. */
export function listOf<T extends z.ZodType>(item: T, name: string) {
  return z
    .object({
      data: z.array(item),
      iterator: z.string().nullable().meta({ description: "The id of the last item: pass it as `iterator` for the items after this page. Null only when the page is empty." }),
      prevIterator: z
        .string()
        .nullable()
        .meta({ description: "`-` and the id of the first item: pass it as `iterator` for the items before this page (newer, in a newest-first list). Null only when the page is empty." }),
      done: z.boolean().meta({ description: "True when no item follows in the direction this page was read: after its last item, or before its first when it was read with a `-` iterator or `after` alone." }),
    })
    .meta({ id: `ListResponse${name}` });
}

/** A keyset page read from `read` as a Svix list answer; `iteratorOf` is the id a client pages with. */
export function listAnswer<T, U>(page: Page<T>, read: Cursor | undefined, iteratorOf: (row: T) => string, map: (row: T) => U) {
  const first = page.items[0];
  const last = page.items[page.items.length - 1];
  return {
    data: page.items.map(map),
    iterator: last ? iteratorOf(last) : null,
    prevIterator: first ? `-${iteratorOf(first)}` : null,
    done: !readsFurther(page, read),
  };
}

/**
 * A page of a small set already in memory (applications, event types, endpoints of one
 * organization), by a stable (time, id) position like the database lists: the plan a query would
 * run, run over the array.
 */
export function listInMemory<T>(rows: readonly T[], position: (row: T) => Position, limit: number, cursor: Cursor | undefined, order: SortOrder = "desc"): Page<T> {
  const { scanOrder, beyond, take } = keysetPlan(cursor, limit, order);
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
