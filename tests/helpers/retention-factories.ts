import { randomUUID } from "node:crypto";
import type pg from "pg";
import { db } from "@/lib/db";
import type { DeliveryStatus } from "@/lib/generated/prisma/client";

/**
 * History written straight into the tables, backdated: retention tests need rows of any age, in
 * bulk, which no product path writes.
 */

const hex = () => randomUUID().replaceAll("-", "");

/** One message per `createdAt`, each with one delivery in `status` and one attempt. Returns the message ids. */
export async function insertMessages(opts: { organizationId: string; endpointId: string; createdAt: Date[]; status?: DeliveryStatus }): Promise<string[]> {
  const ids = opts.createdAt.map(() => `msg_${hex()}`);
  const at = opts.createdAt.map((d) => d.toISOString());
  await db.$executeRaw`
    WITH m AS (
      INSERT INTO "Message" (id, "organizationId", "eventType", body, "createdAt")
      SELECT id, ${opts.organizationId}, 'contract.created', '{"old":true}', (at::timestamptz AT TIME ZONE 'UTC')
        FROM unnest(${ids}::text[], ${at}::text[]) AS t(id, at)
      RETURNING id, "createdAt"
    ), d AS (
      INSERT INTO "Delivery" (id, "organizationId", "messageId", "endpointId", status, "attemptCount", "createdAt", "updatedAt")
      SELECT 'dlv_' || substr(m.id, 5), ${opts.organizationId}, m.id, ${opts.endpointId}, ${opts.status ?? "SUCCEEDED"}::"DeliveryStatus", 1, m."createdAt", m."createdAt"
        FROM m
      RETURNING id, "messageId", "createdAt"
    )
    INSERT INTO "Attempt" (id, "deliveryId", "messageId", "endpointId", "attemptNumber", trigger, url, "startedAt", "durationMs", succeeded, "statusCode")
    SELECT 'att_' || substr(d.id, 5), d.id, d."messageId", ${opts.endpointId}, 1, 'SCHEDULED', 'http://127.0.0.1:9/old', d."createdAt", 5, true, 200
      FROM d`;
  return ids;
}

/** Counts of the rows `insertMessages` wrote for these messages, per table. */
export async function historyOf(messageIds: string[]) {
  const [row] = await db.$queryRaw<{ messages: number; deliveries: number; attempts: number }[]>`
    SELECT (SELECT count(*)::int FROM "Message" WHERE id = ANY(${messageIds}::text[])) AS messages,
           (SELECT count(*)::int FROM "Delivery" WHERE "messageId" = ANY(${messageIds}::text[])) AS deliveries,
           (SELECT count(*)::int FROM "Attempt" WHERE "messageId" = ANY(${messageIds}::text[])) AS attempts`;
  return row;
}

export type RunStatus = "QUEUED" | "RUNNING" | "SLEEPING" | "COMPLETED" | "FAILED" | "CANCELLED";

/**
 * An executor event and (unless `status` is null) one run of a function no executor serves, with
 * two steps; `batchWith` makes it a batchEvents run of its event and those. A finished run ended
 * at `at`; an unfinished one was created then. Returns the ids.
 */
export async function insertExecutorRun(pool: pg.Pool, opts: { at: Date; status: RunStatus | null; functionId?: string; batchWith?: string[] }) {
  const eventId = randomUUID();
  const runId = randomUUID();
  await pool.query(
    `INSERT INTO executor_events (id, name, data, ts, received_at, dispatched_at) VALUES ($1, 'test/old', '{}', $2, $3, $3)`,
    [eventId, opts.at.getTime(), opts.at],
  );
  if (opts.status !== null) {
    const finished = ["COMPLETED", "FAILED", "CANCELLED"].includes(opts.status);
    await pool.query(
      `INSERT INTO executor_runs (id, function_id, event_id, batch_event_ids, status, max_attempts, wake_at, created_at, started_at, ended_at)
       VALUES ($1, $2, $3, $4, $5, 4, $6, $7, $7, $8)`,
      [
        runId,
        opts.functionId ?? "retention-test-unserved",
        eventId,
        opts.batchWith ? [eventId, ...opts.batchWith] : null,
        opts.status,
        finished ? null : new Date(opts.at.getTime() + 365 * 86_400_000),
        opts.at,
        finished ? opts.at : null,
      ],
    );
    await pool.query(
      `INSERT INTO executor_steps (run_id, seq, hash, name, op, data, completed_at) VALUES ($1, 1, 'a', 'a', 'StepRun', '1', $2), ($1, 2, 'b', 'b', 'StepRun', '2', $2)`,
      [runId, opts.at],
    );
  }
  return { eventId, runId };
}

/** Which of these events, runs and their steps still exist. */
export async function executorRowsLeft(pool: pg.Pool, ids: { eventId: string; runId: string }[]) {
  const { rows } = await pool.query<{ events: number; runs: number; steps: number }>(
    `SELECT (SELECT count(*)::int FROM executor_events WHERE id = ANY($1::text[])) AS events,
            (SELECT count(*)::int FROM executor_runs WHERE id = ANY($2::text[])) AS runs,
            (SELECT count(*)::int FROM executor_steps WHERE run_id = ANY($2::text[])) AS steps`,
    [ids.map((i) => i.eventId), ids.map((i) => i.runId)],
  );
  return rows[0];
}
