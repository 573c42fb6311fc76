/**
 * End-to-end delivery throughput and latency: API call → message stored → Inngest run (embedded
 * executor) → signed POST → receiver, on the real app (`scripts/start.ts`, production build), a
 * throwaway PostgreSQL and a keep-alive receiver on 127.0.0.1. Printed beside a plain undici POST
 * loop to the same receiver in the same run: the ratio is the figure we track.
 *
 *   npm run bench:delivery                       10,000×1, 1,000×10, 100 and 500 msg/s for 20 s each,
 *                                                then a recovery of 10,000 failed deliveries
 *   npm run bench:delivery -- 2000 200 10 2000   smaller: messages×1, messages×10, steady seconds, recovered
 *   npm run bench:delivery -- --executors=1,2,4  the executor-processes row with these counts (default 1,2,3)
 *   npm run bench:delivery -- 200 --only-executors   only that row (messages×10 with the second number, 1,000 by default)
 *   npm run bench:delivery -- --metrics[=5000]    with METRICS_TOKEN set and GET /metrics scraped every 5,000 ms
 *                                                (Prometheus's default is 15 s) for the whole run
 *
 * Also printed: API ingest against a trivial route of the same app (`GET /api/v1/health`, 32
 * clients, same run), the CPU each product process spent per scenario, and the peak resident
 * memory of all product processes during the 10,000-message burst.
 *
 * The executor-processes row runs the messages×10 burst again on a fresh start of the app per count
 * (`EXECUTOR_PROCESSES`: the start script's own executor plus workers).
 *
 * Every loop is bounded in count and time, and everything stops by itself. No process is left
 *  behind on any exit path (bench/lib/app.ts, bench/lib/run.ts): a normal end, an error, Ctrl-C or SIGTERM.
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { Agent, request } from "undici";
import { SEED_CATALOG } from "@/lib/catalog/seed-catalog";
import { seedCatalog } from "@/lib/catalog/event-types";
import { db } from "@/lib/db";
import { buildIfNeeded } from "@/scripts/lib/build";
import { createTestDatabase, freePort } from "@/scripts/lib/test-database";
import { startReceiver, type Receiver, type ReceiverMode } from "@/tests/helpers/receiver";
import { parseExecutorConfig } from "@/inngest/executor/config";
import { startApp, type BenchApp } from "./lib/app";
import { benchOrganization } from "./lib/organization";
import { runBench } from "./lib/run";
import { cpuByKind, cpuDelta, watchPeakRss } from "./lib/processes";

const args = process.argv.slice(2);
const numbers = args.filter((a) => !a.startsWith("--"));
const [singleCount, fanoutCount, steadySeconds, recoveredCount] = [10_000, 1_000, 20, 10_000].map((d, i) => Math.min(Number(numbers[i] ?? d), [50_000, 5_000, 60, 50_000][i]!));
const onlyExecutors = args.includes("--only-executors");
const executorCounts = (args.find((a) => a.startsWith("--executors="))?.slice("--executors=".length) ?? "1,2,3").split(",").map(Number);
if (!executorCounts.every((n) => Number.isInteger(n) && n >= 1 && n <= 8)) throw new Error("--executors= takes counts from 1 to 8, e.g. --executors=1,2,3");
const metricsArg = args.find((a) => a === "--metrics" || a.startsWith("--metrics="));
const scrapeEveryMs = metricsArg ? Number(metricsArg.split("=")[1] ?? 5000) : null;
if (scrapeEveryMs !== null && !(Number.isInteger(scrapeEveryMs) && scrapeEveryMs >= 100 && scrapeEveryMs <= 60_000)) throw new Error("--metrics= takes a scrape interval from 100 to 60000 ms, e.g. --metrics=5000");
const CLIENTS = 32;
const DEADLINE_MS = 10 * 60_000;
const root = path.resolve(import.meta.dirname, "..");
const payload = SEED_CATALOG.find((t) => t.name === "contract.created")!.examples[0]!.payload;
const log = (line: string) => console.log(`[bench] ${line}`);

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function waitUntil(what: string, check: () => boolean, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function waitUntilAsync(what: string, check: () => Promise<boolean>, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** What the bench started. */
const started: { apps: Set<BenchApp>; receivers: Receiver[]; agent?: Agent; database?: Awaited<ReturnType<typeof createTestDatabase>>; dataDir?: string } = { apps: new Set(), receivers: [] };

