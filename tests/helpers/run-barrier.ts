import type pg from "pg";
import { db } from "@/lib/db";
import { waitFor } from "@/tests/helpers/executor-harness";

/**
 * Barriers for "nothing more arrives", in place of a fixed quiet period that a loaded machine can
 * outlast. Every request a delivery makes comes from an executor run started by an event naming
 * its message; an attempt step ends only once the receiver answered, and a run only after its last
 * step. So once every such event has been dispatched and every such run has ended, what the
 * receiver holds for the message is final.
 */

interface RunsState {
  events: number;
  undispatched: number;
  runs: number;
  open: number;
}

/**
 * Runs are found by the field their events carry: a delivery's `messageId` (or any of several
 * messages' `messageIds`), a recovery's `taskId`.
 */
export type RunsOf = { messageId: string } | { messageIds: string[] } | { taskId: string };

async function runsOf(pool: pg.Pool, of: RunsOf): Promise<RunsState> {
  const [field, values] = "messageId" in of ? ["messageId", [of.messageId]] : "messageIds" in of ? ["messageId", of.messageIds] : ["taskId", [of.taskId]];
  const { rows } = await pool.query<RunsState>(
    `WITH ev AS (SELECT id, dispatched_at FROM executor_events WHERE data->>$2 = ANY($1::text[]))
     SELECT (SELECT count(*) FROM ev)::int AS events,
            (SELECT count(*) FROM ev WHERE dispatched_at IS NULL)::int AS undispatched,
            count(r.id)::int AS runs,
            (count(r.id) FILTER (WHERE r.status NOT IN ('COMPLETED', 'FAILED', 'CANCELLED')))::int AS open
       FROM executor_runs r
      WHERE r.event_id IN (SELECT id FROM ev) OR r.batch_event_ids && ARRAY(SELECT id FROM ev)`,
    [values, field],
  );
  return rows[0]!;
}

/** Waits until every event naming the message (or task) is dispatched and every run it started has ended. */
export async function waitForRunsToEnd(pool: pg.Pool, of: string | RunsOf, timeoutMs: number): Promise<void> {
  const key = typeof of === "string" ? { messageId: of } : of;
  await waitFor(
    `every executor run of ${JSON.stringify(key)} to end`,
    async () => {
      const state = await runsOf(pool, key);
      return state.events > 0 && state.undispatched === 0 && state.runs > 0 && state.open === 0;
    },
    timeoutMs,
    50,
  );
}

/**
 * The barrier for "nothing more arrives" after a delivery ended or was stopped. `sendMarker` sends
 * one message, now, to a receiver of its own that fails the first request and answers the second,
 * and returns its id. The marker's retry comes due one schedule wait later, no earlier than any
 * retry still due for the messages under test, and the executor claims due runs in wake-time
 * order: once the marker's retry is answered, such a retry has been claimed. Then every run of
 * the messages (a message id) or tasks under test must have ended, its requests answered.
 */
export async function quietAfterMarker(pool: pg.Pool, sendMarker: () => Promise<string>, runs: (string | RunsOf)[], timeoutMs: number): Promise<void> {
  const marker = await sendMarker();
  await waitFor(
    "the marker's retry to be answered",
    async () => (await db.delivery.findFirst({ where: { messageId: marker, status: "SUCCEEDED", attemptCount: 2 } })) ?? undefined,
    timeoutMs,
    50,
  );
  for (const of of runs) await waitForRunsToEnd(pool, of, timeoutMs);
}
