import { z } from "zod";
import { cursorField } from "@/lib/db/keyset";

/**
 * The message logs' filters as they arrive in a URL's search params (strings, repeated keys for
 * lists). One schema for the page, the export route and the API, so a shared link, an export and
 * an API call select exactly the same messages.
 */

export const PAGE_SIZE = { default: 50, max: 250 } as const;

/** `none`: no endpoint received the message. The others: at least one delivery in that state. */
export const MESSAGE_STATUS_FILTERS = ["succeeded", "failed", "pending", "sending", "none"] as const;
export type MessageStatusFilter = (typeof MESSAGE_STATUS_FILTERS)[number];

/** Relative ranges ending now, so a shared link keeps meaning "the last 24 hours". */
export const TIME_PRESETS = { "1h": 3_600_000, "24h": 86_400_000, "7d": 7 * 86_400_000, "30d": 30 * 86_400_000 } as const;
export type TimePreset = keyof typeof TIME_PRESETS;

/** `contract.id`, `data.items_count`: keys of nested objects, without array indexes. */
const KEY_PATH = /^[A-Za-z0-9_$-]+(\.[A-Za-z0-9_$-]+)*$/;

const blankToUndefined = (value: unknown) => (typeof value === "string" && value.trim() === "" ? undefined : value);
const optionalText = <T extends z.ZodType>(schema: T) => z.preprocess(blankToUndefined, schema.optional());
const list = (value: unknown) => (value === undefined ? [] : (Array.isArray(value) ? value : [value]).filter((v) => blankToUndefined(v) !== undefined));

const instant = z.iso
  .datetime({ offset: true, message: "Use a date and time such as 2026-05-01T09:00:00Z" })
  .transform((text) => new Date(text));

export type JsonObject = { [key: string]: unknown };

const containmentDocument = z.string().transform((text, ctx): JsonObject => {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    ctx.addIssue({ code: "custom", message: `Not valid JSON: ${error instanceof Error ? error.message : String(error)}. Example: {"contract":{"id":"ctr_1"}}` });
    return z.NEVER;
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    ctx.addIssue({ code: "custom", message: 'Search with a JSON object, e.g. {"contract":{"id":"ctr_1"}}' });
    return z.NEVER;
  }
  return value as JsonObject;
});

/** `contract.id` = `ctr_1` as the document `{"contract":{"id":"ctr_1"}}`. */
function nest(path: string[], leaf: unknown): JsonObject {
  return path.reduceRight<unknown>((inner, key) => ({ [key]: inner }), leaf) as JsonObject;
}

/**
 * The documents a key-path equals filter matches, any of them: the text as a string, and when it
 * reads as a JSON number, boolean or null, that value too (`42` finds both 42 and "42").
 */
export function keyPathDocuments(path: string, value: string): JsonObject[] {
  const keys = path.split(".");
  const documents = [nest(keys, value)];
  try {
    const typed: unknown = JSON.parse(value);
    if (typed === null || typeof typed === "number" || typeof typed === "boolean") documents.push(nest(keys, typed));
  } catch {
    // Not a JSON scalar: the string form alone.
  }
  return documents;
}

