/**
 * Server time of the overview's figures (lib/overview/query.ts) at about 1,000,000 attempts: the
 * platform overview and one organization's, over the last hour, day and week, REPS times each
 * after a warm-up, p50 / p95, and the buffers each read touches.
 *
 *   npx tsx bench/overview.ts                 350,000 messages (about 1,000,000 attempts) over 7 days
 *   npx tsx bench/overview.ts -- 100000       another number of messages
 *   npx tsx bench/overview.ts -- --reload     load the history again even if the size matches
 *   npx tsx bench/overview.ts -- --reps=5     fewer runs per row (the week's platform read takes seconds)
 *   npx tsx bench/overview.ts -- --explain    also print EXPLAIN (ANALYZE, BUFFERS) of every statement
 *
 * The history is generated in bulk (`INSERT … SELECT generate_series`) by the delivery store's
 * synthetic-history statement, the one `npm run seed:load` uses, into its own database,
 * `hookrelay_bench_overview` (on the embedded cluster of DATA_DIR / EMBEDDED_PG_PORT, or on
 * DATABASE_URL's server; reloaded only when its size differs): 50 organizations of 10 endpoints
 * each, N / 50 messages each spread over the 7 days ending now, each to the endpoints subscribed
 * to its type, with seed:load's mix (~93 % delivered at once, retries on the default schedule, one
 * endpoint per organization failing every attempt, pending and in-flight deliveries in the last
 * two hours).
 */
import path from "node:path";
import pg from "pg";
import { migrate } from "@/lib/db/migrate";
import { parseEnv } from "@/lib/env";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { SEED_CATALOG } from "@/lib/catalog/seed-catalog";
import { DEFAULT_RETRY_SCHEDULE } from "@/lib/delivery/schedule";
import { insertSyntheticHistory } from "@/lib/delivery/store/synthetic-history";
import { ids } from "@/lib/ids";
import { createDatabaseIfMissing, dropDatabase, startEmbeddedPostgres } from "@/scripts/lib/server/embedded-postgres";
import { withDatabase } from "@/scripts/lib/test-database";

const REPS = Number(process.argv.find((a) => a.startsWith("--reps="))?.slice("--reps=".length) ?? 20);
const WARMUP = 1;
const ORGANIZATIONS = 50;
const ENDPOINTS_PER_ORGANIZATION = 10;
const DATABASE = "hookrelay_bench_overview";
const size = Number(process.argv.slice(2).find((a) => /^\d+$/.test(a)) ?? 350_000);
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

const OFFSETS_MS = DEFAULT_RETRY_SCHEDULE.reduce<number[]>((acc, wait, i) => [...acc, (acc[i - 1] ?? 0) + wait], []);

/** As `npm run seed:load`: endpoint k subscribes to three of the 15 types; the last one always fails. */
const subscriptions = (k: number, types: string[]) => [types[k]!, types[(k + 1) % 13]!, types[(k + 4) % 13]!];

async function load(client: pg.Client, now: Date) {
  const started = performance.now();
  const types = SEED_CATALOG.map((t) => t.name);
  const perOrganization = Math.ceil(size / ORGANIZATIONS);
  const intervalMs = Math.floor((7 * 86_400_000) / perOrganization);
  for (let o = 0; o < ORGANIZATIONS; o++) {
    const organizationId = `bench_ov_${o}`;
    await client.query(`INSERT INTO "Organization" (id, name, slug, "createdAt", "updatedAt") VALUES ($1, $2, $3, now(), now())`, [organizationId, `Bench Overview ${o}`, `bench-ov-${o}`]);
    for (let k = 0; k < ENDPOINTS_PER_ORGANIZATION; k++) {
      await client.query(
        `INSERT INTO "Endpoint" (id, "organizationId", url, description, "eventTypes", disabled, "updatedAt") VALUES ($1, $2, $3, $4, $5, true, now())`,
        [ids.endpoint.generate(), organizationId, `http://127.0.0.1:9/bench/${o}/${k}`, k === ENDPOINTS_PER_ORGANIZATION - 1 ? "billing-failing" : `bench endpoint ${k}`, subscriptions(k, types)],
      );
    }
    // The store's own generator of synthetic history (lib/delivery/store/synthetic-history.ts).
    await insertSyntheticHistory(client, { organizationId, lo: 0, hi: perOrganization - 1, total: perOrganization, now, intervalMs, types, offsetsMs: OFFSETS_MS });
    if (o % 10 === 9) log(`  ${o + 1} / ${ORGANIZATIONS} organizations (${Math.round((performance.now() - started) / 1000)} s)`);
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
  const { rows } = await check.query<{ n: number; newest: Date | null }>(`SELECT count(*)::int AS n, max("createdAt") AS newest FROM "Message"`);
  await check.end();
  if (rows[0]!.n === Math.ceil(size / ORGANIZATIONS) * ORGANIZATIONS && !reload) return { url, loadedAt: rows[0]!.newest! };
  log(`loading ${size.toLocaleString("en")} messages into ${DATABASE} ...`);
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
