import type pg from "pg";
import { z } from "zod";
import { WAKE_CHANNEL } from "@/inngest/executor/ingest";
import { HEARTBEAT_MS } from "@/inngest/executor/watchdog-heartbeat";
import { STALL_KINDS, type StallKind } from "@/lib/observability/watchdog-kinds";
import { countStalls } from "@/lib/observability/watchdog-metrics";
import { settingsErrorText } from "@/lib/settings-error";

/**
 * The stalled-work watchdog. Every WATCHDOG_INTERVAL_MS one process (an advisory lock; the app
 * servers run it, scripts/serve.ts) looks for work that stopped moving:
 *
 * - `executor`: an executor process whose claim loop wrote no heartbeat for
 *   WATCHDOG_EXECUTOR_STALL_MS (frozen, hung, or killed without stopping: watchdog-heartbeat.ts);
 * - `run`: a run still RUNNING whose lease expired more than a lease ago, i.e. nobody took it over
 *   (every executor is down or stuck);
 * - `delivery`: a PENDING delivery due for longer than WATCHDOG_DELIVERY_STALL_MS (any mode,
 *   Inngest's included), organizations disabled by staff aside (their deliveries wait on purpose).
 *
 * Each is recorded once (`watchdog_stalls`, shown on Platform → Jobs), logged and counted
 * (`hookrelay_watchdog_stalls_total{kind}`). The work itself is taken over by the leases: a frozen
 * executor renews none, so once they expire any other executor claims its runs and replays them from
 * their memoized steps; the watchdog wakes the executors (NOTIFY) when it finds a stall, so that
 * happens at once rather than at the next poll. It never takes a lease away early: a process that is
 * slow but alive still fences every write with its lease token, and a second driver of the same run
 * would repeat its step.
 */

export interface WatchdogConfig {
  intervalMs: number;
  deliveryStallMs: number;
  executorStallMs: number;
  /** How long after its lease expired a run still RUNNING counts as stalled: one more lease. */
  runStallMs: number;
  /** Recorded stalls are kept this long. */
  retentionMs: number;
  /** Stalls of each kind recorded a pass at most (PASS_LIMIT; smaller in tests). */
  passLimit?: number;
}

export interface Stall {
  kind: StallKind;
  subject: string;
  since: Date;
  detail: string;
}

const WATCHDOG_LOCK = 0x68727764; // "hrwd"
/**
 * Each kind records at most this many stalls a pass; the rest are found by the next ones, which
 * skip what is recorded already (an outage of more than this many keeps being counted).
 */
const PASS_LIMIT = 500;
/** Stall lines logged a pass; the others are summed up in one more line. */
const LOGGED = 20;
/**
 * A stalled executor silent this long is gone (killed, its machine replaced): its row is dropped, so
 * the Jobs page stops listing it and warning about it; its stall stays among the recent ones. One
 * that comes back writes its row again.
 */
const GONE_AFTER_MS = 60 * 60_000;

const ms = (name: string, min: number) =>
  z.coerce
    .number({ error: `${name} must be a number of milliseconds` })
    .int(`${name} must be a whole number of milliseconds`)
    .min(min, `${name} must be at least ${min} ms`)
    .optional();

const envSchema = z.object({
  WATCHDOG_INTERVAL_MS: ms("WATCHDOG_INTERVAL_MS", 100),
  WATCHDOG_DELIVERY_STALL_MS: ms("WATCHDOG_DELIVERY_STALL_MS", 1_000),
  WATCHDOG_EXECUTOR_STALL_MS: ms("WATCHDOG_EXECUTOR_STALL_MS", 2 * HEARTBEAT_MS),
});

export class WatchdogConfigError extends Error {}

/**
 * The watchdog's settings. The executor's lease and poll set the defaults: an executor beats at
 * least once a poll, so three of the longer of the two without a beat is a stall, not a busy moment.
 */
