import { randomUUID } from "node:crypto";
import type pg from "pg";
import { z } from "zod";

/**
 * Events into the embedded executor: what `inngest.send()` posts to `/api/inngest/e/<key>` in
 * embedded mode, and the executor's own `inngest/function.failed` events. Stored, then announced
 * with NOTIFY so that a worker dispatches them at once.
 */

export const WAKE_CHANNEL = "hookrelay_executor";

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

/**
 * Inserts events and announces them, in one statement (atomic on its own, or part of the caller's
 * transaction); NOTIFY is delivered when it commits.
 */
export async function insertEvents(db: Queryable, events: EventPayload[], now: Date): Promise<string[]> {
  const ids = events.map(() => randomUUID());
  await db.query({
    name: "executor-insert-events",
    text: `WITH inserted AS (
       INSERT INTO executor_events (id, name, data, ts, idempotency_key, received_at)
       SELECT id, name, data, ts, key, $5 FROM unnest($1::text[], $2::text[], $3::jsonb[], $4::bigint[], $6::text[]) AS t(id, name, data, ts, key)
       ON CONFLICT (idempotency_key) DO NOTHING
     )
     SELECT pg_notify($7, 'event')`,
    values: [
      ids,
      events.map((e) => e.name),
      events.map((e) => JSON.stringify(e.data)),
      events.map((e) => e.ts ?? now.getTime()),
      now,
      events.map((e) => e.id ?? null),
      WAKE_CHANNEL,
    ],
  });
  return ids;
}

/** Stores events (dropping a sender id already seen within 24 h) and wakes the workers. */
export async function ingestEvents(pool: pg.Pool, events: EventPayload[], now: Date): Promise<string[]> {
  if (events.length === 0) return [];
  const senderKeys = events.flatMap((e) => (e.id ? [e.id] : []));
  // Without sender ids there is nothing to release first: one statement, no transaction.
  if (senderKeys.length === 0) return insertEvents(pool, events, now);
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    // An id older than the window may be reused: release it before the insert checks uniqueness.
    await client.query(
      `UPDATE executor_events SET idempotency_key = NULL
       WHERE idempotency_key = ANY($1::text[]) AND received_at < $2`,
      [senderKeys, new Date(now.getTime() - EVENT_DEDUPE_WINDOW_MS)],
    );
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
 * Parts of a caller's SQL statement that store one event per row of its CTE `source` and wake the
 * workers once, so that a domain statement creates rows and their events atomically in one round
 * trip. `data` is a jsonb expression over the source row (aliased `s`); `ts` and `receivedAt` are
 * SQL expressions (parameters) for the event time in ms and the reception time. `wake` is a
 * select-list expression: it notifies once, when the statement returns a row.
 */
export function eventsFromRowsSql(parts: { source: string; name: string; data: string; ts: string; receivedAt: string }): { cte: string; wake: string } {
  return {
    cte: `INSERT INTO executor_events (id, name, data, ts, idempotency_key, received_at)
          SELECT gen_random_uuid()::text, ${pgLiteral(parts.name)}, ${parts.data}, ${parts.ts}, NULL, ${parts.receivedAt}
          FROM ${parts.source} s`,
    wake: `(SELECT true FROM pg_notify(${pgLiteral(WAKE_CHANNEL)}, 'event'))`,
  };
}

const pgLiteral = (value: string) => `'${value.replaceAll("'", "''")}'`;
