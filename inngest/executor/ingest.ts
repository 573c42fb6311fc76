import { randomUUID } from "node:crypto";
import type pg from "pg";
import { z } from "zod";
import { Prisma } from "@/lib/generated/prisma/client";

/**
 * Events into the embedded executor, the one writer of `executor_events`: what `inngest.send()`
 * posts to `/api/inngest/e/<key>` in embedded mode, the executor's own `inngest/function.failed`
 * events, and the domain's events, which `lib/outbox` writes inside the domain's own transaction
 * with the SQL built here. Stored, then announced with NOTIFY so that a worker dispatches them at once.
 */

export const WAKE_CHANNEL = "hookrelay_executor";

/**
 * The NOTIFY payload announcing new events: `event:<name>` when they all share one name, so that
 * an executor that claims that name's events directly skips the dispatch pass; `event` otherwise.
 */
export const eventWake = (names: readonly string[]) => (names.length > 0 && names.every((n) => n === names[0]) ? `event:${names[0]}` : "event");

/** The event name an `eventWake` payload announces, null for other events; undefined if it announces none. */
export function wokenFor(payload: string): string | null | undefined {
  if (payload === "event") return null;
  return payload.startsWith("event:") ? payload.slice("event:".length) : undefined;
}

/** Events sent with the same id within this window are dropped, as Inngest does. */
export const EVENT_DEDUPE_WINDOW_MS = 24 * 3_600_000;

export const eventPayloadSchema = z.object({
  name: z.string().min(1, "event name is required").max(255),
  data: z.record(z.string(), z.unknown()).default({}),
  id: z.string().min(1).max(255).optional(),
  ts: z.number().int().positive().optional(),
});

export const eventBatchSchema = z.union([eventPayloadSchema.transform((e) => [e]), z.array(eventPayloadSchema).max(5_000)]);

export type EventPayload = z.infer<typeof eventPayloadSchema>;

type Queryable = Pick<pg.PoolClient, "query">;

/** An event to store: as sent, with its time in ms (the sender's `ts`, or when it was received). */
export interface StoredEvent {
  name: string;
  data: Record<string, unknown>;
  ts: number;
  /** The sender's id: a second event with the same id within 24 hours is dropped. */
  id?: string | null;
}

/**
 * One statement that stores events and wakes the workers: atomic on its own, or part of the
 * caller's transaction (NOTIFY is delivered when it commits). An event whose sender id was seen
 * within the window is dropped; run `releaseExpiredIdsSql` first in the same transaction so that
 * an id older than the window may be used again.
 */
export function insertEventsSql(events: StoredEvent[], now: Date, ids: string[] = events.map(() => randomUUID())): Prisma.Sql {
  return Prisma.sql`
    WITH inserted AS (
      INSERT INTO executor_events (id, name, data, ts, idempotency_key, received_at)
      SELECT id, name, data, ts, key, ${now}::timestamptz
        FROM unnest(${ids}::text[], ${events.map((e) => e.name)}::text[], ${events.map((e) => JSON.stringify(e.data))}::jsonb[],
                    ${events.map((e) => e.ts)}::bigint[], ${events.map((e) => e.id ?? null)}::text[]) AS t(id, name, data, ts, key)
      ON CONFLICT (idempotency_key) DO NOTHING
    )
    SELECT pg_notify(${WAKE_CHANNEL}, ${eventWake(events.map((e) => e.name))})`;
}

/** Frees sender ids older than the dedupe window, so that an event may reuse one (see insertEventsSql). */
export function releaseExpiredIdsSql(senderIds: string[], now: Date): Prisma.Sql {
  return Prisma.sql`
    UPDATE executor_events SET idempotency_key = NULL
     WHERE idempotency_key = ANY(${senderIds}::text[]) AND received_at < ${new Date(now.getTime() - EVENT_DEDUPE_WINDOW_MS)}::timestamptz`;
}

const toStored = (events: EventPayload[], now: Date): StoredEvent[] => events.map((e) => ({ name: e.name, data: e.data, ts: e.ts ?? now.getTime(), id: e.id }));

/**
 * Inserts events and announces them, in one statement. Returns an id per event, as Inngest's
 * event API does (a dropped duplicate's id included).
 */
export async function insertEvents(db: Queryable, events: EventPayload[], now: Date): Promise<string[]> {
  const ids = events.map(() => randomUUID());
  const statement = insertEventsSql(toStored(events, now), now, ids);
  await db.query({ name: "executor-insert-events", text: statement.text, values: statement.values });
  return ids;
}

/** Stores events (dropping a sender id already seen within 24 h) and wakes the workers. */
export async function ingestEvents(pool: pg.Pool, events: EventPayload[], now: Date): Promise<string[]> {
  if (events.length === 0) return [];
  const senderIds = events.flatMap((e) => (e.id ? [e.id] : []));
  // Without sender ids there is nothing to release first: one statement, no transaction.
  if (senderIds.length === 0) return insertEvents(pool, events, now);
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    const release = releaseExpiredIdsSql(senderIds, now);
    await client.query(release.text, release.values);
    const ids = await insertEvents(client, events, now);
    await client.query("COMMIT");
    return ids;
  } catch (error) {
    await client.query("ROLLBACK").catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}

/**
 * Parts of a caller's statement that store one event per row of its CTE `source` and wake the
 * workers once, so that a domain statement creates rows and their events atomically in one round
 * trip. `data` is a jsonb expression over the source row (aliased `s`); `ts` (ms) and `receivedAt`
 * are expressions too. `wake` is a select-list expression that notifies once, when the statement
 * returns a row.
 */
export function eventsFromRowsSql(parts: { source: string; name: string; data: Prisma.Sql; ts: Prisma.Sql; receivedAt: Prisma.Sql }): { cte: Prisma.Sql; wake: Prisma.Sql } {
  return {
    cte: Prisma.sql`INSERT INTO executor_events (id, name, data, ts, idempotency_key, received_at)
          SELECT gen_random_uuid()::text, ${sqlLiteral(parts.name)}, ${parts.data}, ${parts.ts}, NULL, ${parts.receivedAt}
          FROM ${Prisma.raw(parts.source)} s`,
    wake: Prisma.sql`(SELECT true FROM pg_notify(${sqlLiteral(WAKE_CHANNEL)}, ${sqlLiteral(eventWake([parts.name]))}))`,
  };
}

/** A constant as an SQL string literal, so that a statement's text carries it and its parameters stay the caller's. */
export const sqlLiteral = (value: string) => Prisma.raw(`'${value.replaceAll("'", "''")}'`);