export function parseWatchdogConfig(
  executor: { leaseMs: number; pollMs: number },
  retentionMs: number,
  source: Record<string, string | undefined> = process.env,
): WatchdogConfig {
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ""));
  const result = envSchema.safeParse(cleaned);
  if (!result.success) {
    throw new WatchdogConfigError(settingsErrorText("Invalid watchdog environment", result.error));
  }
  const env = result.data;
  return {
    intervalMs: env.WATCHDOG_INTERVAL_MS ?? 10_000,
    deliveryStallMs: env.WATCHDOG_DELIVERY_STALL_MS ?? 5 * 60_000,
    executorStallMs: env.WATCHDOG_EXECUTOR_STALL_MS ?? 3 * Math.max(executor.leaseMs, executor.pollMs + HEARTBEAT_MS),
    runStallMs: executor.leaseMs,
    retentionMs,
  };
}

type Client = Pick<pg.PoolClient, "query">;

const RETURNING = `RETURNING kind, subject, since, detail`;

/** The detail names no time: the stall's `since` is its last heartbeat, shown through the dashboard's time module. */
async function executorStalls(client: Client, now: Date, config: WatchdogConfig): Promise<Stall[]> {
  const { rows } = await client.query<Stall>(
    `WITH stalled AS (
       UPDATE executor_workers SET stalled_at = $1
        WHERE id IN (SELECT id FROM executor_workers WHERE heartbeat_at < $2 AND stalled_at IS NULL ORDER BY heartbeat_at LIMIT $3)
          -- Checked again on the row as updated: a heartbeat written meanwhile is not a stall.
          AND heartbeat_at < $2 AND stalled_at IS NULL
       RETURNING id, heartbeat_at
     )
     INSERT INTO watchdog_stalls (kind, subject, since, detected_at, detail)
     SELECT 'executor', s.id, s.heartbeat_at, $1,
            'heartbeats stopped; '
              || CASE held.n WHEN 0 THEN 'it held no run' ELSE held.n || ' run(s) it held go to the other executors as their leases expire' END
       FROM stalled s,
            LATERAL (SELECT count(*) AS n FROM executor_runs r
                      WHERE r.status = 'RUNNING' AND r.leased_by = s.id
                        -- Its leases ran out around its last heartbeat: the wake_at index finds them.
                        AND r.wake_at BETWEEN s.heartbeat_at - interval '1 hour' AND $1::timestamptz + interval '1 hour') held
     ON CONFLICT (kind, subject, since) DO NOTHING
     ${RETURNING}`,
    [now, new Date(now.getTime() - config.executorStallMs), config.passLimit ?? PASS_LIMIT],
  );
  return rows;
}

async function runStalls(client: Client, now: Date, config: WatchdogConfig): Promise<Stall[]> {
  const { rows } = await client.query<Stall>(
    `INSERT INTO watchdog_stalls (kind, subject, since, detected_at, detail)
     SELECT 'run', r.id, r.wake_at, $1,
            r.function_id || ', leased by ' || coalesce(r.leased_by, 'nobody') || ': lease expired and no executor took the run over'
       FROM executor_runs r
      WHERE r.status = 'RUNNING' AND r.wake_at < $2
        AND NOT EXISTS (SELECT 1 FROM watchdog_stalls w WHERE w.kind = 'run' AND w.subject = r.id AND w.since = r.wake_at)
      ORDER BY r.wake_at
      LIMIT $3
     ON CONFLICT (kind, subject, since) DO NOTHING
     ${RETURNING}`,
    [now, new Date(now.getTime() - config.runStallMs), config.passLimit ?? PASS_LIMIT],
  );
  return rows;
}

async function deliveryStalls(client: Client, now: Date, config: WatchdogConfig): Promise<Stall[]> {
  // "nextAttemptAt" is a timestamp without time zone holding UTC (lib/delivery/store); Delivery_pending_due_idx serves the range.
  const { rows } = await client.query<Stall>(
    `INSERT INTO watchdog_stalls (kind, subject, since, detected_at, detail)
     SELECT 'delivery', d.id, d."nextAttemptAt" AT TIME ZONE 'UTC', $1,
            'attempt ' || (d."attemptCount" + 1) || ' of message ' || d."messageId" || ' to endpoint ' || d."endpointId" || ' is due and not made'
       FROM "Delivery" d JOIN "Organization" o ON o.id = d."organizationId"
      WHERE d.status = 'PENDING' AND d."nextAttemptAt" < ($2::timestamptz AT TIME ZONE 'UTC') AND o."disabledAt" IS NULL
        AND NOT EXISTS (SELECT 1 FROM watchdog_stalls w WHERE w.kind = 'delivery' AND w.subject = d.id AND w.since = d."nextAttemptAt" AT TIME ZONE 'UTC')
      ORDER BY d."nextAttemptAt"
      LIMIT $3
     ON CONFLICT (kind, subject, since) DO NOTHING
     ${RETURNING}`,
    [now, new Date(now.getTime() - config.deliveryStallMs), config.passLimit ?? PASS_LIMIT],
  );
  return rows;
}