export const messageLogFiltersSchema = z
  .object({
    eventType: z.preprocess(list, z.array(z.string().max(200, "An event type name is at most 200 characters")).max(50, "Choose at most 50 event types")),
    status: optionalText(z.enum(MESSAGE_STATUS_FILTERS, { message: `Status is one of: ${MESSAGE_STATUS_FILTERS.join(", ")}` })),
    endpoint: optionalText(z.string().regex(/^ep_[0-9A-Za-z]{22}$/, "Not an endpoint id (ep_ followed by 22 letters and digits)")),
    since: optionalText(z.enum(Object.keys(TIME_PRESETS) as [TimePreset, ...TimePreset[]], { message: "Range is one of: 1h, 24h, 7d, 30d" })),
    from: optionalText(instant),
    to: optionalText(instant),
    /** A message id (`msg_…`) or the sender's event id. */
    id: optionalText(z.string().max(256, "An id is at most 256 characters").transform((s) => s.trim())),
    contains: optionalText(containmentDocument),
    path: optionalText(z.string().trim().max(500, "A key path is at most 500 characters").regex(KEY_PATH, "Write the key path with dots between keys, e.g. contract.id")),
    value: z.preprocess((v) => (typeof v === "string" ? v : undefined), z.string().max(1000, "The value is at most 1000 characters").optional()),
    limit: z.preprocess(blankToUndefined, z.coerce.number().int("The page size is a whole number").min(1, "The page size is at least 1").max(PAGE_SIZE.max, `The page size is at most ${PAGE_SIZE.max}`).default(PAGE_SIZE.default)),
    cursor: optionalText(cursorField),
  })
  .superRefine((f, ctx) => {
    if (f.from && f.to && f.from >= f.to) ctx.addIssue({ code: "custom", path: ["to"], message: "The end of the range must be after its start" });
    if (f.since && (f.from || f.to)) ctx.addIssue({ code: "custom", path: ["since"], message: "Choose either a preset range or a custom one, not both" });
    if (f.path && f.value === undefined) ctx.addIssue({ code: "custom", path: ["value"], message: "Give the value the key must equal" });
    if (!f.path && f.value !== undefined && f.value !== "") ctx.addIssue({ code: "custom", path: ["path"], message: "Give the key path the value applies to, e.g. contract.id" });
  });

export type MessageLogFilters = z.output<typeof messageLogFiltersSchema>;

/** URLSearchParams (or Next's `searchParams` object) as the plain record the schema reads. */
export function searchParamsRecord(params: URLSearchParams | Record<string, string | string[] | undefined>): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  const entries: [string, string | string[] | undefined][] = params instanceof URLSearchParams ? [...params.keys()].map((k) => [k, params.getAll(k)]) : Object.entries(params);
  for (const [key, value] of entries) {
    if (value === undefined) continue;
    out[key] = Array.isArray(value) && value.length === 1 && key !== "eventType" ? value[0]! : value;
  }
  return out;
}

/** The attempted-messages tab of an endpoint: its deliveries in one state. */
export const DELIVERY_STATUS_FILTERS = ["succeeded", "failed", "pending", "sending"] as const;

export const attemptedMessagesFiltersSchema = z.object({
  status: optionalText(z.enum(DELIVERY_STATUS_FILTERS, { message: `Status is one of: ${DELIVERY_STATUS_FILTERS.join(", ")}` })),
  limit: messageLogFiltersSchema.shape.limit,
  cursor: optionalText(cursorField),
});

export type AttemptedMessagesFilters = z.output<typeof attemptedMessagesFiltersSchema>;

/** How an export is written: `include=body` adds payloads (messages) or response bodies (attempts). */
export const exportOptionsSchema = z
  .object({
    format: z.preprocess(blankToUndefined, z.enum(["csv", "ndjson"], { message: "Format is csv or ndjson" }).default("csv")),
    include: optionalText(z.literal("body", { message: 'The only optional column is "body"' })),
  })
  .transform(({ format, include }) => ({ format, includeBody: include === "body" }));

export type ExportOptions = z.output<typeof exportOptionsSchema>;

/** At most this many newer messages are counted for the "new messages" notice ("100+ new messages"). */
export const NEWER_COUNT_MAX = 100;

/**
 * The logs' live updates: the rows on screen whose counts to refresh, and the newest row's
 * position (a `prev` cursor) above which new messages are counted with the view's filters.
 */
export const messageLiveQuerySchema = z.object({
  ids: z.preprocess(list, z.array(z.string().max(100)).max(PAGE_SIZE.max, `At most ${PAGE_SIZE.max} ids`)),
  after: optionalText(cursorField),
});
