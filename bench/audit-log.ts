/**
 * Server time of the platform audit page (Platform → Audit log) at 1,000,000 audit entries: the
 * functions the page calls (`listPlatformAudit`, `auditOrganizationChoices`), unfiltered, paged
 * from the middle and back, and under each filter, REPS times after a warm-up, p50 / p95; then
 * EXPLAIN (ANALYZE, BUFFERS) of every statement, to check that an index serves each filter.
 *
 *   npm run bench:audit                 1,000,000 entries
 *   npm run bench:audit -- 100000       another size
 *   npm run bench:audit -- --reload     load the entries again even if the size matches
 *
 * The entries are generated with `INSERT … SELECT generate_series` into their own database,
 * `hookrelay_bench_audit` (kept on the embedded cluster of DATA_DIR / EMBEDDED_PG_PORT, or on
 * DATABASE_URL's server, and reloaded only when its size differs): one entry a minute ending now
 * (about two years at 1,000,000) in 200 organizations, from 2,000 actors; 28 actions evenly, plus
 * password changes (1 in 1,000, the platform entries: no organization, as in the product) and
 * organizations disabled (1 in 50,000).
 */
import path from "node:path";
import pg from "pg";
import { migrate } from "@/lib/db/migrate";
import { parseEnv } from "@/lib/env";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { createDatabaseIfMissing, dropDatabase, startEmbeddedPostgres } from "@/scripts/lib/server/embedded-postgres";
import { withDatabase } from "@/scripts/lib/test-database";

const REPS = 30;
const WARMUP = 3;
const BATCH = 100_000;
const ORGANIZATIONS = 200;
const ACTORS = 2_000;
const DATABASE = "hookrelay_bench_audit";
const RARE = "account.password_changed";
const VERY_RARE = "organization.disabled";
const size = Number(process.argv.slice(2).find((a) => /^\d+$/.test(a)) ?? 1_000_000);
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

async function load(client: pg.Client, actions: string[]) {
  const started = performance.now();
  await client.query(
    `INSERT INTO "Organization" (id, name, slug, "createdAt", "updatedAt")
     SELECT 'bench_audit_' || k, 'Bench Audit ' || k, 'bench-audit-' || k, now(), now() FROM generate_series(1, $1::int) k`,
    [ORGANIZATIONS],
  );
  const common = actions.filter((a) => a !== RARE && a !== VERY_RARE);
  for (let lo = 1; lo <= size; lo += BATCH) {
    const hi = Math.min(size, lo + BATCH - 1);
    // Organizations and actors are spread by multiplicative hashes of g, so no filter lines up with another.
    await client.query(
      `INSERT INTO "AuditLog" (id, "organizationId", "actorEmail", action, changes, "createdAt")
       SELECT 'bench_' || g,
              CASE WHEN g % 1000 = 0 AND g % 50000 <> 0 THEN NULL ELSE 'bench_audit_' || (1 + (g::bigint * 7919) % $3::int) END,
              'user' || ((g::bigint * 104729) % $4::int) || '@bench.test',
              CASE WHEN g % 50000 = 0 THEN $6 WHEN g % 1000 = 0 THEN $5 ELSE ($7::text[])[1 + (g::bigint * 31) % cardinality($7::text[])] END,
              jsonb_build_object('url', jsonb_build_object('before', 'https://a.example/' || g, 'after', 'https://b.example/' || g)),
              now() - g * interval '1 minute'
         FROM generate_series($1::int, $2::int) g`,
      [lo, hi, ORGANIZATIONS, ACTORS, RARE, VERY_RARE, common],
    );
    log(`  ${hi.toLocaleString("en")} / ${size.toLocaleString("en")} entries (${Math.round((performance.now() - started) / 1000)} s)`);
  }
  log("  vacuum analyze (visibility map, fresh statistics)");
  await client.query(`VACUUM ANALYZE "Organization", "AuditLog"`);
  log(`loaded in ${Math.round((performance.now() - started) / 1000)} s`);
}

