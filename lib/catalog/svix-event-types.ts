import type { Actor } from "@/lib/audit/record";
import { createEventType, getEventType, setEventTypeArchived, updateEventType, type EventTypeDetail } from "@/lib/catalog/event-types";
import { groupOf } from "@/lib/catalog/names";
import type { CatalogExample } from "@/lib/catalog/seed-catalog";
import { eventTypeCache } from "@/lib/messages/event-type-cache";
import { eventTypeSchema } from "@/lib/validations/catalog";

/**
 * The catalog in Svix's event type shape. Svix keeps versioned schemas (`{ "1": <JSON Schema> }`)
 * with example payloads inside them (the JSON Schema `examples` keyword); the catalog keeps one
 * schema and named examples beside it. Version "1" is the catalog's schema, and its `examples`
 * are the catalog's example payloads, in order. Names are not part of Svix's shape: an example
 * payload equal to one the type already has keeps its name, a new one is named "Example N".
 * Every write goes through the catalog's own functions and rules (those of the staff form).
 */

export const SCHEMA_VERSION = "1";

export interface SvixIssue {
  /** Path inside the request body. */
  loc: (string | number)[];
  msg: string;
  type: string;
}

/** An error in the request, field by field (a 422). */
export class SvixEventTypeError extends Error {
  constructor(readonly issues: SvixIssue[]) {
    super(issues[0]?.msg ?? "Invalid event type");
  }
}

/** What a write may set, in Svix's terms; an absent field keeps the current value (or the default on create). */
export interface SvixEventTypeChanges {
  description?: string;
  deprecated?: boolean;
  archived?: boolean;
  schemas?: Record<string, unknown> | null;
  groupName?: string | null;
  featureFlags?: string[] | null;
}

