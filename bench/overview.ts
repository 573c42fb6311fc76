/**
 * Server time of the overview's figures (lib/overview/query.ts) at about 1,000,000 attempts: the
 * platform overview and one organization's, over the last hour, day and week, REPS times each
 * after a warm-up, p50 / p95, and the buffers each read touches.
 *
 *   npx tsx bench/overview.ts                 800,000 deliveries (about 1,040,000 attempts) over 7 days
 *   npx tsx bench/overview.ts -- 100000       another number of deliveries
 *   npx tsx bench/overview.ts -- --reload     load the history again even if the size matches
 *   npx tsx bench/overview.ts -- --reps=5     fewer runs per row (the week's platform read takes seconds)
 *   npx tsx bench/overview.ts -- --explain    also print EXPLAIN (ANALYZE, BUFFERS) of every statement
 *
 * The history is generated with `INSERT … SELECT generate_series` into its own database,
 * `hookrelay_bench_overview` (on the embedded cluster of DATA_DIR / EMBEDDED_PG_PORT, or on
 * DATABASE_URL's server; reloaded only when its size differs): one message and delivery every
 * 7 days / N ending now, to 500 endpoints of 50 organizations. 80 % succeed at the first attempt,
 * 15 % at the second (5 s later), 5 % fail four times (5 s, 5 min, 30 min) and end failed; the
 * first attempt starts 0 to 3 s after the message; the newest 2,000 deliveries wait, never
 * attempted (the backlog).
 */
import path from "node:path";
import pg from "pg";
import { migrate } from "@/lib/db/migrate";
import { parseEnv } from "@/lib/env";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { createDatabaseIfMissing, dropDatabase, startEmbeddedPostgres } from "@/scripts/lib/server/embedded-postgres";
import { withDatabase } from "@/scripts/lib/test-database";

const REPS = Number(process.argv.find((a) => a.startsWith("--reps="))?.slice("--reps=".length) ?? 20);
const WARMUP = 1;
const BATCH = 100_000;
const ORGANIZATIONS = 50;
const ENDPOINTS = 500;
const WAITING = 2_000;
const DATABASE = "hookrelay_bench_overview";
const size = Number(process.argv.slice(2).find((a) => /^\d+$/.test(a)) ?? 800_000);
const reload = process.argv.includes("--reload");
const log = (line: string) => console.log(`[bench] ${line}`);

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

async function measure(run: () => Promise<unknown>): Promise<{ p50: number; p95: number }> {
  for (let i = 0; i < WARMUP; i++) await run();
  const times: number[] = [];
  for (let i = 0; i < REPS; i++) {
    const started = performance.now();
    await run();
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 50), p95: percentile(times, 95) };
}

/** $1 lo, $2 hi, $3 total, $4 now (ISO, UTC), $5 ms between messages. `roll` 0..99 picks a delivery's fate. */
const BATCH_SQL = `
WITH m AS (
  INSERT INTO "Message" (id, "organizationId", "eventType", body, "createdAt")
  SELECT 'msg_bench_' || i, 'bench_ov_' || ((i % ${ENDPOINTS}) % ${ORGANIZATIONS}), 'contract.created', '{}',
         ($4::timestamptz AT TIME ZONE 'UTC') - make_interval(secs => ($3::bigint - i) * $5::float8 / 1000.0)
    FROM generate_series($1::int, $2::int) i
  RETURNING id, "organizationId", "createdAt"
), d AS (
  INSERT INTO "Delivery" (id, "organizationId", "messageId", "endpointId", status, "attemptCount", "nextAttemptAt", "lastAttemptAt", "createdAt", "updatedAt")
  SELECT 'dlv_' || substr(m.id, 5), m."organizationId", m.id, 'ep_bench_' || (substr(m.id, 11)::int % ${ENDPOINTS}),
         f.status::"DeliveryStatus", f.attempts, CASE WHEN f.attempts = 0 THEN m."createdAt" END, NULL, m."createdAt", m."createdAt"
    FROM m
    CROSS JOIN LATERAL (SELECT substr(m.id, 11)::int AS i, abs(hashint4(substr(m.id, 11)::int)) % 100 AS roll) r
    CROSS JOIN LATERAL (SELECT CASE WHEN r.i > $3::int - ${WAITING} THEN 0 WHEN r.roll < 80 THEN 1 WHEN r.roll < 95 THEN 2 ELSE 4 END AS attempts) a
    CROSS JOIN LATERAL (SELECT a.attempts, CASE a.attempts WHEN 0 THEN 'PENDING' WHEN 4 THEN 'FAILED' ELSE 'SUCCEEDED' END AS status) f
  RETURNING id, "messageId", "endpointId", "attemptCount", status, "createdAt"
)
INSERT INTO "Attempt" (id, "deliveryId", "messageId", "endpointId", "attemptNumber", trigger, url, "startedAt", "durationMs", succeeded, "statusCode")
SELECT 'atmpt_' || substr(d.id, 5) || '_' || k, d.id, d."messageId", d."endpointId", k, 'SCHEDULED', 'https://bench.example.test/hooks',
       d."createdAt" + make_interval(secs => (abs(hashtext(d.id)) % 3000) / 1000.0 + (ARRAY[0, 5, 300, 1800])[k]),
       20 + abs(hashtext(d.id)) % 200, ok, CASE WHEN ok THEN 200 ELSE 500 END
  FROM d
  CROSS JOIN LATERAL generate_series(1, d."attemptCount") k
  CROSS JOIN LATERAL (SELECT d.status = 'SUCCEEDED' AND k = d."attemptCount" AS ok) o
`;

