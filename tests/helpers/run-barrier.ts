import type pg from "pg";
import { waitFor } from "@/tests/helpers/executor-harness";

/**
 * Barriers for "nothing more arrives", in place of a fixed quiet period that a loaded machine can
 * outlast. Every request a delivery makes comes from an executor run started by an event naming
 * its message; an attempt step ends only once the receiver answered, and a run only after its last
 * step. So once every such event has been dispatched and every such run has ended, what the
 * receiver holds for the message is final.
 */

interface RunsOfMessage {
  events: number;
  undispatched: number;
  runs: number;
  open: number;
}

async function runsOfMessage(pool: pg.Pool, messageId: string): Promise<RunsOfMessage> {
  const { rows } = await pool.query<RunsOfMessage>(
    `WITH ev AS (SELECT id, dispatched_at FROM executor_events WHERE data->>'messageId' = $1)
     SELECT (SELECT count(*) FROM ev)::int AS events,
            (SELECT count(*) FROM ev WHERE dispatched_at IS NULL)::int AS undispatched,
            count(r.id)::int AS runs,
            (count(r.id) FILTER (WHERE r.status NOT IN ('COMPLETED', 'FAILED', 'CANCELLED')))::int AS open
       FROM executor_runs r
      WHERE r.event_id IN (SELECT id FROM ev) OR r.batch_event_ids && ARRAY(SELECT id FROM ev)`,
    [messageId],
  );
  return rows[0]!;
}

/** Waits until every event naming `messageId` is dispatched and every run it started has ended. */
export async function waitForRunsToEnd(pool: pg.Pool, messageId: string, timeoutMs: number): Promise<void> {
  await waitFor(
    `every executor run of ${messageId} to end`,
    async () => {
      const state = await runsOfMessage(pool, messageId);
      return state.events > 0 && state.undispatched === 0 && state.runs > 0 && state.open === 0;
    },
    timeoutMs,
    50,
  );
}
