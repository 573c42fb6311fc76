import type pg from "pg";
import { eventForSdk } from "@/inngest/executor/dispatch";
import type { MemoizedStep } from "@/inngest/executor/driver";
import { insertEvents, WAKE_CHANNEL } from "@/inngest/executor/ingest";
import { countLeaseExpiries } from "@/lib/observability/metrics";

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
  event_ts: string | number;
  /** Every event of a batch of more than one, in batch order, when the claim read them itself. */
  batch_events?: { id: string; name: string; data: unknown; ts: string | number }[] | null;
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
  const batched = (r: ClaimRow) => r.batch_event_ids !== null && r.batch_event_ids.length > 1;
  const batchIds = rows.flatMap((r) => (batched(r) && !r.batch_events ? r.batch_event_ids! : []));
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
    const events = !batched(r) ? [event] : r.batch_events ? r.batch_events.map(eventForSdk) : r.batch_event_ids!.flatMap((id) => batchEvents.get(id) ?? []);
    runs.set(r.id, {
      id: r.id,
      functionId: r.function_id,
      event,
      events,
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

/**
 * A `batchEvents` function whose events need no dispatch pass: no batch key, no trigger filter,
 * no concurrency limit or idempotency, the only function its events trigger, and no function
 * cancels on them. Its events are claimed straight from `executor_events` (see `claimDue`).
 */
export interface DirectTrigger {
  event: string;
  functionId: string;
  maxSize: number;
  maxAttempts: number;
}

/** A run whose function returned, to be marked COMPLETED (fenced by its lease) in a later statement. */
export interface Completion {
  runId: string;
  leaseToken: string;
  output: unknown;
  at: Date;
}

const completionValues = (completions: Completion[]) => [
  completions.map((c) => c.runId),
  completions.map((c) => c.leaseToken),
  completions.map((c) => JSON.stringify(c.output ?? null)),
  completions.map((c) => c.at),
];

/** `finishRun` of completed runs without a concurrency key, many at once. */
export async function completeRuns(pool: pg.Pool, completions: Completion[]): Promise<void> {
  if (completions.length === 0) return;
  await pool.query({
    name: "executor-complete-runs",
    text: `UPDATE executor_runs r SET status = 'COMPLETED', wake_at = NULL, lease_token = NULL, pending = '[]', output = c.output, error = NULL, ended_at = c.at
       FROM unnest($1::text[], $2::text[], $3::jsonb[], $4::timestamptz[]) AS c(id, token, output, at)
       WHERE r.id = c.id AND r.lease_token = c.token AND r.status = 'RUNNING'`,
    values: completionValues(completions),
  });
}

export interface Claim {
  runs: ClaimedRun[];
  /** The earliest wake-up of a run left unclaimed, as the statement saw the table; null if none. */
  nextWake: Date | null;
  /** Events wait for the dispatcher (asked for with `checks.undispatchedExcept`). */
  undispatched: boolean;
  /** Runs of functions with a concurrency limit are due (asked for with `checks.limited`). */
  limitedDue: boolean;
}

/**
 * One statement for a scheduling pass: claims up to `limit` due runs without a concurrency limit
 * and, into the slots left, starts runs of `direct` functions from their waiting events (up to
 * `maxSize` events each, in arrival order), already leased to this worker. Those events are marked
 * dispatched by the same statement, so no dispatch pass, QUEUED run or second claim stands between
 * an event and the run that handles it. Runs already due come first. Events are taken FOR UPDATE
 * SKIP LOCKED, so concurrent claimers (and the dispatcher) never take one event twice. A crash
 * after the claim leaves leased runs, taken over when their lease expires, as any run.
 */
export async function claimDue(
  pool: pg.Pool,
  opts: {
    functionIds: string[];
    limit: number;
    now: Date;
    leaseMs: number;
    workerId: string;
    direct: DirectTrigger[];
    /** Cheap questions answered by the same statement, so that an idle poll costs one round trip. */
    checks: { undispatchedExcept: string[] | null; limited: boolean };
    /** Runs to mark COMPLETED in the same statement (`completeRuns`). */
    completions: Completion[];
  },
): Promise<Claim> {
  const { direct, checks } = opts;
  const { rows } = await pool.query<{ runs: ClaimRow[] | null; next_wake: Date | null; undispatched: boolean | null; limited_due: boolean | null; lease_expiries: number }>({
    name: "executor-claim-due",
    text: `WITH due AS (
       SELECT id, status FROM executor_runs
       WHERE wake_at <= $1 AND function_id = ANY($2::text[]) AND concurrency_limit IS NULL AND id <> ALL($13::text[])
       ORDER BY wake_at LIMIT $3 FOR UPDATE SKIP LOCKED
     ),
     completed AS (
       UPDATE executor_runs r SET status = 'COMPLETED', wake_at = NULL, lease_token = NULL, pending = '[]', output = c.output, error = NULL, ended_at = c.at
       FROM unnest($13::text[], $14::text[], $15::jsonb[], $16::timestamptz[]) AS c(id, token, output, at)
       WHERE r.id = c.id AND r.lease_token = c.token AND r.status = 'RUNNING'
     ),
     claimed AS (
       UPDATE executor_runs r
       SET status = 'RUNNING', wake_at = $4, lease_token = gen_random_uuid()::text, leased_by = $5, started_at = COALESCE(r.started_at, $1)
       FROM due WHERE r.id = due.id
       RETURNING r.id, r.function_id, r.attempt, r.max_attempts, r.pending, r.lease_token, r.step_count, r.concurrency_key, r.event_id, r.batch_event_ids
     ),
     direct AS (SELECT * FROM unnest($6::text[], $7::text[], $8::int[], $9::int[]) AS t(name, fn, size, attempts)),
     waiting AS (
       SELECT e.id, e.name, e.seq FROM executor_events e
       WHERE e.dispatched_at IS NULL AND e.name = ANY($6::text[])
       ORDER BY e.seq LIMIT $10 FOR UPDATE SKIP LOCKED
     ),
     grouped AS (
       SELECT t.fn, t.attempts, w.id, w.seq, (row_number() OVER (PARTITION BY t.fn ORDER BY w.seq) - 1) / t.size AS n
       FROM waiting w JOIN direct t ON t.name = w.name
     ),
     batches AS (
       SELECT gen_random_uuid()::text AS id, fn, min(attempts) AS attempts, array_agg(id ORDER BY seq) AS ids
       FROM grouped GROUP BY fn, n
       ORDER BY min(seq) LIMIT greatest(0, $3 - (SELECT count(*) FROM due))
     ),
     taken AS (
       UPDATE executor_events e SET dispatched_at = $1 FROM batches b WHERE e.id = ANY(b.ids)
     ),
     started AS (
       INSERT INTO executor_runs (id, function_id, event_id, batch_event_ids, status, max_attempts, wake_at, lease_token, leased_by, created_at, started_at)
       SELECT id, fn, ids[1], ids, 'RUNNING', attempts, $4, gen_random_uuid()::text, $5, $1, $1 FROM batches
       RETURNING id, function_id, attempt, max_attempts, pending, lease_token, step_count, concurrency_key, event_id, batch_event_ids
     )
     SELECT (
       SELECT json_agg(json_build_object(
         'id', r.id, 'function_id', r.function_id, 'attempt', r.attempt, 'max_attempts', r.max_attempts, 'pending', r.pending,
         'lease_token', r.lease_token, 'step_count', r.step_count, 'concurrency_key', r.concurrency_key,
         'batch_event_ids', r.batch_event_ids, 'event_id', e.id, 'event_name', e.name, 'event_data', e.data, 'event_ts', e.ts,
         'batch_events', CASE WHEN cardinality(r.batch_event_ids) > 1 THEN (
           SELECT json_agg(json_build_object('id', b.id, 'name', b.name, 'data', b.data, 'ts', b.ts) ORDER BY u.n)
             FROM unnest(r.batch_event_ids) WITH ORDINALITY AS u(id, n) JOIN executor_events b ON b.id = u.id
         ) END))
         FROM (SELECT * FROM claimed UNION ALL SELECT * FROM started) r JOIN executor_events e ON e.id = r.event_id
     ) AS runs,
     (SELECT min(wake_at) FROM executor_runs WHERE wake_at IS NOT NULL AND function_id = ANY($2::text[]) AND id NOT IN (SELECT id FROM due) AND id <> ALL($13::text[])) AS next_wake,
     CASE WHEN $11::text[] IS NOT NULL THEN EXISTS (SELECT 1 FROM executor_events WHERE dispatched_at IS NULL AND name <> ALL($11::text[])) END AS undispatched,
     CASE WHEN $12 THEN EXISTS (
       SELECT 1 FROM executor_runs WHERE wake_at <= $1 AND function_id = ANY($2::text[]) AND concurrency_limit IS NOT NULL
     ) END AS limited_due,
     (SELECT count(*)::int FROM due WHERE status = 'RUNNING') AS lease_expiries`,
    values: [
      opts.now,
      opts.functionIds,
      opts.limit,
      new Date(opts.now.getTime() + opts.leaseMs),
      opts.workerId,
      direct.map((d) => d.event),
      direct.map((d) => d.functionId),
      direct.map((d) => d.maxSize),
      direct.map((d) => d.maxAttempts),
      opts.limit * Math.max(0, ...direct.map((d) => d.maxSize)),
      checks.undispatchedExcept,
      checks.limited,
      ...completionValues(opts.completions),
    ],
  });
  const row = rows[0];
  // A RUNNING run is due only once its lease expired: its executor stopped renewing it.
  countLeaseExpiries(row?.lease_expiries ?? 0);
  return {
    runs: await withSteps(pool, row?.runs ?? []),
    nextWake: row?.next_wake ? new Date(row.next_wake) : null,
    undispatched: row?.undispatched === true,
    limitedDue: row?.limited_due === true,
  };
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
    const { rows: candidates } = await client.query<{ id: string; status: string; function_id: string; concurrency_key: string; concurrency_limit: number }>(
      `SELECT id, status, function_id, concurrency_key, concurrency_limit FROM executor_runs
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
    const taken = new Set(rows.map((r) => r.id));
    countLeaseExpiries(candidates.filter((c) => c.status === "RUNNING" && taken.has(c.id)).length);
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

export interface BatchMerge {
  keep: ClaimedRun;
  /** Fresh runs whose events join `keep`'s batch; they are deleted. */
  absorbed: ClaimedRun[];
}

/**
 * Folds fresh runs of one `batchEvents` function (and key) that one claim took together into one
 * run, in one statement, fenced by the leases just taken: when the executor falls behind, the
 * events that queued up meanwhile are delivered as one batch instead of one run each. Nothing is
 * merged unless every kept run still holds its lease.
 */
export async function mergeBatchRuns(pool: pg.Pool, merges: BatchMerge[]): Promise<boolean> {
  if (merges.length === 0) return true;
  const absorbed = merges.flatMap((m) => m.absorbed);
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    const kept = await client.query(
      `UPDATE executor_runs r SET batch_event_ids = string_to_array(u.ids, ',')
         FROM unnest($1::text[], $2::text[], $3::text[]) AS u(id, ids, token)
        WHERE r.id = u.id AND r.lease_token = u.token`,
      [
        merges.map((m) => m.keep.id),
        merges.map((m) => [...m.keep.events, ...m.absorbed.flatMap((a) => a.events)].map((e) => e.id).join(",")),
        merges.map((m) => m.keep.leaseToken),
      ],
    );
    const gone = await client.query(
      `DELETE FROM executor_runs r USING unnest($1::text[], $2::text[]) AS u(id, token) WHERE r.id = u.id AND r.lease_token = u.token`,
      [absorbed.map((a) => a.id), absorbed.map((a) => a.leaseToken)],
    );
    if (kept.rowCount !== merges.length || gone.rowCount !== absorbed.length) {
      await client.query("ROLLBACK");
      return false;
    }
    await client.query("COMMIT");
    return true;
  } catch (error) {
    await client.query("ROLLBACK").catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}
