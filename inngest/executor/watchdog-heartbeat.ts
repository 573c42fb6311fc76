import type pg from "pg";

/**
 * An executor's heartbeat (`executor_workers`): its claim loop writes it about once every
 * HEARTBEAT_MS, so a process that is frozen (SIGSTOP, a VM paused), hung or killed outright stops
 * writing it, and the watchdog (watchdog.ts) notices. A heartbeat clears the stall mark: an
 * executor that comes back counts as stalled again only after a new silence.
 */

export const HEARTBEAT_MS = 1_000;

export async function beat(pool: pg.Pool, workerId: string, startedAt: Date, now: Date): Promise<void> {
  await pool.query({
    name: "executor-heartbeat",
    text: `INSERT INTO executor_workers (id, started_at, heartbeat_at) VALUES ($1, $2, $3)
           ON CONFLICT (id) DO UPDATE SET heartbeat_at = EXCLUDED.heartbeat_at, stalled_at = NULL`,
    values: [workerId, startedAt, now],
  });
}

/** A stopped executor is not a stalled one. */
export async function retire(pool: pg.Pool, workerId: string): Promise<void> {
  await pool.query(`DELETE FROM executor_workers WHERE id = $1`, [workerId]);
}
