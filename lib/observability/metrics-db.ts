import pg from "pg";
import { METRIC_PREFIX, type MetricJson, type MetricSample } from "@/lib/observability/metrics";

/**
 * Gauges of the whole platform, read from PostgreSQL when `/metrics` is scraped: the backlog and
 * the executor's runs are states of the database, the same whichever process looks, and each
 * process would only know its own part. Two statements per scrape on indexes that exist, on a
 * pool of their own (one connection, a statement timeout), so a slow scrape never takes a
 * connection from the API. When the database does not answer, the gauges are left out rather
 * than reported as zero, and `hookrelay_metrics_database_up` says so.
 */

const STATEMENT_TIMEOUT_MS = 5_000;
export const RUN_STATES = ["queued", "running", "sleeping"] as const;

/**
 * Per organization on `Delivery (organizationId, status, createdAt)`: PostgreSQL 17 cannot skip
 * through an index's leading column itself, so the lateral join walks the PENDING range of each
 * organization (one index probe per organization, plus the pending rows) instead of scanning every
 * delivery ever made. The columns are timestamps without time zone holding UTC, hence `now` passed
 * in UTC.
 */
const BACKLOG_SQL = `
  SELECT coalesce(sum(b.due), 0)::bigint AS due,
         coalesce(sum(b.retries), 0)::bigint AS retries,
         extract(epoch FROM ($1::timestamp - min(b.oldest)))::float8 AS oldest_age
    FROM "Organization" o
   CROSS JOIN LATERAL (
     SELECT count(*) FILTER (WHERE d."nextAttemptAt" <= $1::timestamp) AS due,
            min(d."nextAttemptAt") FILTER (WHERE d."nextAttemptAt" <= $1::timestamp) AS oldest,
            count(*) FILTER (WHERE d."attemptCount" > 0 AND d."nextAttemptAt" > $1::timestamp) AS retries
       FROM "Delivery" d
      WHERE d."organizationId" = o.id AND d.status = 'PENDING'
   ) b
   -- An organization staff disabled holds its deliveries on purpose: not a backlog to alert on (the watchdog leaves them alone too).
   WHERE o."disabledAt" IS NULL`;

/** Unfinished runs only (`wake_at` is null once a run ends), on `executor_runs (wake_at)`. */
const RUNS_SQL = `SELECT lower(status::text) AS state, count(*)::bigint AS runs FROM executor_runs WHERE wake_at IS NOT NULL GROUP BY status`;

const gauge = (name: string, help: string, values: MetricSample[]): MetricJson => ({ name: `${METRIC_PREFIX}${name}`, help, type: "gauge", values, aggregator: "sum" });

let pool: pg.Pool | undefined;
function metricsPool(): pg.Pool {
  if (!pool) {
    const url = process.env.DATABASE_URL;
    if (!url) throw new Error("DATABASE_URL is not set");
    pool = new pg.Pool({ connectionString: url, max: 1, idleTimeoutMillis: 60_000, statement_timeout: STATEMENT_TIMEOUT_MS, application_name: "hookrelay-metrics" });
    // A connection dropped while idle is replaced at the next scrape.
    pool.on("error", () => {});
  }
  return pool;
}

/** The database gauges as prom-client's JSON, ready to be merged with the processes' metrics. */
export async function databaseGauges(now: Date = new Date(), onError: (error: unknown) => void = () => {}): Promise<MetricJson[]> {
  const up = (value: number) =>
    gauge("metrics_database_up", "1 when the database gauges of this scrape were read, 0 when PostgreSQL did not answer (they are then absent).", [{ value, labels: {} }]);
  try {
    const at = now.toISOString();
    const client = metricsPool();
    const [backlog, runs] = await Promise.all([
      client.query<{ due: string; retries: string; oldest_age: number | null }>(BACKLOG_SQL, [at]),
      client.query<{ state: string; runs: string }>(RUNS_SQL),
    ]);
    const row = backlog.rows[0];
    const counts = new Map(runs.rows.map((r) => [r.state, Number(r.runs)]));
    return [
      up(1),
      gauge("delivery_backlog", "Deliveries due and not yet attempted: first attempts and retries whose time has come.", [{ value: Number(row?.due ?? 0), labels: {} }]),
      gauge("delivery_backlog_oldest_age_seconds", "How long the oldest due delivery has waited past its due time (0 when nothing is due).", [
        { value: Math.max(0, row?.oldest_age ?? 0), labels: {} },
      ]),
      gauge("delivery_retries_pending", "Deliveries waiting for a retry that is not due yet.", [{ value: Number(row?.retries ?? 0), labels: {} }]),
      gauge(
        "executor_runs",
        "Unfinished runs of the embedded executor by state: queued (due or waiting to start), running (leased), sleeping (waiting for a step.sleep).",
        RUN_STATES.map((state) => ({ value: counts.get(state) ?? 0, labels: { state } })),
      ),
    ];
  } catch (error) {
    onError(error);
    return [up(0)];
  }
}

/** Closes the pool (the server's stop). */
export async function closeDatabaseGauges(): Promise<void> {
  await pool?.end();
  pool = undefined;
}
