/**
 * Server time of the message logs' queries at two sizes of history (default 10,000 and 1,000,000
 * messages), each in its own database loaded by the seed:load generator: the functions the pages
 * call, run REPS times each after a warm-up, p50 / p95, and the ratio large / small per query.
 * Targets (issue 9): p95 < 300 ms at 1,000,000 and ratio < 1.5.
 *
 *   npm run bench:message-logs                       10,000 and 1,000,000 messages
 *   npm run bench:message-logs -- 2000 50000         other sizes
 *   npm run bench:message-logs -- --explain          also count the buffers each query touches at each size and print
 *                                                    EXPLAIN (ANALYZE, BUFFERS) of every statement at the largest size
 *
 * Databases `hookrelay_bench_<n>` are kept on the embedded cluster (DATA_DIR, EMBEDDED_PG_PORT) or
 * on DATABASE_URL's server, and reloaded only when their message count differs, so a second run
 * measures at once.
 */
import path from "node:path";
import pg from "pg";
import { createPrismaClient } from "@/lib/db";
import { migrate } from "@/lib/db/migrate";
import { endpointHealth } from "@/lib/endpoints/health";
import { listAttemptedMessages } from "@/lib/endpoints/attempted-messages";
import { listEndpoints } from "@/lib/endpoints/endpoints";
import { parseEnv } from "@/lib/env";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { getMessageDetail } from "@/lib/messages/detail";
import { countSelection } from "@/lib/recovery/selection";
import { previewBulkResend } from "@/lib/recovery/tasks";
import { listMessages } from "@/lib/messages/list";
import { attemptedMessagesFiltersSchema, messageLogFiltersSchema } from "@/lib/validations/message-logs";
import { createDatabaseIfMissing, dropDatabase, startEmbeddedPostgres } from "@/scripts/lib/server/embedded-postgres";
import { seedLoad } from "@/scripts/lib/seed-load";
import { withDatabase } from "@/scripts/lib/test-database";
import { generateApiKey } from "@/lib/api-keys/key";
import { apiKeyCache } from "@/lib/api-keys/cache";
import { organizationCache } from "@/lib/organizations/cache";
import { handleOperation } from "@/lib/api/v1/handle";
import { operations } from "@/lib/api/v1/registry";
import { encodeCursor } from "@/lib/db/keyset";

const REPS = 30;
const WARMUP = 3;
const ORG = "bench";
const args = process.argv.slice(2);
const explain = args.includes("--explain");
const sizes = args.filter((a) => /^\d+$/.test(a)).map(Number);
if (sizes.length === 0) sizes.push(10_000, 1_000_000);
const log = (line: string) => console.log(`[bench] ${line}`);

