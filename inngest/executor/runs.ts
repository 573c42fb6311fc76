import type pg from "pg";
import { eventForSdk } from "@/inngest/executor/dispatch";
import type { MemoizedStep } from "@/inngest/executor/driver";
import { insertEvents, WAKE_CHANNEL } from "@/inngest/executor/ingest";

/**
 * Run state in PostgreSQL. A worker claims due runs with FOR UPDATE SKIP LOCKED and holds a lease
 * (`lease_token`, expiring at `wake_at`). Every write after the claim is fenced by the token: a
 * worker whose lease expired (or whose run was cancelled) can no longer change the run.
 */

export type PendingOp =
  | { kind: "step"; id: string; name?: string }
  | { kind: "sleep"; id: string; name?: string; until: string };

export interface ClaimedRun {
  id: string;
  functionId: string;
  event: ReturnType<typeof eventForSdk>;
  /** Every event of a `batchEvents` run, in arrival order (the first is `event`); just `event` otherwise. */
  events: ReturnType<typeof eventForSdk>[];
  attempt: number;
  maxAttempts: number;
  pending: PendingOp[];
  leaseToken: string;
  stepCount: number;
  concurrencyKey: string | null;
  steps: Record<string, MemoizedStep>;
  stack: string[];
}

interface ClaimRow {
  id: string;
  function_id: string;
  attempt: number;
  max_attempts: number;
  pending: PendingOp[];
  lease_token: string;
  step_count: number;
  concurrency_key: string | null;
  event_id: string;
  batch_event_ids: string[] | null;
  event_name: string;
  event_data: unknown;
  event_ts: string;
}

const CLAIM_RETURNING = `r.id, r.function_id, r.attempt, r.max_attempts, r.pending, r.lease_token, r.step_count, r.concurrency_key,
  r.batch_event_ids, e.id AS event_id, e.name AS event_name, e.data AS event_data, e.ts AS event_ts`;

async function withSteps(pool: pg.Pool, rows: ClaimRow[]): Promise<ClaimedRun[]> {
  if (rows.length === 0) return [];
  // Fresh runs (most claims) have no steps yet: only resumed runs need their memoized steps.
  const resumed = rows.filter((r) => r.step_count > 0).map((r) => r.id);
  const stepRows =
    resumed.length === 0
      ? []
      : (
          await pool.query<{ run_id: string; hash: string; data: unknown; error: unknown; op: string }>({
            name: "executor-claimed-steps",
            text: `SELECT run_id, hash, data, error, op FROM executor_steps WHERE run_id = ANY($1::text[]) ORDER BY run_id, seq`,
            values: [resumed],
          })
        ).rows;
  const batchIds = rows.flatMap((r) => (r.batch_event_ids && r.batch_event_ids.length > 1 ? r.batch_event_ids : []));
  const batchEvents =
    batchIds.length === 0
      ? new Map<string, ReturnType<typeof eventForSdk>>()
      : new Map(
          (
            await pool.query<{ id: string; name: string; data: unknown; ts: string }>({
              name: "executor-claimed-batch-events",
              text: `SELECT id, name, data, ts FROM executor_events WHERE id = ANY($1::text[])`,
              values: [batchIds],
            })
          ).rows.map((e) => [e.id, eventForSdk(e)]),
        );
  const runs = new Map<string, ClaimedRun>();
  for (const r of rows) {
    const event = eventForSdk({ id: r.event_id, name: r.event_name, data: r.event_data, ts: r.event_ts });
    runs.set(r.id, {
      id: r.id,
      functionId: r.function_id,
      event,
      events: r.batch_event_ids && r.batch_event_ids.length > 1 ? r.batch_event_ids.flatMap((id) => batchEvents.get(id) ?? []) : [event],
      attempt: r.attempt,
      maxAttempts: r.max_attempts,
      pending: r.pending,
      leaseToken: r.lease_token,
      stepCount: r.step_count,
      concurrencyKey: r.concurrency_key,
      steps: {},
      stack: [],
    });
  }
  for (const s of stepRows) {
    const run = runs.get(s.run_id)!;
    run.steps[s.hash] = s.op === "StepFailed" ? { type: "error", error: s.error } : { type: "data", data: s.data ?? null };
    run.stack.push(s.hash);
  }
  return [...runs.values()];
}

/** Claims up to `limit` due runs without a concurrency limit. */
export async function claimRuns(pool: pg.Pool, opts: { functionIds: string[]; limit: number; now: Date; leaseMs: number; workerId: string }) {
  const { rows } = await pool.query<ClaimRow>({
    name: "executor-claim",
    text: `WITH due AS (
       SELECT id FROM executor_runs
       WHERE wake_at <= $1 AND function_id = ANY($2::text[]) AND concurrency_limit IS NULL
       ORDER BY wake_at LIMIT $3 FOR UPDATE SKIP LOCKED
     )
     UPDATE executor_runs r
     SET status = 'RUNNING', wake_at = $4, lease_token = gen_random_uuid()::text, leased_by = $5, started_at = COALESCE(r.started_at, $1)
     FROM due, executor_events e
     WHERE r.id = due.id AND e.id = r.event_id
     RETURNING ${CLAIM_RETURNING}`,
    values: [opts.now, opts.functionIds, opts.limit, new Date(opts.now.getTime() + opts.leaseMs), opts.workerId],
  });
  return withSteps(pool, rows);
}

