import pg from "pg";
import { OUTBOX_CHANNEL } from "@/lib/outbox";
import { loggerFor } from "@/lib/observability/log";

/**
 * The outbox relay (Inngest mode): hands the events the domain published to Inngest, oldest
 * first, and marks them sent. Any number of relays may share one database: a batch is claimed
 * with FOR UPDATE SKIP LOCKED and stays locked while it is sent, so two relays never send the same
 * event at once. A crash mid-send leaves the batch unsent; the next relay sends it again with the
 * same event ids, which Inngest de-duplicates (24 hours), so no run starts twice. A failed send is
 * retried after a backoff that doubles per failure (`baseMs` up to `maxMs`), and logged.
 */

export interface RelayedEvent {
  id: string;
  name: string;
  data: Record<string, unknown>;
  ts: number;
}

export interface OutboxRelayOptions {
  databaseUrl: string;
  /** Sends a batch; resolves once the engine accepted it (Inngest: `inngest.send()`). */
  send: (events: RelayedEvent[]) => Promise<unknown>;
  log?: (line: string) => void;
  /** Longest idle wait between passes; a publish wakes the relay sooner (NOTIFY). */
  pollMs?: number;
  batchSize?: number;
  /** First retry delay of a failed send; doubles per failure up to `maxMs`. */
  baseMs?: number;
  maxMs?: number;
  /** A send that has not answered by then counts as failed (it may still land: its ids make that harmless). */
  sendTimeoutMs?: number;
}

export interface OutboxRelay {
  /** Stops relaying. A send still in flight after a few seconds is left to the process's exit: its events are sent again later. */
  stop(): Promise<void>;
}

const STOP_WAIT_MS = 5_000;

interface Row {
  id: string;
  name: string;
  data: Record<string, unknown>;
  ts: string;
}

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

export async function startOutboxRelay(options: OutboxRelayOptions): Promise<OutboxRelay> {
  const { send, pollMs = 1_000, batchSize = 500, baseMs = 1_000, maxMs = 300_000, sendTimeoutMs = 30_000 } = options;
  const log = options.log ?? ((line: string) => loggerFor("[outbox]").info(line));
  const pool = new pg.Pool({ connectionString: options.databaseUrl, max: 2 });
  pool.on("error", (error) => log(`database connection error: ${error.message}`));
  let stopping = false;
  let wake: (() => void) | undefined;
  let signalled = true;
  const signal = () => {
    signalled = true;
    wake?.();
  };

  /** One pass: sends what is due now; returns how many events were sent. */
  async function drain(): Promise<number> {
    const client = await pool.connect();
    try {
      await client.query("BEGIN");
      const { rows } = await client.query<Row>(
        `SELECT id, name, data, ts FROM "OutboxEvent"
          WHERE "sentAt" IS NULL AND "nextAttemptAt" <= now()
          ORDER BY seq LIMIT $1 FOR UPDATE SKIP LOCKED`,
        [batchSize],
      );
      if (rows.length === 0) {
        await client.query("COMMIT");
        return 0;
      }
      const ids = rows.map((r) => r.id);
      try {
        await withTimeout(send(rows.map((r) => ({ id: r.id, name: r.name, data: r.data, ts: Number(r.ts) }))), sendTimeoutMs);
        await client.query(`UPDATE "OutboxEvent" SET "sentAt" = clock_timestamp() WHERE id = ANY($1::text[])`, [ids]);
        await client.query("COMMIT");
        return rows.length;
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        await client.query(
          `UPDATE "OutboxEvent"
              SET attempts = attempts + 1, "lastError" = $2,
                  "nextAttemptAt" = clock_timestamp() + make_interval(secs => least($4::float8, $3::float8 * power(2, least(attempts, 30))) / 1000)
            WHERE id = ANY($1::text[])`,
          [ids, reason.slice(0, 1_000), baseMs, maxMs],
        );
        await client.query("COMMIT");
        log(`sending ${rows.length} event(s) to Inngest failed, retrying with backoff: ${reason}`);
        return 0;
      }
    } catch (error) {
      await client.query("ROLLBACK").catch(() => {});
      throw error;
    } finally {
      client.release();
    }
  }

  const listener = new pg.Client({ connectionString: options.databaseUrl });
  listener.on("notification", signal);
  listener.on("error", (error) => {
    if (!stopping) log(`LISTEN connection lost (${error.message}); polling every ${pollMs} ms`);
  });
  await listener.connect();
  await listener.query(`LISTEN ${OUTBOX_CHANNEL}`);

  const loop = (async () => {
    while (!stopping) {
      let sent = 0;
      signalled = false;
      try {
        sent = await drain();
      } catch (error) {
        log(`relay pass failed: ${error instanceof Error ? error.message : String(error)}`);
      }
      // A full batch means more may be waiting: go again at once.
      if (sent === batchSize || stopping) continue;
      if (signalled) continue;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, pollMs);
        function done() {
          clearTimeout(timer);
          wake = undefined;
          resolve();
        }
        wake = done;
      });
    }
  })();

  return {
    async stop() {
      stopping = true;
      wake?.();
      let timer: NodeJS.Timeout | undefined;
      const finished = await Promise.race([loop.then(() => true), new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), STOP_WAIT_MS)))]);
      clearTimeout(timer);
      await listener.end().catch(() => {});
      // A pass still sending holds a connection: ending the pool would wait for it.
      if (finished) await pool.end();
    },
  };
}

/** The relay of a process in Inngest mode (`npm start`'s server): sends with the app's Inngest client. */
export async function startInngestRelay(databaseUrl: string, log?: (line: string) => void): Promise<OutboxRelay> {
  const { inngest } = await import("@/inngest/client");
  return startOutboxRelay({ databaseUrl, log, send: (events) => inngest.send(events) });
}