interface Case {
  name: string;
  run: () => Promise<unknown>;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/**
 * The app's `db` reads globalThis.prisma and its raw pool DATABASE_URL: point both at the database
 * being measured, with the API's per-process caches emptied (the slug is the same in every size).
 */
async function pointAppAt(client: PrismaClient, url: string) {
  (globalThis as { prisma?: PrismaClient }).prisma = client;
  const pools = globalThis as { sqlPool?: pg.Pool };
  await pools.sqlPool?.end();
  pools.sqlPool = undefined;
  process.env.DATABASE_URL = url;
  await Promise.all([apiKeyCache.close(), organizationCache.close()]);
}

/**
 * One API call through the whole pipeline (key, per-key limit, validation, handler, answer), as
 * the route file runs it, minus HTTP: the answer must be 200.
 */
function apiCall(key: string, method: "GET", template: string, path: string, params: Record<string, string>) {
  const op = operations.find((o) => o.path === template && o.method === method);
  if (!op) throw new Error(`no operation ${method} ${template}`);
  return async () => {
    const response = await handleOperation(op, new Request(`http://127.0.0.1${path}`, { method, headers: { authorization: `Bearer ${key}` } }), params);
    if (response.status !== 200) throw new Error(`${method} ${path} answered ${response.status}: ${await response.text()}`);
    return response.json();
  };
}

async function prepare(adminUrl: string, size: number): Promise<string> {
  const name = `hookrelay_bench_${size}`;
  await createDatabaseIfMissing(adminUrl, name);
  let url = withDatabase(adminUrl, name);
  await migrate(url);
  const check = new pg.Client({ connectionString: url });
  await check.connect();
  const { rows } = await check.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM "Message" m JOIN "Organization" o ON o.id = m."organizationId" WHERE o.slug = $1`,
    [ORG],
  );
  await check.end();
  if (rows[0]!.n !== size) {
    log(`loading ${size.toLocaleString("en")} messages into ${name} ...`);
    await dropDatabase(adminUrl, name);
    await createDatabaseIfMissing(adminUrl, name);
    url = withDatabase(adminUrl, name);
    await migrate(url);
    const loaded = await seedLoad(url, { messages: size, orgSlug: ORG, log: (l) => log(`  ${l}`) });
    log(`loaded in ${loaded.seconds} s`);
  }
  return url;
}

async function cases(client: PrismaClient, size: number): Promise<Case[]> {
  const org = await client.organization.findUniqueOrThrow({ where: { slug: ORG } });
  const endpoints = await client.endpoint.findMany({ where: { organizationId: org.id }, orderBy: { createdAt: "asc" } });
  const healthy = endpoints.find((e) => e.description !== "billing-failing")!;
  // A message from the middle of the history whose deliveries include a failed one (8 attempts).
  const failedDelivery = await client.delivery.findFirstOrThrow({
    where: { organizationId: org.id, status: "FAILED", createdAt: { lt: new Date(Date.now() - (size / 2) * 60_000) } },
    orderBy: [{ createdAt: "desc" }],
    select: { messageId: true },
  });
  const filters = (input: Record<string, unknown>) => messageLogFiltersSchema.parse(input);
  const firstPage = filters({});
  const filtered = filters({ eventType: healthy.eventTypes[0], status: "failed", since: "7d" });
  const containment = filters({ contains: JSON.stringify({ contract: { id: `ctr_${Math.floor(size / 2)}` } }) });
  const tab = attemptedMessagesFiltersSchema.parse({});
  // Recovery previews (issue 11): the count the confirmation dialog shows, by the query the task runs.
  // The load's endpoints are disabled (so that nothing could ever send them) and a bulk resend
  // skips disabled endpoints: enabled while measuring (nothing runs deliveries here), disabled again after.
  await client.endpoint.updateMany({ where: { organizationId: org.id }, data: { disabled: false } });
  const failing = endpoints.find((e) => e.description === "billing-failing")!;
  const now = Date.now();
  const window = (days: number) => ({ since: new Date(now - days * 86_400_000), until: new Date(now) });
  const allFailed = filters({ status: "failed" });
  // The API's lists (issue 12), with a platform key (no limit reached: the key is fresh and calls are sequential).
  const { key, prefix, hash } = generateApiKey("PLATFORM");
  await client.apiKey.create({ data: { name: "bench", scope: "PLATFORM", prefix, hash } });
  const middle = await client.message.findFirstOrThrow({
    where: { organizationId: org.id, createdAt: { lt: new Date(Date.now() - (size / 2) * 60_000) } },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    select: { id: true, createdAt: true },
  });
  const middleAttempt = await client.attempt.findFirstOrThrow({
    where: { endpointId: healthy.id, startedAt: { lt: middle.createdAt } },
    orderBy: [{ startedAt: "desc" }, { id: "desc" }],
    select: { id: true, startedAt: true },
  });
  const deepMessages = encodeCursor({ at: middle.createdAt, id: middle.id, direction: "next" });
  const deepAttempts = encodeCursor({ at: middleAttempt.startedAt, id: middleAttempt.id, direction: "next" });
  const app = `/api/v1/app/${ORG}`;
  const ep = { app_id: ORG, endpoint_id: healthy.id };
  const api = [
    { name: "API: list messages, first page", run: apiCall(key, "GET", "/api/v1/app/{app_id}/msg", `${app}/msg?limit=50`, { app_id: ORG }) },
    { name: "API: list messages, page from the middle", run: apiCall(key, "GET", "/api/v1/app/{app_id}/msg", `${app}/msg?limit=50&iterator=${deepMessages}`, { app_id: ORG }) },
    { name: "API: attempts by endpoint, first page", run: apiCall(key, "GET", "/api/v1/app/{app_id}/attempt/endpoint/{endpoint_id}", `${app}/attempt/endpoint/${healthy.id}?limit=50`, ep) },
    { name: "API: attempts by endpoint, page from the middle", run: apiCall(key, "GET", "/api/v1/app/{app_id}/attempt/endpoint/{endpoint_id}", `${app}/attempt/endpoint/${healthy.id}?limit=50&iterator=${deepAttempts}`, ep) },
    // Svix's iterators (issue 22): an item's id, placed in its list by a primary-key lookup.
    { name: "API: list messages, from a message id in the middle", run: apiCall(key, "GET", "/api/v1/app/{app_id}/msg", `${app}/msg?limit=50&iterator=${middle.id}`, { app_id: ORG }) },
    { name: "API: list messages, newer than a message id in the middle", run: apiCall(key, "GET", "/api/v1/app/{app_id}/msg", `${app}/msg?limit=50&iterator=-${middle.id}`, { app_id: ORG }) },
    { name: "API: attempts by endpoint, from an attempt id in the middle", run: apiCall(key, "GET", "/api/v1/app/{app_id}/attempt/endpoint/{endpoint_id}", `${app}/attempt/endpoint/${healthy.id}?limit=50&iterator=${middleAttempt.id}`, ep) },
    { name: "API: attempts of a message", run: apiCall(key, "GET", "/api/v1/app/{app_id}/attempt/msg/{msg_id}", `${app}/attempt/msg/${failedDelivery.messageId}`, { app_id: ORG, msg_id: failedDelivery.messageId }) },
    { name: "API: endpoint's attempted messages", run: apiCall(key, "GET", "/api/v1/app/{app_id}/endpoint/{endpoint_id}/msg", `${app}/endpoint/${healthy.id}/msg?limit=50`, ep) },
    { name: "API: endpoint stats, all history", run: apiCall(key, "GET", "/api/v1/app/{app_id}/endpoint/{endpoint_id}/stats", `${app}/endpoint/${healthy.id}/stats`, ep) },
  ];
  return [
    ...api,
    { name: "recovery preview: resend failed, 14 d", run: () => countSelection(org.id, { kind: "RESEND_FAILED", endpointId: failing.id, ...window(14) }) },
    { name: "recovery preview: replay missing, 14 d", run: () => countSelection(org.id, { kind: "REPLAY_MISSING", endpointId: healthy.id, eventTypes: healthy.eventTypes, ...window(14) }) },
    { name: "bulk resend preview: failed, 7 d, all endpoints", run: () => previewBulkResend(org, filters({ status: "failed", since: "7d" })) },
    { name: "bulk resend preview: failed, all history", run: () => previewBulkResend(org, allFailed) },
    { name: "message logs, first page", run: () => listMessages(org.id, firstPage) },
    { name: "filtered page (type + failed + 7 d)", run: () => listMessages(org.id, filtered) },
    { name: "payload containment search", run: () => listMessages(org.id, containment) },
    { name: "attempted messages tab", run: () => listAttemptedMessages(org.id, healthy.id, tab) },
    { name: "message detail", run: () => getMessageDetail(org.id, failedDelivery.messageId) },
    {
      name: "endpoints list with health",
      run: async () => {
        const list = await listEndpoints(org.id);
        return endpointHealth(org.id, list.map((e) => e.id));
      },
    },
  ];
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

/** Buffers a case's statements touched (top plan node, shared hit + read): a cost that machine load does not blur. */
async function explainAll(url: string, list: Case[], print: boolean): Promise<Map<string, number>> {
  const buffers = new Map<string, number>();
  const captured: { query: string; params: string }[] = [];
  const client = new (await import("@/lib/generated/prisma/client")).PrismaClient({
    adapter: new (await import("@prisma/adapter-pg")).PrismaPg({ connectionString: url }),
    log: [{ emit: "event", level: "query" }],
  });
  client.$on("query", (e) => captured.push({ query: e.query, params: e.params }));
  await pointAppAt(client, url);
  const raw = new pg.Client({ connectionString: url });
  await raw.connect();
  for (const c of list) {
    captured.length = 0;
    await c.run();
    if (print) console.log(`\n### ${c.name}\n`);
    let total = 0;
    for (const statement of captured) {
      const params = JSON.parse(statement.params) as unknown[];
      const { rows } = await raw.query<{ "QUERY PLAN": string }>(`EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) ${statement.query}`, params);
      const plan = rows.map((r) => r["QUERY PLAN"]);
      const top = plan.find((line) => /^\s*Buffers:/.test(line)) ?? "";
      total += [...top.matchAll(/(?:hit|read)=(\d+)/g)].reduce((n, m) => n + Number(m[1]), 0);
      if (print) console.log(statement.query.replace(/\s+/g, " ").slice(0, 400) + "\n" + plan.join("\n") + "\n");
    }
    buffers.set(c.name, total);
  }
  await raw.end();
  await client.$disconnect();
  return buffers;
}