/**
 * Claims due runs of functions with a `concurrency` limit: per key, at most `limit` runs hold a
 * live lease. Claimers of one key are serialised by an advisory lock; runs over the limit are
 * looked at again after `blockedRetryMs`.
 */
export async function claimLimitedRuns(
  pool: pg.Pool,
  opts: { functionIds: string[]; limit: number; now: Date; leaseMs: number; workerId: string; blockedRetryMs: number },
) {
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    const { rows: candidates } = await client.query<{ id: string; function_id: string; concurrency_key: string; concurrency_limit: number }>(
      `SELECT id, function_id, concurrency_key, concurrency_limit FROM executor_runs
       WHERE wake_at <= $1 AND function_id = ANY($2::text[]) AND concurrency_limit IS NOT NULL
       ORDER BY wake_at LIMIT $3 FOR UPDATE SKIP LOCKED`,
      [opts.now, opts.functionIds, opts.limit],
    );
    const groups = new Map<string, typeof candidates>();
    for (const c of candidates) {
      const key = `${c.function_id}\n${c.concurrency_key}`;
      groups.set(key, [...(groups.get(key) ?? []), c]);
    }
    const claim: string[] = [];
    const blocked: string[] = [];
    for (const [key, group] of [...groups.entries()].sort(([a], [b]) => a.localeCompare(b))) {
      await client.query("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", [key]);
      const { rows } = await client.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM executor_runs
         WHERE function_id = $1 AND concurrency_key = $2 AND status = 'RUNNING' AND wake_at > $3 AND NOT (id = ANY($4::text[]))`,
        [group[0].function_id, group[0].concurrency_key, opts.now, group.map((g) => g.id)],
      );
      const free = Math.max(0, group[0].concurrency_limit - rows[0].n);
      claim.push(...group.slice(0, free).map((g) => g.id));
      blocked.push(...group.slice(free).map((g) => g.id));
    }
    if (blocked.length > 0) {
      await client.query(`UPDATE executor_runs SET wake_at = $2 WHERE id = ANY($1::text[])`, [blocked, new Date(opts.now.getTime() + opts.blockedRetryMs)]);
    }
    const { rows } = await client.query<ClaimRow>(
      `UPDATE executor_runs r
       SET status = 'RUNNING', wake_at = $2, lease_token = gen_random_uuid()::text, leased_by = $3, started_at = COALESCE(r.started_at, $4)
       FROM executor_events e
       WHERE r.id = ANY($1::text[]) AND e.id = r.event_id
       RETURNING ${CLAIM_RETURNING}`,
      [claim, new Date(opts.now.getTime() + opts.leaseMs), opts.workerId, opts.now],
    );
    await client.query("COMMIT");
    return withSteps(pool, rows);
  } catch (error) {
    await client.query("ROLLBACK").catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}

export interface StepRecord {
  hash: string;
  name?: string;
  op: "StepRun" | "StepFailed" | "Sleep";
  data?: unknown;
  error?: unknown;
}

/**
 * Memoizes one completed step (next in completion order) and the run's remaining pending ops, in
 * one statement. False when the lease is gone: the caller must drop the run.
 */
export async function commitStep(pool: pg.Pool, run: ClaimedRun, step: StepRecord, pending: PendingOp[], now: Date, leaseMs: number): Promise<boolean> {
  const res = await pool.query({
    name: "executor-commit-step",
    text: `WITH r AS (
       UPDATE executor_runs SET step_count = step_count + 1, attempt = 0, error = NULL, pending = $4::jsonb, wake_at = $9
       WHERE id = $1 AND lease_token = $2 AND status = 'RUNNING'
       RETURNING step_count
     )
     INSERT INTO executor_steps (run_id, seq, hash, name, op, data, error, attempt, completed_at)
     SELECT $1, step_count, $3, $5, $6, $7::jsonb, $8::jsonb, $10, $11 FROM r`,
    values: [
      run.id,
      run.leaseToken,
      step.hash,
      JSON.stringify(pending),
      step.name ?? null,
      step.op,
      step.op === "StepFailed" ? null : JSON.stringify(step.data ?? null),
      step.op === "StepFailed" ? JSON.stringify(step.error ?? null) : null,
      new Date(now.getTime() + leaseMs),
      run.attempt,
      now,
    ],
  });
  return (res.rowCount ?? 0) > 0;
}

/**
 * A run of a concurrency-limited key let go of its slot: runs of that key waiting for one (QUEUED,
 * attempt 0, wake-up in the future: only blocked runs look like that) become due now.
 */
async function wakeSiblings(client: Pick<pg.PoolClient, "query">, run: ClaimedRun, now: Date): Promise<void> {
  if (run.concurrencyKey === null) return;
  const res = await client.query(
    `UPDATE executor_runs SET wake_at = $3
     WHERE function_id = $1 AND concurrency_key = $2 AND status = 'QUEUED' AND attempt = 0 AND wake_at > $3`,
    [run.functionId, run.concurrencyKey, now],
  );
  if ((res.rowCount ?? 0) > 0) await client.query(`SELECT pg_notify($1, 'slot')`, [WAKE_CHANNEL]);
}

/** Gives the run back until `wakeAt`: sleeping, or waiting to retry. */
export async function releaseRun(
  pool: pg.Pool,
  run: ClaimedRun,
  update: { status: "QUEUED" | "SLEEPING"; wakeAt: Date; pending: PendingOp[]; attempt: number; error?: unknown },
  now: Date,
): Promise<boolean> {
  const res = await pool.query(
    `UPDATE executor_runs SET status = $3, wake_at = $4, pending = $5::jsonb, attempt = $6, error = COALESCE($7::jsonb, error),
       lease_token = NULL
     WHERE id = $1 AND lease_token = $2 AND status = 'RUNNING'`,
    [run.id, run.leaseToken, update.status, update.wakeAt, JSON.stringify(update.pending), update.attempt, update.error === undefined ? null : JSON.stringify(update.error)],
  );
  await wakeSiblings(pool, run, now);
  return (res.rowCount ?? 0) > 0;
}

export const FUNCTION_FAILED_EVENT = "inngest/function.failed";

/** Ends the run. A failure also emits `inngest/function.failed`, which triggers the onFailure handler. */
export async function finishRun(
  pool: pg.Pool,
  run: ClaimedRun,
  outcome: { status: "COMPLETED"; output: unknown } | { status: "FAILED"; error: unknown },
  now: Date,
): Promise<boolean> {
  const finish = {
    name: "executor-finish-run",
    text: `UPDATE executor_runs SET status = $3, wake_at = NULL, lease_token = NULL, pending = '[]',
         output = $4::jsonb, error = $5::jsonb, ended_at = $6
       WHERE id = $1 AND lease_token = $2 AND status = 'RUNNING'`,
    values: [
      run.id,
      run.leaseToken,
      outcome.status,
      outcome.status === "COMPLETED" ? JSON.stringify(outcome.output ?? null) : null,
      outcome.status === "FAILED" ? JSON.stringify(outcome.error ?? null) : null,
      now,
    ],
  };
  // The common case (completed, no concurrency slot to hand on) is one statement, no transaction.
  if (outcome.status === "COMPLETED" && run.concurrencyKey === null) {
    const res = await pool.query(finish);
    return (res.rowCount ?? 0) > 0;
  }
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    const res = await client.query(finish);
    const owned = (res.rowCount ?? 0) > 0;
    if (owned && outcome.status === "FAILED") {
      await insertEvents(
        client,
        [{ name: FUNCTION_FAILED_EVENT, data: { function_id: run.functionId, run_id: run.id, error: outcome.error, event: run.event } }],
        now,
      );
    }
    if (owned) await wakeSiblings(client, run, now);
    await client.query("COMMIT");
    return owned;
  } catch (error) {
    await client.query("ROLLBACK").catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}

/** Extends the leases of runs in flight. */
export async function renewLeases(pool: pg.Pool, tokens: string[], until: Date): Promise<void> {
  if (tokens.length === 0) return;
  await pool.query(`UPDATE executor_runs SET wake_at = $2 WHERE lease_token = ANY($1::text[]) AND status = 'RUNNING'`, [tokens, until]);
}

/** Hands runs back at once (worker shutting down): another worker may take them immediately. */
export async function abandonLeases(pool: pg.Pool, tokens: string[], now: Date): Promise<void> {
  if (tokens.length === 0) return;
  await pool.query(
    `UPDATE executor_runs SET status = 'QUEUED', wake_at = $2, lease_token = NULL, leased_by = NULL
     WHERE lease_token = ANY($1::text[]) AND status = 'RUNNING'`,
    [tokens, now],
  );
  await pool.query(`SELECT pg_notify($1, 'released')`, [WAKE_CHANNEL]);
}

/** The earliest time any run of these functions is due (for the idle wait), or null. */
export async function nextWakeAt(pool: pg.Pool, functionIds: string[]): Promise<Date | null> {
  const { rows } = await pool.query<{ at: Date | null }>(
    `SELECT min(wake_at) AS at FROM executor_runs WHERE wake_at IS NOT NULL AND function_id = ANY($1::text[])`,
    [functionIds],
  );
  return rows[0]?.at ?? null;
}