async function prepare(adminUrl: string, actions: string[]): Promise<string> {
  await createDatabaseIfMissing(adminUrl, DATABASE);
  const url = withDatabase(adminUrl, DATABASE);
  await migrate(url);
  const check = new pg.Client({ connectionString: url });
  await check.connect();
  const { rows } = await check.query<{ n: number }>(`SELECT count(*)::int AS n FROM "AuditLog" WHERE id LIKE 'bench\\_%'`);
  await check.end();
  if (rows[0]!.n === size && !reload) return url;
  log(`loading ${size.toLocaleString("en")} audit entries into ${DATABASE} ...`);
  await dropDatabase(adminUrl, DATABASE);
  await createDatabaseIfMissing(adminUrl, DATABASE);
  await migrate(url);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await load(client, actions);
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
    const { AUDIT_ACTIONS } = await import("@/lib/audit/actions");
    const url = await prepare(adminUrl, Object.keys(AUDIT_ACTIONS));
    // A client that reports each statement, so EXPLAIN runs exactly what the page runs.
    const captured: { query: string; params: string }[] = [];
    const { PrismaClient } = await import("@/lib/generated/prisma/client");
    const { PrismaPg } = await import("@prisma/adapter-pg");
    const client = new PrismaClient({ adapter: new PrismaPg({ connectionString: url }), log: [{ emit: "event", level: "query" }] });
    client.$on("query", (e) => captured.push({ query: e.query, params: e.params }));
    (globalThis as { prisma?: PrismaClient }).prisma = client as unknown as PrismaClient;
    process.env.DATABASE_URL = url;

    const { listPlatformAudit, auditOrganizationChoices } = await import("@/lib/audit/platform-log");
    const { auditLogFiltersSchema } = await import("@/lib/validations/audit-log");
    const parse = (query: Record<string, string>) => auditLogFiltersSchema.parse(query);
    const first = await listPlatformAudit(parse({}));
    const raw = new pg.Client({ connectionString: url });
    await raw.connect();
    // A cursor halfway down the history: a keyset position, so depth costs nothing.
    const { rows: half } = await raw.query<{ createdAt: Date; id: string }>(
      `SELECT "createdAt", id FROM "AuditLog" ORDER BY "createdAt" DESC, id DESC OFFSET $1 LIMIT 1`,
      [Math.floor(size / 2)],
    );
    const { encodeCursor } = await import("@/lib/db/keyset");
    const halfway = encodeCursor({ direction: "next", at: half[0]!.createdAt, id: half[0]!.id });
    const fromHalfway = await listPlatformAudit(parse({ cursor: halfway }));
    const org = "bench-audit-17";

    const cases: { name: string; query: Record<string, string> }[] = [
      { name: "first page, no filter", query: {} },
      { name: "next page from the middle of the history", query: { cursor: halfway } },
      { name: "previous page from the middle", query: { cursor: fromHalfway.prevCursor! } },
      { name: "actor (one of 2,000)", query: { actor: "user42@bench.test" } },
      { name: "action (one of 28)", query: { action: "endpoint.updated" } },
      { name: "rare action (1 in 1,000)", query: { action: RARE } },
      { name: "very rare action (1 in 50,000)", query: { action: VERY_RARE } },
      { name: "organization (one of 200)", query: { organization: org } },
      { name: "platform entries only (1 in 1,000)", query: { organization: "platform" } },
      { name: "last 7 days", query: { since: "7d" } },
      { name: "custom range a year ago (one day)", query: { from: new Date(Date.now() - 365 * 86_400_000).toISOString(), to: new Date(Date.now() - 364 * 86_400_000).toISOString() } },
      { name: "action + organization", query: { action: "endpoint.updated", organization: org } },
      { name: "actor + action + 30 days", query: { actor: "user42@bench.test", action: "endpoint.updated", since: "30d" } },
      { name: "very rare action + organization (no match)", query: { action: VERY_RARE, organization: "bench-audit-3" } },
    ];
    log(`first page: ${first.items.length} entries, newest ${first.items[0]?.createdAt.toISOString()}; from the middle: ${fromHalfway.items.length}`);
    console.log("\n| page | p50 | p95 | entries | buffers |");
    console.log("| --- | --- | --- | --- | --- |");
    const plans: string[] = [];
    const row = async (name: string, run: () => Promise<{ items: unknown[] } | unknown[]>) => {
      const { p50, p95 } = await measure(run);
      captured.length = 0;
      const out = await run();
      let buffers = 0;
      plans.push(`\n### ${name}\n`);
      for (const statement of captured) {
        const { rows } = await raw.query<{ "QUERY PLAN": string }>(`EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) ${statement.query}`, JSON.parse(statement.params) as unknown[]);
        const plan = rows.map((r) => r["QUERY PLAN"]);
        const top = plan.find((line) => /^\s*Buffers:/.test(line)) ?? "";
        buffers += [...top.matchAll(/(?:hit|read)=(\d+)/g)].reduce((n, m) => n + Number(m[1]), 0);
        plans.push(statement.query.replace(/\s+/g, " ") + "\n" + plan.join("\n") + "\n");
      }
      const count = Array.isArray(out) ? out.length : out.items.length;
      console.log(`| ${name} | ${p50.toFixed(1)} ms | ${p95.toFixed(1)} ms | ${count} | ${buffers} |`);
    };
    for (const c of cases) await row(c.name, () => listPlatformAudit(parse(c.query)));
    await row("organization choices (the filter's list)", () => auditOrganizationChoices());
    console.log(plans.join("\n"));
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
