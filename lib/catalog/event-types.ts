import { z } from "zod";
import { diffFields } from "@/lib/audit/diff";
import { recordAudit, type Actor } from "@/lib/audit/record";
import { groupOf } from "@/lib/catalog/names";
import type { CatalogEntry, CatalogExample } from "@/lib/catalog/seed-catalog";
import { db } from "@/lib/db";
import type { Prisma, PrismaClient } from "@/lib/generated/prisma/client";
import type { EventTypeData } from "@/lib/validations/catalog";

export interface EventTypeSummary {
  name: string;
  group: string;
  description: string;
  deprecated: boolean;
  archived: boolean;
}

export interface EventTypeDetail extends EventTypeSummary {
  schema: Record<string, unknown>;
  examples: CatalogExample[];
  createdAt: Date;
  updatedAt: Date;
}

const storedExamples = z.array(z.object({ name: z.string(), payload: z.record(z.string(), z.unknown()) }));

const summarySelect = { name: true, group: true, description: true, deprecated: true, archivedAt: true } as const;

function toSummary(row: { name: string; group: string; description: string; deprecated: boolean; archivedAt: Date | null }): EventTypeSummary {
  return { name: row.name, group: row.group, description: row.description, deprecated: row.deprecated, archived: row.archivedAt !== null };
}

/** The catalog listing; archived types only when asked (staff, history). */
export async function listEventTypes(options: { includeArchived?: boolean } = {}): Promise<EventTypeSummary[]> {
  const rows = await db.eventType.findMany({
    where: options.includeArchived ? {} : { archivedAt: null },
    orderBy: [{ group: "asc" }, { name: "asc" }],
    select: summarySelect,
  });
  return rows.map(toSummary);
}

type EventTypeRow = NonNullable<Awaited<ReturnType<typeof db.eventType.findUnique>>>;

function toDetail(row: EventTypeRow): EventTypeDetail {
  return {
    ...toSummary(row),
    schema: row.schema as Record<string, unknown>,
    examples: storedExamples.parse(row.examples),
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

/** Archived types stay readable by name: old messages and filters still link here. */
export async function getEventType(name: string): Promise<EventTypeDetail | null> {
  const row = await db.eventType.findUnique({ where: { name } });
  return row ? toDetail(row) : null;
}

/** Every type that accepts events (and the archived ones when asked), with schema and examples, in catalog order (one query). */
export async function listEventTypeDetails(options: { includeArchived?: boolean } = {}): Promise<EventTypeDetail[]> {
  const rows = await db.eventType.findMany({ where: options.includeArchived ? {} : { archivedAt: null }, orderBy: [{ group: "asc" }, { name: "asc" }] });
  return rows.map(toDetail);
}

/** Names an endpoint may newly subscribe to. */
export async function subscribableNames(names: string[]): Promise<Set<string>> {
  const rows = await db.eventType.findMany({ where: { name: { in: names }, archivedAt: null }, select: { name: true } });
  return new Set(rows.map((r) => r.name));
}

function content(data: Pick<EventTypeData, "description" | "deprecated" | "schema" | "examples">) {
  return {
    description: data.description,
    deprecated: data.deprecated,
    schema: data.schema as Prisma.InputJsonValue,
    examples: data.examples as unknown as Prisma.InputJsonValue,
  };
}

export async function createEventType(data: EventTypeData, actor: Actor): Promise<"created" | "name_taken"> {
  return db.$transaction(async (tx) => {
    if (await tx.eventType.findUnique({ where: { name: data.name }, select: { id: true } })) return "name_taken";
    await tx.eventType.create({ data: { name: data.name, group: groupOf(data.name), ...content(data) } });
    await recordAudit(tx, { actor, action: "event_type.created", changes: { name: data.name } });
    return "created";
  });
}

export async function updateEventType(data: EventTypeData, actor: Actor): Promise<"updated" | "not_found"> {
  return db.$transaction(async (tx) => {
    const before = await tx.eventType.findUnique({ where: { name: data.name } });
    if (!before) return "not_found";
    await tx.eventType.update({ where: { name: data.name }, data: content(data) });
    const changes = diffFields<Record<string, unknown>>(
      { description: before.description, deprecated: before.deprecated, schema: before.schema, examples: before.examples },
      { description: data.description, deprecated: data.deprecated, schema: data.schema, examples: data.examples },
    );
    await recordAudit(tx, { actor, action: "event_type.updated", changes: { name: data.name, ...changes } });
    return "updated";
  });
}

export async function setEventTypeArchived(name: string, archived: boolean, actor: Actor): Promise<"done" | "not_found"> {
  return db.$transaction(async (tx) => {
    const row = await tx.eventType.findUnique({ where: { name }, select: { archivedAt: true } });
    if (!row) return "not_found";
    if ((row.archivedAt !== null) === archived) return "done";
    await tx.eventType.update({ where: { name }, data: { archivedAt: archived ? new Date() : null } });
    await recordAudit(tx, { actor, action: archived ? "event_type.archived" : "event_type.unarchived", changes: { name } });
    return "done";
  });
}

/** Seeds missing types only: staff edits to seeded types survive restarts. Returns the names created. */
export async function seedCatalog(client: PrismaClient, entries: CatalogEntry[]): Promise<string[]> {
  const existing = new Set((await client.eventType.findMany({ select: { name: true } })).map((r) => r.name));
  const missing = entries.filter((e) => !existing.has(e.name));
  if (missing.length) {
    await client.eventType.createMany({
      data: missing.map((e) => ({ name: e.name, group: groupOf(e.name), ...content({ ...e, deprecated: e.deprecated ?? false }) })),
      skipDuplicates: true,
    });
  }
  return missing.map((e) => e.name);
}
