/**
 * Server time of the staff organizations list (Platform → Organizations, `listOrganizationsForStaff`)
 * when one organization holds a large history: its message count is capped at MESSAGE_COUNT_CAP, so
 * the page costs the same at 1,000,000 messages as at 20,000. Beside it, for contrast, the same
 * list with an uncapped `count(*)` per organization.
 *
 *   npm run bench:organizations                 1,000,000 messages in one organization, 20 small ones
 *   npm run bench:organizations -- 100000       another size
 *
 * Only the rows the list reads are loaded: organizations, endpoints and messages (no deliveries or
 * attempts; the full load of `npm run seed:load` takes 10 to 40 minutes at 1,000,000), followed by
 * VACUUM ANALYZE as autovacuum would do. The database `hookrelay_bench_orgs` is kept on the
 * embedded cluster (DATA_DIR, EMBEDDED_PG_PORT) or on DATABASE_URL's server and reloaded only
 * when its size differs, so a second run measures at once.
 */
import path from "node:path";
import pg from "pg";
import { migrate } from "@/lib/db/migrate";
import { parseEnv } from "@/lib/env";
import { createDatabaseIfMissing, dropDatabase, startEmbeddedPostgres } from "@/scripts/lib/server/embedded-postgres";
import { withDatabase } from "@/scripts/lib/test-database";

const REPS = 30;
const WARMUP = 3;
const SMALL_ORGS = 20;
const BIG = "bench-big";
const BATCH = 100_000;
const DATABASE = "hookrelay_bench_orgs";
const size = Number(process.argv.slice(2).find((a) => /^\d+$/.test(a)) ?? 1_000_000);
const log = (line: string) => console.log(`[bench] ${line}`);

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

async function measure(run: () => Promise<unknown>, reps = REPS): Promise<{ p50: number; p95: number }> {
  for (let i = 0; i < WARMUP; i++) await run();
  const times: number[] = [];
  for (let i = 0; i < reps; i++) {
    const started = performance.now();
    await run();
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 50), p95: percentile(times, 95) };
}

async function load(client: pg.Client) {
  const started = performance.now();
  const org = (slug: string, name: string, at: string) =>
    client.query<{ id: string }>(
      `INSERT INTO "Organization" (id, name, slug, "createdAt", "updatedAt") VALUES ('org_' || replace(gen_random_uuid()::text, '-', ''), $1, $2, $3, $3) RETURNING id`,
      [name, slug, at],
    );
  // The big organization is the oldest, the small ones newer: all on the first page of 50.
  const big = (await org(BIG, "Bench Big", "2026-01-01T00:00:00Z")).rows[0]!.id;
  for (let k = 0; k < 3; k++) {
    await client.query(`INSERT INTO "Endpoint" (id, "organizationId", url, "eventTypes", disabled, "createdAt", "updatedAt") VALUES ($1, $2, $3, '{}', true, now(), now())`, [
      `ep_bench_${k}`,
      big,
      `http://127.0.0.1:9/bench/${k}`,
    ]);
  }
  for (let lo = 1; lo <= size; lo += BATCH) {
    const hi = Math.min(size, lo + BATCH - 1);
    await client.query(
      `INSERT INTO "Message" (id, "organizationId", "eventType", body, "createdAt")
       SELECT 'msg_bench_' || g, $1, 'contract.created', '{"n":' || g || '}', now() - g * interval '1 minute' FROM generate_series($2::int, $3::int) g`,
      [big, lo, hi],
    );
    log(`  ${hi.toLocaleString("en")} / ${size.toLocaleString("en")} messages (${Math.round((performance.now() - started) / 1000)} s)`);
  }
  for (let k = 0; k < SMALL_ORGS; k++) {
    const id = (await org(`bench-small-${k}`, `Bench Small ${k}`, `2026-02-${String(k + 1).padStart(2, "0")}T00:00:00Z`)).rows[0]!.id;
    await client.query(
      `INSERT INTO "Message" (id, "organizationId", "eventType", body, "createdAt")
       SELECT 'msg_small_' || $2::int || '_' || g, $1, 'contract.created', '{}', now() - g * interval '1 minute' FROM generate_series(1, $2::int * 10) g`,
      [id, k],
    );
  }
  log("  vacuum analyze (visibility map for index-only scans, fresh statistics)");
  await client.query(`VACUUM ANALYZE "Organization", "Endpoint", "Message"`);
  log(`loaded in ${Math.round((performance.now() - started) / 1000)} s`);
}

async function prepare(adminUrl: string): Promise<string> {
  await createDatabaseIfMissing(adminUrl, DATABASE);
  const url = withDatabase(adminUrl, DATABASE);
  await migrate(url);
  const check = new pg.Client({ connectionString: url });
  await check.connect();
  const { rows } = await check.query<{ n: number }>(`SELECT count(*)::int AS n FROM "Message" m JOIN "Organization" o ON o.id = m."organizationId" WHERE o.slug = $1`, [BIG]);
  await check.end();
  if (rows[0]!.n === size) return url;
  log(`loading ${size.toLocaleString("en")} messages into ${DATABASE} ...`);
  await dropDatabase(adminUrl, DATABASE);
  await createDatabaseIfMissing(adminUrl, DATABASE);
  await migrate(url);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await load(client);
  } finally {
    await client.end();
  }
  return url;
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
    const url = await prepare(adminUrl);
    // The app's `db` is created on first use from DATABASE_URL.
    process.env.DATABASE_URL = url;
    const { listOrganizationsForStaff, MESSAGE_COUNT_CAP } = await import("@/lib/organizations/organizations");
    const { db } = await import("@/lib/db");
    const first = await listOrganizationsForStaff();
    const big = first.items.find((o) => o.slug === BIG);
    if (!big) throw new Error(`${BIG} is not on the first page`);
    log(`first page: ${first.items.length} organizations; ${BIG}: ${big.endpoints} endpoints, ${big.messages.toLocaleString("en")}${big.messagesCapped ? "+" : ""} messages (cap ${MESSAGE_COUNT_CAP.toLocaleString("en")})`);

    const capped = await measure(() => listOrganizationsForStaff());
    log(`list, counts capped at ${MESSAGE_COUNT_CAP.toLocaleString("en")}: p50 ${capped.p50.toFixed(1)} ms, p95 ${capped.p95.toFixed(1)} ms (${REPS} runs)`);
    const plain = await measure(
      () =>
        db.$queryRaw`
          SELECT o.id, (SELECT count(*)::int FROM "Endpoint" e WHERE e."organizationId" = o.id AND e."deletedAt" IS NULL) AS endpoints,
                 (SELECT count(*)::int FROM "Message" m WHERE m."organizationId" = o.id) AS messages
            FROM "Organization" o ORDER BY o."createdAt" DESC, o.id DESC LIMIT 51`,
      10,
    );
    log(`contrast, the same list with a plain count(*) per organization: p50 ${plain.p50.toFixed(1)} ms, p95 ${plain.p95.toFixed(1)} ms (10 runs)`);
    await db.$disconnect();
  } finally {
    await stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
