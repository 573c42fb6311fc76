import { randomUUID } from "node:crypto";
import type pg from "pg";
import { jsonText, readPath } from "@/inngest/executor/expression";
import type { FunctionSpec } from "@/inngest/executor/functions";
import { WAKE_CHANNEL } from "@/inngest/executor/ingest";

/**
 * Turns stored events into runs (triggers, idempotency, concurrency keys) and cancellations
 * (cancelOn), in arrival order. One dispatcher at a time (advisory lock), so a cancel event never
 * overtakes the event that started the run it cancels.
 */

const DISPATCH_LOCK = 0x68726578; // "hrex"
const DISPATCH_BATCH = 500;
const IDEMPOTENCY_WINDOW_MS = 24 * 3_600_000;

interface EventRow {
  id: string;
  name: string;
  data: Record<string, unknown>;
  ts: string;
}

interface NewRun {
  id: string;
  functionId: string;
  eventId: string;
  /** Every event of a `batchEvents` run, the first being `eventId`. */
  batchEventIds: string[] | null;
  maxAttempts: number;
  concurrencyKey: string | null;
  concurrencyLimit: number | null;
  idempotencyKey: string | null;
}

export interface DispatchResult {
  events: number;
  /** The pass took as many events as it may: more may be waiting. */
  full: boolean;
  runs: number;
  /** Of `runs`, those of functions with a concurrency limit (claimed by a separate, costlier path). */
  limitedRuns: number;
  cancelled: number;
}

export function eventForSdk(row: { id: string; name: string; data: unknown; ts: string | number }) {
  return { id: row.id, name: row.name, data: row.data, ts: Number(row.ts) };
}

async function insertRuns(client: pg.PoolClient, runs: NewRun[], now: Date): Promise<void> {
  if (runs.length === 0) return;
  await client.query(
    // unnest flattens a two-dimensional array, so a batch's ids travel as one comma-separated text (ids are UUIDs).
    `INSERT INTO executor_runs (id, function_id, event_id, batch_event_ids, status, max_attempts, wake_at, concurrency_key, concurrency_limit, idempotency_key, created_at)
     SELECT id, fn, ev, string_to_array(batch, ','), 'QUEUED', attempts, $8, ckey, climit, ikey, $8
     FROM unnest($1::text[], $2::text[], $3::text[], $4::int[], $5::text[], $6::int[], $7::text[], $9::text[]) AS t(id, fn, ev, attempts, ckey, climit, ikey, batch)`,
    [
      runs.map((r) => r.id),
      runs.map((r) => r.functionId),
      runs.map((r) => r.eventId),
      runs.map((r) => r.maxAttempts),
      runs.map((r) => r.concurrencyKey),
      runs.map((r) => r.concurrencyLimit),
      runs.map((r) => r.idempotencyKey),
      now,
      runs.map((r) => r.batchEventIds?.join(",") ?? null),
    ],
  );
}

async function alreadyRan(client: pg.PoolClient, functionId: string, key: string, now: Date, batch: NewRun[]): Promise<boolean> {
  if (batch.some((r) => r.functionId === functionId && r.idempotencyKey === key)) return true;
  const res = await client.query(
    `SELECT 1 FROM executor_runs WHERE function_id = $1 AND idempotency_key = $2 AND created_at > $3 LIMIT 1`,
    [functionId, key, new Date(now.getTime() - IDEMPOTENCY_WINDOW_MS)],
  );
  return (res.rowCount ?? 0) > 0;
}

async function cancelMatching(client: pg.PoolClient, fn: FunctionSpec, event: EventRow, now: Date): Promise<number> {
  let cancelled = 0;
  for (const rule of fn.cancel.filter((r) => r.event === event.name)) {
    const conditions: string[] = [];
    const params: unknown[] = [fn.id, now, event.id];
    let matchable = true;
    for (const match of rule.matches) {
      const value = jsonText(readPath(eventForSdk(event), match.incomingPath));
      if (value === undefined) matchable = false;
      params.push(match.runDataPath, value);
      conditions.push(`e.data #>> $${params.length - 1}::text[] = $${params.length}`);
    }
    if (!matchable) continue;
    if (rule.timeoutMs !== undefined) {
      params.push(new Date(now.getTime() - rule.timeoutMs));
      conditions.push(`r.created_at >= $${params.length}`);
    }
    const res = await client.query(
      `UPDATE executor_runs r
       SET status = 'CANCELLED', wake_at = NULL, lease_token = NULL, leased_by = NULL, pending = '[]', ended_at = $2, cancelled_by = $3
       FROM executor_events e
       WHERE r.event_id = e.id AND r.function_id = $1 AND r.status IN ('QUEUED', 'RUNNING', 'SLEEPING')
       ${conditions.map((c) => `AND ${c}`).join(" ")}`,
      params,
    );
    cancelled += res.rowCount ?? 0;
  }
  return cancelled;
}