/** Stops what the bench started (bench/lib/run.ts calls it once, on every exit path). */
async function cleanup(): Promise<void> {
  for (const app of started.apps) {
    const left = await app.stop();
    if (left.length > 0) log(`still running after the app stopped, killed: ${left.join(", ")}`);
  }
  started.apps.clear();
  await started.agent?.close();
  await Promise.all(started.receivers.map((r) => r.close()));
  await db.$disconnect();
  // Its PostgreSQL runs in a process group of its own: Ctrl-C does not reach it.
  await started.database?.cleanup();
  if (started.dataDir) rmSync(started.dataDir, { recursive: true, force: true });
}

async function main() {
  process.env.APP_ENCRYPTION_KEY = randomBytes(32).toString("base64");
  process.env.NEXT_DIST_DIR = ".next-test";
  const database = await createTestDatabase("bench");
  started.database = database;
  process.env.DATABASE_URL = database.url;
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "hookrelay-bench-"));
  started.dataDir = dataDir;
  const receivers = started.receivers;
  buildIfNeeded(root, log);
  // Two attempts a second apart: the recovery row needs deliveries that have failed for good, soon.
  // Every other row's deliveries succeed at their first attempt and never consult the schedule.
  // The per-key API limit's statement runs on every call (measured); the limit itself is never reached.
  const metricsToken = randomBytes(24).toString("hex");
  const appEnv = {
    ...process.env,
    DATA_DIR: dataDir,
    SEED_DEMO: "0",
    AUTH_SECRET: randomBytes(32).toString("hex"),
    NODE_ENV: "production",
    WEBHOOK_RETRY_SCHEDULE: "1s",
    API_RATE_LIMIT_PER_SECOND: "1000000",
    ...(scrapeEveryMs !== null ? { METRICS_TOKEN: metricsToken } : {}),
  } as const;
  const launch = async (env: NodeJS.ProcessEnv, executors: number) => {
    const app = await startApp({ root, port: await freePort(), env, executors, log });
    started.apps.add(app);
    return app;
  };
  const stop = async (app: BenchApp) => {
    started.apps.delete(app);
    const left = await app.stop();
    if (left.length > 0) log(`still running after the app stopped, killed: ${left.join(", ")}`);
  };
  const agent = new Agent({ connections: CLIENTS * 2, keepAliveTimeout: 30_000 });
  started.agent = agent;
  {
    await seedCatalog(db, SEED_CATALOG);
    const user = await db.user.create({ data: { email: `bench-${Date.now()}@bench.test`, passwordHash: "!" } });
    const actor = { id: user.id, email: user.email };
    // The scenarios run against this app; the executor-processes row swaps in one per count.
    let app = await launch(appEnv, parseExecutorConfig().processes);
    const server = { get pid() { return app.pid; } };

    /** `--metrics`: a Prometheus stand-in scraping the app for the whole run (bounded: it ends with the run, at most 10,000 scrapes). */
    const scrapes = { durationsMs: [] as number[], bytes: 0, failed: 0, running: scrapeEveryMs !== null };
    const scraping = (async () => {
      while (scrapes.running && scrapes.durationsMs.length + scrapes.failed < 10_000) {
        await new Promise((r) => setTimeout(r, scrapeEveryMs ?? 0));
        if (!scrapes.running) break;
        const at = performance.now();
        try {
          const res = await request(`${app.url}/metrics`, { dispatcher: agent, headers: { authorization: `Bearer ${metricsToken}` } });
          const text = await res.body.text();
          if (res.statusCode !== 200 || !text.includes("hookrelay_")) throw new Error(`GET /metrics answered ${res.statusCode}`);
          scrapes.durationsMs.push(performance.now() - at);
          scrapes.bytes = text.length;
        } catch {
          // The executor-processes row restarts the app: a scrape then finds nobody listening.
          scrapes.failed++;
        }
      }
    })();
    const stopScraping = async () => {
      scrapes.running = false;
      await scraping;
      if (scrapeEveryMs === null) return null;
      const sorted = [...scrapes.durationsMs].sort((a, b) => a - b);
      const summary = `${sorted.length} scrapes every ${scrapeEveryMs} ms (${scrapes.failed} not answered, during app restarts), p50 ${percentile(sorted, 50).toFixed(0)} ms, max ${(sorted.at(-1) ?? 0).toFixed(0)} ms, ${(scrapes.bytes / 1024).toFixed(0)} KB each`;
      log(`metrics: ${summary}`);
      return summary;
    };

    async function scenario(endpoints: number, mode?: ReceiverMode) {
      const receiver = await startReceiver({ maxRecorded: 60_000, mode });
      receivers.push(receiver);
      const urls = Array.from({ length: endpoints }, (_, e) => `${receiver.url}/e${e}`);
      const { org, key, endpointIds } = await benchOrganization({ name: `Bench ${endpoints}`, slug: `bench-${endpoints}-${Date.now()}`, urls, actor });
      return { org, receiver, key, endpointIds };
    }

    async function post(org: string, key: string, n: number): Promise<string> {
      const res = await request(`${app.url}/api/v1/app/${org}/msg`, {
        method: "POST",
        dispatcher: agent,
        headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
        body: JSON.stringify({ eventType: "contract.created", payload: { ...payload, occurred_at: new Date(Date.UTC(2026, 0, 1) + n * 1000).toISOString().replace(".000", "") } }),
      });
      const text = await res.body.text();
      if (res.statusCode !== 202) throw new Error(`API answered ${res.statusCode}: ${text}`);
      return (JSON.parse(text) as { id: string }).id;
    }

    async function burst(label: string, messages: number, endpoints: number) {
      const { org, receiver, key } = await scenario(endpoints);
      const expected = messages * endpoints;
      let next = 0;
      const cpuBefore = cpuByKind(server.pid);
      const rss = watchPeakRss(server.pid);
      const started = performance.now();
      await Promise.all(Array.from({ length: CLIENTS }, async () => {
        while (next < messages) await post(org.slug, key, next++);
      }));
      const accepted = performance.now();
      await waitUntil(`${expected} deliveries`, () => receiver.total >= expected, DEADLINE_MS);
      const seconds = (performance.now() - started) / 1000;
      const rate = expected / seconds;
      const ingest = messages / ((accepted - started) / 1000);
      const peakRssMb = rss.stop() / 1024;
      log(`${label}: ${expected} deliveries in ${seconds.toFixed(1)} s = ${rate.toFixed(0)} deliveries/s (API accepted all ${messages} messages in ${((accepted - started) / 1000).toFixed(1)} s = ${ingest.toFixed(0)} msg/s)`);
      log(`  CPU: ${cpuDelta(cpuBefore, cpuByKind(server.pid))}; peak RSS of the product processes ${peakRssMb.toFixed(0)} MB`);
      return { rate, ingest, peakRssMb };
    }

    /** A trivial route of the same app, same clients: what the HTTP stack alone allows. */
    async function trivialRoute(requests: number) {
      let sent = 0;
      const cpuBefore = cpuByKind(server.pid);
      const started = performance.now();
      await Promise.all(Array.from({ length: CLIENTS }, async () => {
        while (sent < requests) {
          sent++;
          const res = await request(`${app.url}/api/v1/health`, { dispatcher: agent });
          await res.body.text();
          if (res.statusCode !== 204) throw new Error(`GET /api/v1/health answered ${res.statusCode}`);
        }
      }));
      const rate = requests / ((performance.now() - started) / 1000);
      log(`trivial route: GET /api/v1/health, ${requests} requests, ${CLIENTS} in flight: ${rate.toFixed(0)} req/s`);
      log(`  CPU: ${cpuDelta(cpuBefore, cpuByKind(server.pid))}`);
      return rate;
    }

    /** `perSecond` messages a second for `seconds`: latency from the API call to the request at the receiver. */
    async function steady(perSecond: number, seconds: number) {
      const { org, receiver, key } = await scenario(1);
      const sentAt = new Map<string, number>();
      const total = seconds * perSecond;
      const cpuBefore = cpuByKind(server.pid);
      const start = performance.timeOrigin + performance.now();
      const inFlight: Promise<void>[] = [];
      for (let i = 0; i < total; i++) {
        const due = start + (i * 1000) / perSecond;
        const wait = due - (performance.timeOrigin + performance.now());
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
        const t0 = performance.timeOrigin + performance.now();
        inFlight.push(post(org.slug, key, i).then((id) => void sentAt.set(id, t0)));
      }
      await Promise.all(inFlight);
      await waitUntil(`${total} steady deliveries`, () => receiver.total >= total, 120_000);
      const measured = receiver.requests
        .map((q) => ({ sent: sentAt.get(String(q.headers["webhook-id"])) ?? NaN, latency: q.receivedAt - (sentAt.get(String(q.headers["webhook-id"])) ?? NaN) }))
        .filter((x) => Number.isFinite(x.latency));
      const sorted = (xs: number[]) => xs.sort((a, b) => a - b);
      const latencies = sorted(measured.map((x) => x.latency));
      // A backlog that grows shows as a later half slower than the first.
      const half = start + (seconds * 1000) / 2;
      const firstHalf = sorted(measured.filter((x) => x.sent < half).map((x) => x.latency));
      const secondHalf = sorted(measured.filter((x) => x.sent >= half).map((x) => x.latency));
      const result = {
        p50: percentile(latencies, 50),
        p99: percentile(latencies, 99),
        max: latencies.at(-1)!,
        p99First: percentile(firstHalf, 99),
        p99Second: percentile(secondHalf, 99),
      };
      log(
        `steady ${perSecond} msg/s for ${seconds} s: API → receiver p50 ${result.p50.toFixed(1)} ms, p99 ${result.p99.toFixed(1)} ms, max ${result.max.toFixed(1)} ms ` +
          `(${latencies.length} deliveries; p99 first half ${result.p99First.toFixed(0)} ms, second half ${result.p99Second.toFixed(0)} ms)`,
      );
      log(`  CPU: ${cpuDelta(cpuBefore, cpuByKind(server.pid))}`);
      return result;
    }

    /**
     * Recovery (issue 11): `count` deliveries fail for good (the receiver answers 500 to both
     * attempts), the receiver comes back, and one `POST .../recover` resends them all. Timed from
     * that call to the last request at the receiver; compared with the fan-out row (live delivery).
     */
    async function recovery(count: number) {
      const { org, receiver, key, endpointIds } = await scenario(1, { kind: "status", status: 500 });
      const since = new Date(Date.now() - 60_000).toISOString();
      let next = 0;
      await Promise.all(Array.from({ length: CLIENTS }, async () => {
        while (next < count) await post(org.slug, key, next++);
      }));
      const endpointId = endpointIds[0]!;
      await waitUntilAsync(`${count} failed deliveries`, async () => (await db.delivery.count({ where: { endpointId, status: "FAILED" } })) === count, DEADLINE_MS);
      receiver.setMode({ kind: "status", status: 200 });
      receiver.reset();
      const cpuBefore = cpuByKind(server.pid);
      const started = performance.now();
      const res = await request(`${app.url}/api/v1/app/${org.slug}/endpoint/${endpointId}/recover`, {
        method: "POST",
        dispatcher: agent,
        headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
        body: JSON.stringify({ since }),
      });
      const text = await res.body.text();
      if (res.statusCode !== 202) throw new Error(`recover answered ${res.statusCode}: ${text}`);
      await waitUntil(`${count} recovered deliveries`, () => receiver.total >= count, DEADLINE_MS);
      const seconds = (performance.now() - started) / 1000;
      const rate = count / seconds;
      log(`recovery: ${count} failed deliveries resent in ${seconds.toFixed(1)} s = ${rate.toFixed(0)} deliveries/s`);
      log(`  CPU: ${cpuDelta(cpuBefore, cpuByKind(server.pid))}`);
      return { rate, seconds };
    }

    // Baseline: a plain undici keep-alive POST loop to the same kind of receiver, same run.
    const baselineReceiver = await startReceiver({ maxRecorded: 0 });
    receivers.push(baselineReceiver);
    const body = JSON.stringify({ eventType: "contract.created", payload });
    let sent = 0;
    const baseStart = performance.now();
    await Promise.all(Array.from({ length: CLIENTS }, async () => {
      while (sent < singleCount) {
        sent++;
        const res = await request(`${baselineReceiver.url}/plain`, { method: "POST", dispatcher: agent, headers: { "content-type": "application/json" }, body });
        await res.body.text();
      }
    }));
    const baseline = singleCount / ((performance.now() - baseStart) / 1000);
    log(`baseline: plain undici POST loop, ${singleCount} requests, ${CLIENTS} in flight: ${baseline.toFixed(0)} req/s`);

    /** The fan-out burst again on a fresh app per count of executor processes (the start script's own plus workers). */
    async function executorRows() {
      const rows: { processes: number; rate: number; peakRssMb: number }[] = [];
      for (const processes of executorCounts) {
        await stop(app);
        app = await launch({ ...appEnv, EXECUTOR_PROCESSES: String(processes) }, processes);
        rows.push({ processes, ...(await burst(`${fanoutCount} messages x 10 endpoints, ${processes} executor process(es)`, fanoutCount, 10)) });
      }
      return rows;
    }

    const fanoutLabel = `${fanoutCount.toLocaleString("en-US")} messages × 10 endpoints`;
    const executorTable = (rows: Awaited<ReturnType<typeof executorRows>>) => {
      for (const r of rows) {
        console.log(`| ${fanoutLabel}, EXECUTOR_PROCESSES=${r.processes} | ${r.rate.toFixed(0)} deliveries/s (peak RSS ${r.peakRssMb.toFixed(0)} MB) | ${baseline.toFixed(0)} req/s (plain loop) | ${(r.rate / baseline).toFixed(3)} |`);
      }
    };
    if (onlyExecutors) {
      const rows = await executorRows();
      const scraped = await stopScraping();
      console.log("\n| scenario | result | baseline | ratio |\n| --- | --- | --- | --- |");
      executorTable(rows);
      if (scraped) console.log(`| GET /metrics during the run | ${scraped} | | |`);
      return;
    }

    const trivial = await trivialRoute(singleCount);
    const single = await burst(`${singleCount} messages x 1 endpoint`, singleCount, 1);
    const fanout = await burst(`${fanoutCount} messages x 10 endpoints`, fanoutCount, 10);
    const steady100 = await steady(100, steadySeconds);
    const steady500 = await steady(500, steadySeconds);
    const recovered = recoveredCount > 0 ? await recovery(recoveredCount) : null;
    const executors = await executorRows();
    const scraped = await stopScraping();

    const ms = (x: number) => `${x.toFixed(0)} ms`;
    console.log("\n| scenario | result | baseline | ratio |\n| --- | --- | --- | --- |");
    console.log(`| ${singleCount.toLocaleString("en-US")} messages × 1 endpoint | ${single.rate.toFixed(0)} deliveries/s | ${baseline.toFixed(0)} req/s (plain loop) | ${(single.rate / baseline).toFixed(3)} |`);
    console.log(`| ${fanoutLabel} | ${fanout.rate.toFixed(0)} deliveries/s | ${baseline.toFixed(0)} req/s (plain loop) | ${(fanout.rate / baseline).toFixed(3)} |`);
    console.log(`| API ingest during the ${singleCount.toLocaleString("en-US")} × 1 burst (${CLIENTS} clients) | ${single.ingest.toFixed(0)} msg/s | ${trivial.toFixed(0)} req/s (GET /api/v1/health) | ${(single.ingest / trivial).toFixed(3)} |`);
    for (const [rate, r] of [[100, steady100], [500, steady500]] as const) {
      console.log(`| steady ${rate} msg/s, ${steadySeconds} s: API → receiver | p50 ${ms(r.p50)}, p99 ${ms(r.p99)} (halves: ${ms(r.p99First)}, ${ms(r.p99Second)}) | | |`);
    }
    if (recovered) console.log(`| recovery: ${recoveredCount.toLocaleString("en-US")} failed deliveries resent by one recover call | ${recovered.rate.toFixed(0)} deliveries/s (${recovered.seconds.toFixed(1)} s) | ${fanout.rate.toFixed(0)} deliveries/s (fan-out row) | ${(recovered.rate / fanout.rate).toFixed(2)} |`);
    console.log(`| peak RSS of the product processes, ${singleCount.toLocaleString("en-US")}-message burst | ${single.peakRssMb.toFixed(0)} MB | | |`);
    executorTable(executors);
    if (scraped) console.log(`| GET /metrics during the run | ${scraped} | | |`);
  }
}

runBench(main, {
  cleanup,
  killNow: () => {
    for (const app of started.apps) app.killNow();
  },
  log,
});
