import { randomUUID } from "node:crypto";
import { Cron } from "croner";
import type pg from "pg";
import type { FunctionSpec } from "@/inngest/executor/functions";
import { WAKE_CHANNEL } from "@/inngest/executor/ingest";

/**
 * Cron triggers, with Inngest's semantics: a standard 5-field expression in UTC, or in the zone of
 * an optional `TZ=Zone/Name ` prefix; each tick starts one run whose event is
 * `inngest/scheduled.timer` with `data: { cron }`.
 *
 * Exactly one run per tick however many executors share the database: a tick is taken by the one
 * statement that moves `executor_crons.last_tick_at` forward and inserts the event and the run, so
 * a second executor's statement for the same tick changes nothing. After downtime only the latest
 * missed tick runs (the state moves straight to it), never one run per missed tick.
 */

export const SCHEDULED_EVENT = "inngest/scheduled.timer";

const DEFAULT_ZONE = "Etc/UTC";

export class CronError extends Error {}

export interface CronSchedule {
  /** As written in the function's trigger, prefix included: the key of its state and `event.data.cron`. */
  expression: string;
  timezone: string;
  pattern: Cron;
}

function checkZone(zone: string): void {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: zone });
  } catch {
    throw new CronError(`unknown time zone "${zone}" (use an IANA name such as Europe/Paris)`);
  }
}

/** Parses `[TZ=Zone/Name ]<minute> <hour> <day of month> <month> <day of week>`. */
export function parseCron(expression: string): CronSchedule {
  const match = /^\s*(?:TZ=(\S+)\s+)?(.*?)\s*$/.exec(expression)!;
  const timezone = match[1] ?? DEFAULT_ZONE;
  checkZone(timezone);
  try {
    const pattern = new Cron(match[2], { mode: "5-part", timezone, paused: true });
    return { expression, timezone, pattern };
  } catch (error) {
    const reason = (error instanceof Error ? error.message : String(error)).replace(/^CronPattern: /, "");
    throw new CronError(`"${expression}" is not a valid cron expression: ${reason} (expected 5 fields such as "*/15 * * * *", optionally after "TZ=Europe/Paris ")`);
  }
}

/** The latest tick at or before `at` (croner's previousRuns leaves out a tick exactly at its reference). */
function latestTick(schedule: CronSchedule, at: Date): Date | undefined {
  return schedule.pattern.previousRuns(1, new Date(at.getTime() + 1))[0];
}

interface Entry {
  fn: FunctionSpec;
  schedule: CronSchedule;
  /** When this process looks at the schedule again (ms since epoch); undefined until its state exists. */
  nextCheck?: number;
}

export class CronScheduler {
  private readonly entries: Entry[];

  constructor(functions: readonly FunctionSpec[]) {
    this.entries = functions.flatMap((fn) => fn.crons.map((schedule) => ({ fn, schedule })));
  }

  /**
   * Starts a run for every tick that came due since the last look; returns how many runs this
   * process started. Costs no query until a tick is due.
   */
  async fire(pool: pg.Pool, now: Date): Promise<number> {
    let started = 0;
    for (const entry of this.entries) {
      if (entry.nextCheck !== undefined && now.getTime() < entry.nextCheck) continue;
      const tick = latestTick(entry.schedule, now);
      if (entry.nextCheck === undefined) {
        // A schedule seen for the first time starts at its next tick, as on Inngest; one already
        // known (another executor, or this one before a restart) catches up on its latest tick below.
        await pool.query(
          `INSERT INTO executor_crons (function_id, cron, last_tick_at) VALUES ($1, $2, $3) ON CONFLICT (function_id, cron) DO NOTHING`,
          [entry.fn.id, entry.schedule.expression, tick ?? now],
        );
      }
      if (tick && (await this.startRun(pool, entry, tick, now))) started++;
      entry.nextCheck = entry.schedule.pattern.nextRun(now)?.getTime() ?? Infinity;
    }
    return started;
  }

  private async startRun(pool: pg.Pool, { fn, schedule }: Entry, tick: Date, now: Date): Promise<boolean> {
    const event = { id: randomUUID(), name: SCHEDULED_EVENT, data: { cron: schedule.expression }, ts: tick.getTime() };
    const concurrencyKey = fn.concurrency ? (fn.concurrency.key ? fn.concurrency.key(event) : "") : null;
    const res = await pool.query(
      `WITH taken AS (
         UPDATE executor_crons SET last_tick_at = $3 WHERE function_id = $1 AND cron = $2 AND last_tick_at < $3
         RETURNING function_id
       ), event AS (
         INSERT INTO executor_events (id, name, data, ts, received_at, dispatched_at)
         SELECT $4, $5, $6::jsonb, $7, $8, $8 FROM taken
         RETURNING id
       ), run AS (
         INSERT INTO executor_runs (id, function_id, event_id, status, max_attempts, wake_at, concurrency_key, concurrency_limit, created_at)
         SELECT $9, $1, event.id, 'QUEUED', $10, $8, $11, $12, $8 FROM event
         RETURNING id
       )
       SELECT pg_notify($13, 'limited') FROM run`,
      [
        fn.id,
        schedule.expression,
        tick,
        event.id,
        event.name,
        JSON.stringify(event.data),
        event.ts,
        now,
        randomUUID(),
        fn.maxAttempts,
        concurrencyKey,
        fn.concurrency?.limit ?? null,
        WAKE_CHANNEL,
      ],
    );
    return (res.rowCount ?? 0) > 0;
  }
}