/**
 * Dispatches one batch of undispatched events. Returns what it did (events: 0 when none were waiting).
 * Events named in `skip` are left to the claim that takes them directly (`claimDue` in runs.ts);
 * events such a claim holds are skipped (SKIP LOCKED), never dispatched twice.
 */
export async function dispatchEvents(pool: pg.Pool, functions: readonly FunctionSpec[], now: Date, skip: readonly string[] = []): Promise<DispatchResult> {
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    await client.query("SELECT pg_advisory_xact_lock($1)", [DISPATCH_LOCK]);
    const { rows: events } = await client.query<EventRow>(
      `SELECT id, name, data, ts FROM executor_events WHERE dispatched_at IS NULL AND name <> ALL($2::text[]) ORDER BY seq LIMIT $1 FOR UPDATE SKIP LOCKED`,
      [DISPATCH_BATCH, skip],
    );
    if (events.length === 0) {
      await client.query("COMMIT");
      return { events: 0, full: false, runs: 0, limitedRuns: 0, cancelled: 0 };
    }
    let batch: NewRun[] = [];
    let runs = 0;
    let limitedRuns = 0;
    let cancelled = 0;
    // Open batches of batchEvents functions, per function and key, closed when full or at the end of this pass.
    const openBatches = new Map<string, NewRun & { batchEventIds: string[] }>();
    const closeBatches = () => {
      for (const run of openBatches.values()) batch.push(run);
      openBatches.clear();
    };
    for (const event of events) {
      const sdkEvent = eventForSdk(event);
      const cancellers = functions.filter((fn) => fn.cancel.some((rule) => rule.event === event.name));
      if (cancellers.length > 0) {
        // Runs of earlier events in this batch must exist before this event may cancel them.
        closeBatches();
        await insertRuns(client, batch, now);
        runs += batch.length;
        limitedRuns += batch.filter((r) => r.concurrencyLimit !== null).length;
        batch = [];
        for (const fn of cancellers) cancelled += await cancelMatching(client, fn, event, now);
      }
      for (const fn of functions) {
        if (!fn.triggers.some((t) => t.event === event.name && (!t.filter || t.filter(sdkEvent)))) continue;
        if (fn.batch) {
          const slot = `${fn.id}\u0000${fn.batch.key ? fn.batch.key(sdkEvent) : ""}`;
          const open = openBatches.get(slot);
          if (open) open.batchEventIds.push(event.id);
          else {
            openBatches.set(slot, {
              id: randomUUID(),
              functionId: fn.id,
              eventId: event.id,
              batchEventIds: [event.id],
              maxAttempts: fn.maxAttempts,
              concurrencyKey: fn.concurrency ? (fn.concurrency.key ? fn.concurrency.key(sdkEvent) : "") : null,
              concurrencyLimit: fn.concurrency?.limit ?? null,
              idempotencyKey: null,
            });
          }
          const current = openBatches.get(slot)!;
          if (current.batchEventIds.length >= fn.batch.maxSize) {
            batch.push(current);
            openBatches.delete(slot);
          }
          continue;
        }
        const idempotencyKey = fn.idempotency ? fn.idempotency(sdkEvent) : null;
        if (idempotencyKey !== null && (await alreadyRan(client, fn.id, idempotencyKey, now, batch))) continue;
        batch.push({
          id: randomUUID(),
          functionId: fn.id,
          eventId: event.id,
          batchEventIds: null,
          maxAttempts: fn.maxAttempts,
          concurrencyKey: fn.concurrency ? (fn.concurrency.key ? fn.concurrency.key(sdkEvent) : "") : null,
          concurrencyLimit: fn.concurrency?.limit ?? null,
          idempotencyKey,
        });
      }
    }
    closeBatches();
    await insertRuns(client, batch, now);
    runs += batch.length;
    limitedRuns += batch.filter((r) => r.concurrencyLimit !== null).length;
    await client.query(
      `WITH done AS (UPDATE executor_events SET dispatched_at = $2 WHERE id = ANY($1::text[])) SELECT pg_notify($3, $4) WHERE $5`,
      [events.map((e) => e.id), now, WAKE_CHANNEL, limitedRuns > 0 ? "limited" : "runs", runs > 0],
    );
    await client.query("COMMIT");
    return { events: events.length, full: events.length === DISPATCH_BATCH, runs, limitedRuns, cancelled };
  } catch (error) {
    await client.query("ROLLBACK").catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}