/** `{ "1": schema-with-examples }`. */
export function svixSchemas(detail: Pick<EventTypeDetail, "schema" | "examples">): Record<string, Record<string, unknown>> {
  return { [SCHEMA_VERSION]: { ...detail.schema, examples: detail.examples.map((e) => e.payload) } };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * Svix's `schemas` as the catalog's schema and examples. Without an `examples` keyword the
 * current examples stay (and must still match the new schema).
 */
function fromSvixSchemas(schemas: Record<string, unknown>, current: CatalogExample[]): { schema: Record<string, unknown>; examples: CatalogExample[] } {
  const versions = Object.keys(schemas);
  const extra = versions.filter((v) => v !== SCHEMA_VERSION);
  if (extra.length) {
    throw new SvixEventTypeError(extra.map((v) => ({ loc: ["schemas", v], msg: `Only schema version "${SCHEMA_VERSION}" is supported: an event type has one schema`, type: "value_error" })));
  }
  const versioned = schemas[SCHEMA_VERSION];
  if (!isObject(versioned)) throw new SvixEventTypeError([{ loc: ["schemas", SCHEMA_VERSION], msg: "The schema must be a JSON object", type: "value_error" }]);
  const { examples: given, ...schema } = versioned;
  if (given === undefined) return { schema, examples: current };
  if (!Array.isArray(given) || !given.every(isObject)) {
    throw new SvixEventTypeError([{ loc: ["schemas", SCHEMA_VERSION, "examples"], msg: "examples must be a list of example payloads (JSON objects)", type: "value_error" }]);
  }
  const kept = new Set<string>();
  const named = given.map((payload) => {
    const match = current.find((e) => !kept.has(e.name) && sameJson(e.payload, payload));
    if (match) kept.add(match.name);
    return { name: match?.name, payload };
  });
  let n = 0;
  const examples = named.map(({ name, payload }) => {
    if (name) return { name, payload };
    let fresh: string;
    do fresh = `Example ${++n}`;
    while (kept.has(fresh));
    kept.add(fresh);
    return { name: fresh, payload };
  });
  return { schema, examples };
}

/** Where a catalog rule's field sits in Svix's body. */
function svixLocation(path: PropertyKey[]): (string | number)[] {
  const [field, index, ...rest] = path.map((p) => (typeof p === "symbol" ? String(p) : p));
  if (field === "schema") return ["schemas", SCHEMA_VERSION];
  if (field === "examples") return index === undefined ? ["schemas", SCHEMA_VERSION, "examples"] : ["schemas", SCHEMA_VERSION, "examples", index, ...rest.filter((p) => p !== "payload")];
  return [field ?? "body", ...(index === undefined ? [] : [index]), ...rest];
}

function checkUnsupported(name: string, changes: SvixEventTypeChanges): void {
  const issues: SvixIssue[] = [];
  if (changes.groupName != null && changes.groupName !== groupOf(name)) {
    issues.push({ loc: ["groupName"], msg: `The group is the part of the name before the first dot ("${groupOf(name)}"); leave groupName out or send that`, type: "value_error" });
  }
  if (changes.featureFlags?.length) issues.push({ loc: ["featureFlags"], msg: "Feature flags are not supported: leave featureFlags out or send null", type: "value_error" });
  if (issues.length) throw new SvixEventTypeError(issues);
}

/** The catalog's rules (name, description, schema compiles, examples match it) on the merged type. */
function validated(name: string, current: EventTypeDetail | null, changes: SvixEventTypeChanges) {
  checkUnsupported(name, changes);
  const schemas = changes.schemas ?? null;
  if (!current && !schemas) {
    throw new SvixEventTypeError([{ loc: ["schemas"], msg: `Every event type has a JSON Schema with example payloads: send schemas: { "${SCHEMA_VERSION}": { "type": "object", ..., "examples": [ ... ] } }`, type: "missing" }]);
  }
  const content = schemas ? fromSvixSchemas(schemas, current?.examples ?? []) : { schema: current!.schema, examples: current!.examples };
  const parsed = eventTypeSchema.safeParse({
    name,
    description: changes.description ?? current?.description,
    deprecated: changes.deprecated ?? current?.deprecated ?? false,
    ...content,
  });
  if (!parsed.success) throw new SvixEventTypeError(parsed.error.issues.map((issue) => ({ loc: svixLocation(issue.path), msg: issue.message, type: issue.code })));
  return parsed.data;
}

async function archive(name: string, archived: boolean | undefined, actor: Actor): Promise<void> {
  if (archived !== undefined) await setEventTypeArchived(name, archived, actor);
}

/** Reads a type after a write; this process's ingestion cache is emptied at once (others on the trigger's notification). */
async function written(name: string): Promise<EventTypeDetail> {
  eventTypeCache.invalidate();
  const detail = await getEventType(name);
  if (!detail) throw new Error(`event type ${name} vanished after a write`);
  return detail;
}

/**
 * Svix's create: a new type, or an archived one brought back with the new content. A type that
 * exists and is not archived is refused (`exists`).
 */
export async function createSvixEventType(name: string, changes: SvixEventTypeChanges, actor: Actor): Promise<{ ok: true; detail: EventTypeDetail } | { ok: false; code: "exists" }> {
  const current = await getEventType(name);
  if (current && !current.archived) return { ok: false, code: "exists" };
  const data = validated(name, null, changes);
  if (current) await updateEventType(data, actor);
  else if ((await createEventType(data, actor)) === "name_taken") return { ok: false, code: "exists" };
  await archive(name, changes.archived ?? false, actor);
  return { ok: true, detail: await written(name) };
}

/** Changes the given fields of an existing type (PATCH, and PUT with its defaults filled in). */
export async function updateSvixEventType(name: string, changes: SvixEventTypeChanges, actor: Actor): Promise<EventTypeDetail | null> {
  const current = await getEventType(name);
  if (!current) return null;
  const data = validated(name, current, changes);
  await updateEventType(data, actor);
  await archive(name, changes.archived, actor);
  return written(name);
}

/** Svix's delete: archives (endpoints keep their filters; new messages of the type are refused). */
export async function archiveSvixEventType(name: string, actor: Actor): Promise<"done" | "not_found"> {
  const result = await setEventTypeArchived(name, true, actor);
  eventTypeCache.invalidate();
  return result;
}