/**
 * What the payload index costs ingestion: the same single-row INSERTs (the API's shape: one
 * message per call, its real body) into two copies of the Message table, with and without the
 * GIN index, alternating so both see the same machine.
 */
async function ingestionCost(url: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const ROWS = 3_000;
  try {
    const { rows: bodies } = await client.query<{ body: string; eventType: string; organizationId: string }>(
      `SELECT body, "eventType", "organizationId" FROM "Message" ORDER BY "createdAt" DESC LIMIT ${ROWS}`,
    );
    await client.query(`DROP TABLE IF EXISTS bench_ingest_gin, bench_ingest_plain`);
    await client.query(`CREATE TABLE bench_ingest_gin (LIKE "Message" INCLUDING ALL)`);
    await client.query(`CREATE TABLE bench_ingest_plain (LIKE "Message" INCLUDING ALL)`);
    const gin = await client.query<{ indexname: string }>(`SELECT indexname FROM pg_indexes WHERE tablename = 'bench_ingest_plain' AND indexdef LIKE '%gin%'`);
    for (const { indexname } of gin.rows) await client.query(`DROP INDEX "${indexname}"`);
    const elapsed = { bench_ingest_gin: 0, bench_ingest_plain: 0 };
    for (const [i, row] of bodies.entries()) {
      for (const table of ["bench_ingest_gin", "bench_ingest_plain"] as const) {
        const started = performance.now();
        await client.query(`INSERT INTO ${table} (id, "organizationId", "eventType", body, "createdAt") VALUES ($1, $2, $3, $4, now())`, [`msg_${table}_${i}`, row.organizationId, row.eventType, row.body]);
        elapsed[table] += performance.now() - started;
      }
    }
    const perRow = (table: keyof typeof elapsed) => (elapsed[table] / bodies.length) * 1000;
    log(`ingestion: ${bodies.length} single-row INSERTs, mean ${perRow("bench_ingest_plain").toFixed(0)} µs without the payload index, ${perRow("bench_ingest_gin").toFixed(0)} µs with it (+${(perRow("bench_ingest_gin") - perRow("bench_ingest_plain")).toFixed(0)} µs)`);
    const size = await client.query<{ gin: string; heap: string }>(
      `SELECT pg_size_pretty(pg_relation_size('"Message_payload_idx"')) AS gin, pg_size_pretty(pg_relation_size('"Message"')) AS heap`,
    );
    log(`payload index ${size.rows[0]!.gin} beside a Message heap of ${size.rows[0]!.heap}`);
  } finally {
    await client.query(`DROP TABLE IF EXISTS bench_ingest_gin, bench_ingest_plain`);
    await client.end();
  }
}