/**
 * One look, in one transaction under the watchdog's advisory lock: returns the stalls recorded now
 * for the first time, or null when another process holds the lock (its pass is running). The
 * transaction's session is ended by PostgreSQL if it sits idle for an interval, so a process frozen
 * mid-pass cannot keep the lock from the others.
 */
export async function watchdogPass(pool: pg.Pool, config: WatchdogConfig, now: Date = new Date()): Promise<Stall[] | null> {
  const client = await pool.connect();
  let broken = false;
  try {
    await client.query("BEGIN");
    await client.query(`SELECT set_config('idle_in_transaction_session_timeout', $1, true)`, [String(Math.max(1_000, config.intervalMs))]);
    const { rows } = await client.query<{ locked: boolean }>("SELECT pg_try_advisory_xact_lock($1) AS locked", [WATCHDOG_LOCK]);
    if (!rows[0]?.locked) {
      await client.query("ROLLBACK");
      return null;
    }
    const stalls = [
      ...(await executorStalls(client, now, config)),
      ...(await runStalls(client, now, config)),
      ...(await deliveryStalls(client, now, config)),
    ];
    await client.query(`DELETE FROM watchdog_stalls WHERE detected_at < $1`, [new Date(now.getTime() - config.retentionMs)]);
    await client.query(`DELETE FROM executor_workers WHERE stalled_at IS NOT NULL AND heartbeat_at < $1`, [new Date(now.getTime() - Math.max(GONE_AFTER_MS, config.executorStallMs))]);
    // Stalled leases are claimable as soon as they expire: wake every executor (sent at commit).
    if (stalls.some((s) => s.kind !== "delivery")) await client.query(`SELECT pg_notify($1, 'watchdog')`, [WAKE_CHANNEL]);
    await client.query("COMMIT");
    return stalls;
  } catch (error) {
    broken = true;
    await client.query("ROLLBACK").catch(() => {});
    throw error;
  } finally {
    client.release(broken);
  }
}

/** Logs and counts what a pass found. */
function report(stalls: Stall[], log: (line: string) => void): void {
  for (const kind of STALL_KINDS) countStalls(kind, stalls.filter((s) => s.kind === kind).length);
  for (const s of stalls.slice(0, LOGGED)) log(`stalled ${s.kind} ${s.subject} since ${s.since.toISOString()}: ${s.detail}`);
  if (stalls.length > LOGGED) log(`... and ${stalls.length - LOGGED} more stall(s): see Platform → Jobs`);
}

export interface Watchdog {
  /** Runs a pass now (tests), and resolves with what it recorded. */
  pass(): Promise<Stall[] | null>;
  stop(): Promise<void>;
}

/** Runs a pass every `config.intervalMs` until stopped; a pass that fails is logged and tried again next time. */
export function startWatchdog(pool: pg.Pool, config: WatchdogConfig, log: (line: string) => void): Watchdog {
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  let running: Promise<Stall[] | null> | undefined;
  const pass = async (): Promise<Stall[] | null> => {
    while (running) await running.catch(() => {});
    running = watchdogPass(pool, config).then((stalls) => {
      if (stalls) report(stalls, log);
      return stalls;
    });
    try {
      return await running;
    } finally {
      running = undefined;
    }
  };
  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(() => {
      void pass()
        .catch((error: unknown) => log(`watchdog pass failed: ${error instanceof Error ? error.message : String(error)}`))
        .finally(schedule);
    }, config.intervalMs);
    timer.unref();
  };
  schedule();
  return {
    pass,
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running?.catch(() => {});
    },
  };
}

/** The app server's watchdog (scripts/serve.ts), configured from the environment. */
export function startWatchdogFromEnv(pool: pg.Pool, executor: { leaseMs: number; pollMs: number }, retentionMs: number, log: (line: string) => void): Watchdog {
  return startWatchdog(pool, parseWatchdogConfig(executor, retentionMs), log);
}
