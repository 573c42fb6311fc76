import type pg from "pg";
import { sqlPool } from "@/lib/db/pool";

/**
 * The executor's own purge of its history (executor_* tables), which retention calls
 * (inngest/functions/purge-history.ts): nothing outside the executor writes its tables. Only runs
 * that ended are deleted, never one that is queued, running or sleeping; an event goes only once
 * no run refers to it any more (runs cascade from their event, so deleting an event that a live
 * run refers to would delete the run), nor while an unfinished `batchEvents` run lists it (its
 * replays send every event of the batch).
 * Each call is one statement, one short transaction, skipping rows others hold locks on. The
 * statements have the shape of lib/retention/messages.ts, for the same reasons (docs/retention.md).
 */

type Client = Pick<pg.Pool, "query">;

/** Deletes up to `batchSize` runs that ended before `cutoff`, oldest first, with their steps. */
export async function deleteFinishedRunsBefore(cutoff: Date, batchSize: number, client: Client = sqlPool()): Promise<number> {
  const res = await client.query(
    `DELETE FROM executor_runs WHERE id = ANY(ARRAY(
       SELECT id FROM executor_runs
        WHERE ended_at < $1 AND status IN ('COMPLETED', 'FAILED', 'CANCELLED')
        ORDER BY ended_at
        LIMIT $2
        FOR UPDATE SKIP LOCKED))`,
    [cutoff, batchSize],
  );
  return res.rowCount ?? 0;
}

/** Deletes up to `batchSize` dispatched events received before `cutoff` that no run refers to, oldest first. */
export async function deleteEventsBefore(cutoff: Date, batchSize: number, client: Client = sqlPool()): Promise<number> {
  const res = await client.query(
    `DELETE FROM executor_events WHERE id = ANY(ARRAY(
       SELECT e.id FROM executor_events e
        WHERE e.received_at < $1 AND e.dispatched_at IS NOT NULL
          AND NOT EXISTS (SELECT 1 FROM executor_runs r WHERE r.event_id = e.id OFFSET 0)
          -- Unfinished runs are the ones with a wake-up; their batches are read once, into a hash.
          AND e.id NOT IN (SELECT unnest(b.batch_event_ids) FROM executor_runs b WHERE b.wake_at IS NOT NULL AND b.batch_event_ids IS NOT NULL)
        ORDER BY e.received_at
        LIMIT $2
        FOR UPDATE SKIP LOCKED))`,
    [cutoff, batchSize],
  );
  return res.rowCount ?? 0;
}