async function load(client: pg.Client, now: Date) {
  const started = performance.now();
  await client.query(
    `INSERT INTO "Organization" (id, name, slug, "createdAt", "updatedAt")
     SELECT 'bench_ov_' || k, 'Bench Overview ' || k, 'bench-ov-' || k, now(), now() FROM generate_series(0, $1::int - 1) k`,
    [ORGANIZATIONS],
  );
  await client.query(
    `INSERT INTO "Endpoint" (id, "organizationId", url, "eventTypes", disabled, "updatedAt")
     SELECT 'ep_bench_' || k, 'bench_ov_' || (k % $2::int), 'https://bench-' || k || '.example.test/hooks', '{contract.created}', true, now()
       FROM generate_series(0, $1::int - 1) k`,
    [ENDPOINTS, ORGANIZATIONS],
  );
  const intervalMs = (7 * 86_400_000) / size;
  for (let lo = 1; lo <= size; lo += BATCH) {
    const hi = Math.min(size, lo + BATCH - 1);
    await client.query(BATCH_SQL, [lo, hi, size, now.toISOString(), intervalMs]);
    log(`  ${hi.toLocaleString("en")} / ${size.toLocaleString("en")} deliveries (${Math.round((performance.now() - started) / 1000)} s)`);
  }
  log("  vacuum analyze (visibility map, fresh statistics)");
  await client.query(`VACUUM ANALYZE "Message", "Delivery", "Attempt", "Endpoint"`);
  log(`loaded in ${Math.round((performance.now() - started) / 1000)} s`);
}

async function prepare(adminUrl: string): Promise<{ url: string; loadedAt: Date }> {
  await createDatabaseIfMissing(adminUrl, DATABASE);
  const url = withDatabase(adminUrl, DATABASE);
  await migrate(url);
  const check = new pg.Client({ connectionString: url });
  await check.connect();
  const { rows } = await check.query<{ n: number; newest: Date | null }>(`SELECT count(*)::int AS n, max("createdAt") AS newest FROM "Delivery" WHERE id LIKE 'dlv_bench\\_%'`);
  await check.end();
  if (rows[0]!.n === size && !reload) return { url, loadedAt: rows[0]!.newest! };
  log(`loading ${size.toLocaleString("en")} deliveries into ${DATABASE} ...`);
  await dropDatabase(adminUrl, DATABASE);
  await createDatabaseIfMissing(adminUrl, DATABASE);
  await migrate(url);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const now = new Date();
  try {
    await load(client, now);
  } finally {
    await client.end();
  }
  return { url, loadedAt: now };
}

async function main() {
  const env = parseEnv();
  let adminUrl: string;
  let stop = async () => {};
  if (env.DATABASE_URL) adminUrl = withDatabase(env.DATABASE_URL, "postgres");
  else {
    const cluster = await startEmbeddedPostgres({ dataDir: path.join(env.DATA_DIR, "pg"), port: env.EMBEDDED_PG_PORT, log });
    adminUrl = cluster.adminUrl;
    stop = () => cluster.stop();
  }
  try {
    const { url, loadedAt } = await prepare(adminUrl);
    const captured: { query: string; params: string }[] = [];
    const { PrismaClient } = await import("@/lib/generated/prisma/client");
    const { PrismaPg } = await import("@prisma/adapter-pg");
    const client = new PrismaClient({ adapter: new PrismaPg({ connectionString: url }), log: [{ emit: "event", level: "query" }] });
    client.$on("query", (e) => captured.push({ query: e.query, params: e.params }));
    (globalThis as { prisma?: PrismaClient }).prisma = client as unknown as PrismaClient;
    process.env.DATABASE_URL = url;
    const { readOverview } = await import("@/lib/overview/query");
    const raw = new pg.Client({ connectionString: url });
    await raw.connect();
    const { rows: counts } = await raw.query<{ attempts: number }>(`SELECT count(*)::int AS attempts FROM "Attempt"`);
    // The history ends when it was loaded: read it as of then, so a second run measures the same rows.
    const now = loadedAt;
    log(`${counts[0]!.attempts.toLocaleString("en")} attempts; figures as of ${now.toISOString()}`);

    console.log("\n| scope | range | p50 | p95 | attempts in range | buffers |");
    console.log("| --- | --- | --- | --- | --- | --- |");
    const plans: string[] = [];
    for (const [scopeName, scope] of [["platform", "platform"], ["one organization (of 50)", { organizationId: "bench_ov_7" }]] as const) {
      for (const range of ["hour", "day", "week"] as const) {
        const { p50, p95 } = await measure(() => readOverview(scope, range, now));
        captured.length = 0;
        const out = await readOverview(scope, range, now);
        let buffers = 0;
        plans.push(`\n### ${scopeName}, ${range}\n`);
        for (const statement of captured) {
          const { rows } = await raw.query<{ "QUERY PLAN": string }>(`EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) ${statement.query}`, JSON.parse(statement.params) as unknown[]);
          const plan = rows.map((r) => r["QUERY PLAN"]);
          const top = plan.find((line) => /^\s*Buffers:/.test(line)) ?? "";
          buffers += [...top.matchAll(/(?:hit|read)=(\d+)/g)].reduce((n, m) => n + Number(m[1]), 0);
          plans.push(statement.query.replace(/\s+/g, " ") + "\n" + plan.join("\n") + "\n");
        }
        const attempts = out.totals.succeeded + out.totals.failed;
        console.log(`| ${scopeName} | ${range} | ${p50.toFixed(1)} ms | ${p95.toFixed(1)} ms | ${attempts.toLocaleString("en")} | ${buffers} |`);
      }
    }
    if (process.argv.includes("--explain")) console.log(plans.join("\n"));
    await raw.end();
    await client.$disconnect();
  } finally {
    await stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