async function main() {
  const env = parseEnv();
  let adminUrl: string;
  let stop = async () => {};
  if (env.DATABASE_URL) {
    adminUrl = withDatabase(env.DATABASE_URL, "postgres");
  } else {
    const cluster = await startEmbeddedPostgres({ dataDir: path.join(env.DATA_DIR, "pg"), port: env.EMBEDDED_PG_PORT, log });
    adminUrl = cluster.adminUrl;
    stop = () => cluster.stop();
  }
  try {
    const results = new Map<string, Map<number, { p50: number; p95: number }>>();
    const buffers = new Map<number, Map<string, number>>();
    let lastUrl = "";
    for (const size of sizes) {
      const url = await prepare(adminUrl, size);
      const client = createPrismaClient(url);
      await pointAppAt(client, url);
      const list = await cases(client, size);
      for (const c of list) {
        const timing = await measure(c.run);
        if (!results.has(c.name)) results.set(c.name, new Map());
        results.get(c.name)!.set(size, timing);
        log(`${size.toLocaleString("en")} messages | ${c.name}: p50 ${timing.p50.toFixed(1)} ms, p95 ${timing.p95.toFixed(1)} ms`);
      }
      if (explain) buffers.set(size, await explainAll(url, list, size === sizes[sizes.length - 1]));
      await client.endpoint.updateMany({ where: { organization: { slug: ORG } }, data: { disabled: true } });
      await client.$disconnect();
      lastUrl = url;
    }
    const [small, large] = [sizes[0]!, sizes[sizes.length - 1]!];
    const n = (size: number) => size.toLocaleString("en");
    const extra = explain ? ` buffers ${n(small)} | buffers ${n(large)} |` : "";
    console.log(`\n| query | p50 ${n(small)} | p95 ${n(small)} | p50 ${n(large)} | p95 ${n(large)} | p50 ratio | p95 ratio |${extra}`);
    console.log(`| --- | --- | --- | --- | --- | --- | --- |${explain ? " --- | --- |" : ""}`);
    for (const [name, bySize] of results) {
      const a = bySize.get(small)!;
      const b = bySize.get(large)!;
      const touched = explain ? ` ${buffers.get(small)?.get(name)} | ${buffers.get(large)?.get(name)} |` : "";
      console.log(`| ${name} | ${a.p50.toFixed(1)} ms | ${a.p95.toFixed(1)} ms | ${b.p50.toFixed(1)} ms | ${b.p95.toFixed(1)} ms | ${(b.p50 / a.p50).toFixed(2)} | ${(b.p95 / a.p95).toFixed(2)} |${touched}`);
    }
    await ingestionCost(lastUrl);
  } finally {
    await stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
