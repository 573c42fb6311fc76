/**
 * Two checkouts side by side: is this one slower than another? On a shared machine whose speed
 * drifts by ±10–20 % over minutes, two `npm run bench:delivery` runs taken one after the other can
 * differ by more than the change being measured. Here both apps run at once, each with its own
 * embedded PostgreSQL and its own receiver on 127.0.0.1, and the same bursts alternate between them,
 * round after round (A B, then B A, ...): drift reaches both sides alike, and each round gives one
 * ratio.
 *
 *   npm run bench:compare -- <other checkout> [--rounds=8] [--metrics] [--executors=1] [--scenarios=fan-out,recovery]
 *
 * The other checkout is the base (e.g. `git clone . /tmp/base && cd /tmp/base && git checkout <commit>
 * && npm ci`); this checkout is compared against it. Each is built first if needed (NEXT_DIST_DIR
 * .next-test) and started with its own `scripts/start.ts`, which migrates its own database.
 * `--metrics`: this side runs with METRICS_TOKEN set and `/metrics` scraped every 5 s, as a
 * Prometheus would. `--executors=N`: both apps run N executor processes (`EXECUTOR_PROCESSES`; 1 by
 * default, as `npm start` on 2 cores), for the executor-processes rows of `bench:delivery`. Each
 * round, on each side, the rows of `bench:delivery` that measure a rate:
 *
 * - trivial: 5,000 × `GET /api/v1/health` (32 in flight): the HTTP stack and the server's wrapper;
 * - single: 3,000 messages to 1 endpoint, timed from the first API call to the last delivery
 *   received; and from the first API call to the last answer (the ingest row);
 * - fan-out: 300 messages to 10 endpoints (3,000 deliveries), timed the same way;
 * - recovery: 2,000 messages to an endpoint whose receiver answers 500 fail for good (both apps run
 *   with `WEBHOOK_RETRY_SCHEDULE=1s`, two attempts); the receiver then answers 200 and one
 *   `POST .../recover` resends them, timed from that call to the last one received (not timed: the
 *   failing part).
 *
 * Both databases are vacuumed and analysed before each round (not timed), so autovacuum does not
 * land in one side's burst, and after every burst the bench waits until the machine is quiet
 * (under 15 % busy for half a second, at most 20 s): the app that just finished may still record
 * its last attempts, collect garbage and write WAL. Without the wait, the side that went first in a
 * round was faster by about 4-15 % in 7 of the 8 scenarios of issue 25's two 16-round runs (fourth
 * pass, docs/benchmarks.md). The order alternates, so a pair of rounds (A B, then B A) cancels what
 * order effect is left and any steady drift: the confidence interval is taken over pairs.
 * Not here: the steady-rate latency rows. Printed: per scenario, this/base per round, their
 * geometric mean with its 95 % confidence interval (Student's t over the pairs), their median, and
 * the CPU per request or delivery of each side's app processes and of its PostgreSQL (the server and
 * its backends, exited ones included). The organization, endpoints and key of each side
 * are created with this checkout's code (bench/lib/compare-setup.ts), so the two must share the
 * schema of users, organizations, endpoints and API keys; a base too old for that fails at setup
 * with the database's error. Bounded: a fixed number of rounds, each burst with a 2-minute deadline;
 * everything started is stopped on every exit path.
 */
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { Agent, request } from "undici";
import { SEED_CATALOG } from "@/lib/catalog/seed-catalog";
import { buildIfNeeded } from "@/scripts/lib/build";
import { createTestDatabase, freePort, type TestDatabase } from "@/scripts/lib/test-database";
import { startReceiver, type Receiver } from "@/tests/helpers/receiver";
import { startApp, type BenchApp } from "./lib/app";
import { treeCpuWithReaped } from "./lib/processes";
import { runBench } from "./lib/run";

const args = process.argv.slice(2);
const baseRoot = args.find((a) => !a.startsWith("--"));
const rounds = Number(args.find((a) => a.startsWith("--rounds="))?.slice("--rounds=".length) ?? 8);
const metricsOn = args.includes("--metrics");
const executors = Number(args.find((a) => a.startsWith("--executors="))?.slice("--executors=".length) ?? 1);
const thisRoot = path.resolve(import.meta.dirname, "..");
const CLIENTS = 32;
const BURST_DEADLINE_MS = 120_000;
const SCRAPE_EVERY_MS = 5_000;
/** Quiet: the whole machine under this share busy over one sample; waited for after each burst. */
const SETTLE_BUSY = 0.15;
const SETTLE_SAMPLE_MS = 500;
const SETTLE_MAX_MS = 20_000;
const SCENARIOS = [
  { name: "trivial", unit: "requests", messages: 5_000, endpoints: 0 },
  { name: "single", unit: "deliveries", messages: 3_000, endpoints: 1 },
  { name: "fan-out", unit: "deliveries", messages: 300, endpoints: 10 },
  { name: "recovery", unit: "deliveries", messages: 2_000, endpoints: 1 },
] as const;
const OK = { kind: "status", status: 200 } as const;
const FAILING = { kind: "status", status: 500 } as const;
type Scenario = (typeof SCENARIOS)[number];
const scenarioNames = args.find((a) => a.startsWith("--scenarios="))?.slice("--scenarios=".length).split(",");
/** The scenarios run: all by default, or those `--scenarios=` names (in the order above). */
const chosen = SCENARIOS.filter((s) => !scenarioNames || scenarioNames.includes(s.name));
const payload = SEED_CATALOG.find((t) => t.name === "contract.created")!.examples[0]!.payload;
const log = (line: string) => console.log(`[compare] ${line}`);

interface Side {
  label: "base" | "this";
  root: string;
  database: TestDatabase;
  postmaster: number;
  app: BenchApp;
  receivers: Receiver[];
  /** Per scenario with endpoints: its organization's slug, API key and endpoints. */
  orgs: Map<Scenario["name"], { slug: string; key: string; endpointIds: string[]; receiver: Receiver }>;
  /** For the recovery scenario: its failed deliveries are counted in the side's database. */
  sql: pg.Client;
  metricsToken?: string;
  sent: number;
}

interface Result {
  rate: number;
  /** Messages accepted per second, from the first API call to the last answer (the single scenario). */
  ingest?: number;
  /** CPU ms per request or delivery: the app's processes, its PostgreSQL. */
  appCpu: number;
  pgCpu: number;
}

const started: { sides: Partial<Side>[]; dirs: string[]; agent?: Agent; scrape?: NodeJS.Timeout } = { sides: [], dirs: [] };

/** Stops what the bench started (bench/lib/run.ts calls it once, on every exit path). */
async function cleanup(): Promise<void> {
  clearInterval(started.scrape);
  for (const side of started.sides) {
    await side.sql?.end().catch(() => {});
    const left = (await side.app?.stop()) ?? [];
    if (left.length > 0) log(`still running after the ${side.label} app stopped, killed: ${left.join(", ")}`);
    await Promise.all((side.receivers ?? []).map((r) => r.close()));
    await side.database?.cleanup();
  }
  await started.agent?.close();
  for (const dir of started.dirs) rmSync(dir, { recursive: true, force: true });
}

function tempDir(prefix: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  started.dirs.push(dir);
  return dir;
}

async function startSide(label: Side["label"], root: string): Promise<Side> {
  const side: Partial<Side> = { label, root, receivers: [], orgs: new Map(), sent: 0 };
  started.sides.push(side);
  // Not migrated: each side's own start script migrates it with that checkout's migrations.
  const database = await createTestDatabase(`compare_${label}`, () => {}, { migrate: false });
  side.database = database;
  if (!database.cluster?.pid) throw new Error("bench:compare gives each side a PostgreSQL of its own, to read its CPU: unset TEST_DATABASE_URL");
  started.dirs.push(database.cluster.folder);
  side.postmaster = database.cluster.pid;
  side.metricsToken = label === "this" && metricsOn ? randomBytes(24).toString("hex") : undefined;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: database.url,
    DATA_DIR: tempDir(`compare-${label}-data-`),
    SEED_DEMO: "0",
    AUTH_SECRET: randomBytes(32).toString("hex"),
    APP_ENCRYPTION_KEY: randomBytes(32).toString("base64"),
    NODE_ENV: "production",
    NEXT_DIST_DIR: ".next-test",
    API_RATE_LIMIT_PER_SECOND: "1000000",
    // Two attempts a second apart: the recovery scenario's deliveries fail for good within seconds;
    // the other scenarios' succeed at their first attempt and never consult the schedule.
    WEBHOOK_RETRY_SCHEDULE: "1s",
    EXECUTOR_PROCESSES: String(executors),
  };
  delete env.METRICS_TOKEN;
  if (side.metricsToken) env.METRICS_TOKEN = side.metricsToken;
  side.app = await startApp({ root, port: await freePort(), env, executors, log });
  side.sql = new pg.Client({ connectionString: database.url });
  await side.sql.connect();
  for (const scenario of chosen) {
    if (scenario.endpoints === 0) continue;
    const receiver = await startReceiver({ maxRecorded: 100 });
    side.receivers!.push(receiver);
    const urls = Array.from({ length: scenario.endpoints }, (_, e) => `${receiver.url}/e${e}`);
    const out = execFileSync(path.join(thisRoot, "node_modules/.bin/tsx"), ["bench/lib/compare-setup.ts", ...urls], { cwd: thisRoot, env, encoding: "utf8" });
    const line = out.split("\n").find((l) => l.startsWith("SETUP "));
    if (!line) throw new Error(`the ${label} side's setup printed no SETUP line:\n${out}`);
    side.orgs!.set(scenario.name, { ...(JSON.parse(line.slice("SETUP ".length)) as { slug: string; key: string; endpointIds: string[] }), receiver });
  }
  log(`${label}: ${root} answering on ${side.app.url}${side.metricsToken ? ", metrics on" : ""}`);
  return side as Side;
}

/** Waits until `done()` (polled every `everyMs`), or fails after the burst's deadline. */
async function until(what: string, done: () => boolean | Promise<boolean>, everyMs = 10): Promise<void> {
  const deadline = Date.now() + BURST_DEADLINE_MS;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error(`${what} not within ${BURST_DEADLINE_MS / 1000} s`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** `messages` to the scenario's organization (32 in flight), or that many trivial requests. */
async function send(side: Side, scenario: Scenario, agent: Agent): Promise<void> {
  const org = side.orgs.get(scenario.name);
  let next = 0;
  await Promise.all(
    Array.from({ length: CLIENTS }, async () => {
      while (next < scenario.messages) {
        next++;
        if (!org) {
          const res = await request(`${side.app.url}/api/v1/health`, { dispatcher: agent });
          await res.body.text();
          if (res.statusCode !== 204) throw new Error(`${side.label}: GET /api/v1/health answered ${res.statusCode}`);
          continue;
        }
        const res = await request(`${side.app.url}/api/v1/app/${org.slug}/msg`, {
          method: "POST",
          dispatcher: agent,
          headers: { authorization: `Bearer ${org.key}`, "content-type": "application/json" },
          body: JSON.stringify({ eventType: "contract.created", payload: { ...payload, sequence: side.sent++ } }),
        });
        const text = await res.body.text();
        if (res.statusCode !== 202) throw new Error(`${side.label}: the API answered ${res.statusCode}: ${text}`);
      }
    }),
  );
}

/** Times `work` and reads the CPU both sides' processes spent on it, per unit; `work` may return the ingest rate. */
async function measured(side: Side, units: number, work: (t0: number) => Promise<number | undefined>): Promise<Result> {
  const app0 = treeCpuWithReaped(side.app.pid);
  const pg0 = treeCpuWithReaped(side.postmaster);
  const t0 = performance.now();
  const ingest = await work(t0);
  const seconds = (performance.now() - t0) / 1000;
  return {
    rate: units / seconds,
    ...(ingest === undefined ? {} : { ingest }),
    appCpu: (treeCpuWithReaped(side.app.pid) - app0) / units,
    pgCpu: (treeCpuWithReaped(side.postmaster) - pg0) / units,
  };
}

async function burst(side: Side, scenario: Scenario, agent: Agent): Promise<Result> {
  if (scenario.name === "recovery") return recovery(side, scenario, agent);
  const org = side.orgs.get(scenario.name);
  const units = org ? scenario.messages * scenario.endpoints : scenario.messages;
  const target = org ? org.receiver.total + units : 0;
  return measured(side, units, async (t0) => {
    await send(side, scenario, agent);
    if (!org) return undefined;
    const ingest = scenario.messages / ((performance.now() - t0) / 1000);
    await until(`${side.label}: ${scenario.name}'s deliveries`, () => org.receiver.total >= target);
    return ingest;
  });
}

/** The recovery scenario: its messages fail for good (not timed), then one recover call resends them (timed to the last received). */
async function recovery(side: Side, scenario: Scenario, agent: Agent): Promise<Result> {
  const org = side.orgs.get(scenario.name)!;
  const endpointId = org.endpointIds[0]!;
  const failed = async () => {
    const { rows } = await side.sql.query<{ n: string }>(`SELECT count(*) AS n FROM "Delivery" WHERE "endpointId" = $1 AND status = 'FAILED'`, [endpointId]);
    return Number(rows[0]!.n);
  };
  // Earlier rounds' deliveries were recovered (succeeded): only this round's are failed.
  const since = new Date(Date.now() - 1_000).toISOString();
  org.receiver.setMode(FAILING);
  await send(side, scenario, agent);
  // A count over the endpoint's failed deliveries, in the side's own database: every 250 ms, not 10, so the harness adds little load of its own.
  await until(`${side.label}: ${scenario.messages} failed deliveries`, async () => (await failed()) >= scenario.messages, 250);
  org.receiver.setMode(OK);
  const target = org.receiver.total + scenario.messages;
  const result = await measured(side, scenario.messages, async () => {
    const res = await request(`${side.app.url}/api/v1/app/${org.slug}/endpoint/${endpointId}/recover`, {
      method: "POST",
      dispatcher: agent,
      headers: { authorization: `Bearer ${org.key}`, "content-type": "application/json" },
      body: JSON.stringify({ since }),
    });
    const text = await res.body.text();
    if (res.statusCode !== 202) throw new Error(`${side.label}: recover answered ${res.statusCode}: ${text}`);
    await until(`${side.label}: the recovered deliveries`, () => org.receiver.total >= target);
    return undefined;
  });
  if ((await failed()) !== 0) throw new Error(`${side.label}: deliveries still failed after the recovery`);
  return result;
}

/** The machine's CPU time (all cores, ticks): busy and in total, from the first line of /proc/stat. */
function machineCpu(): { busy: number; total: number } {
  const [, ...fields] = readFileSync("/proc/stat", "utf8").split("\n")[0]!.trim().split(/\s+/);
  // user nice system idle iowait irq softirq steal (guest time is already in user)
  const ticks = fields.slice(0, 8).map(Number);
  const total = ticks.reduce((a, b) => a + b, 0);
  return { busy: total - ticks[3]! - ticks[4]!, total };
}

const settled = { waits: [] as number[], notQuiet: 0 };

/** Waits until the machine is quiet (see the header); records how long that took. */
async function settle(): Promise<void> {
  const start = performance.now();
  let before = machineCpu();
  while (performance.now() - start < SETTLE_MAX_MS) {
    await new Promise((r) => setTimeout(r, SETTLE_SAMPLE_MS));
    const now = machineCpu();
    const busy = (now.busy - before.busy) / Math.max(1, now.total - before.total);
    before = now;
    if (busy < SETTLE_BUSY) {
      settled.waits.push(performance.now() - start);
      return;
    }
  }
  settled.waits.push(SETTLE_MAX_MS);
  settled.notQuiet++;
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const geomean = (xs: number[]) => Math.exp(mean(xs.map(Math.log)));

/** The geometric means of the rounds where the base went first (1, 3, ...) and of those where this did: what order still does. */
const byOrder = (ratios: number[]) => `${geomean(ratios.filter((_, i) => i % 2 === 0)).toFixed(3)} / ${geomean(ratios.filter((_, i) => i % 2 === 1)).toFixed(3)}`;

function median(xs: number[]): number {
  const sorted = [...xs].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** Student's t, two-sided 95 %, for 1 to 39 degrees of freedom. */
const T_975 = [
  12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131, 2.12, 2.11, 2.101, 2.093, 2.086,
  2.08, 2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048, 2.045, 2.042, 2.04, 2.037, 2.035, 2.032, 2.03, 2.028, 2.026, 2.024, 2.023,
];

/** Beyond the table: the Cornish-Fisher expansion of t around the normal quantile (within 0.001 from 40 on). */
function t975(df: number): number {
  if (df <= T_975.length) return T_975[df - 1]!;
  const z = 1.959964;
  return z + (z ** 3 + z) / (4 * df) + (5 * z ** 5 + 16 * z ** 3 + 3 * z) / (96 * df ** 2);
}

/**
 * The geometric mean of the per-round ratios and its 95 % confidence interval: Student's t on the
 * logarithms of the pairs' geometric means (rounds 1+2, 3+4, ...: each pair ran in both orders).
 */
function ratioSummary(ratios: number[]): string {
  const logs = ratios.map(Math.log);
  const centre = mean(logs);
  const pairs = Array.from({ length: Math.floor(logs.length / 2) }, (_, i) => (logs[2 * i]! + logs[2 * i + 1]!) / 2);
  if (pairs.length < 2) return `**${Math.exp(centre).toFixed(3)}**`;
  const df = pairs.length - 1;
  const pairCentre = mean(pairs);
  const sd = Math.sqrt(pairs.reduce((sum, x) => sum + (x - pairCentre) ** 2, 0) / df);
  const half = (t975(df) * sd) / Math.sqrt(pairs.length);
  return `**${Math.exp(centre).toFixed(3)}** [${Math.exp(pairCentre - half).toFixed(3)}, ${Math.exp(pairCentre + half).toFixed(3)}]`;
}

/** Both databases vacuumed and analysed before each round, so autovacuum does not land in one side's burst. */
async function vacuum(sides: Side[]): Promise<void> {
  for (const side of sides) await side.sql.query("VACUUM (ANALYZE)");
}

async function main() {
  if (!baseRoot || !existsSync(path.join(baseRoot, "scripts/start.ts"))) throw new Error("give the base checkout's folder, e.g. npm run bench:compare -- /tmp/base");
  if (!(Number.isInteger(rounds) && rounds >= 2 && rounds <= 100 && rounds % 2 === 0)) throw new Error("--rounds= takes an even number from 2 to 100 (each pair of rounds runs in both orders)");
  if (!(Number.isInteger(executors) && executors >= 1 && executors <= 8)) throw new Error("--executors= takes 1 to 8");
  const unknownScenarios = (scenarioNames ?? []).filter((n) => !SCENARIOS.some((s) => s.name === n));
  if (unknownScenarios.length > 0 || scenarioNames?.length === 0) throw new Error(`--scenarios= takes names from ${SCENARIOS.map((s) => s.name).join(", ")}, comma-separated`);
  const unknown = args.filter((a) => a.startsWith("--") && a !== "--metrics" && !["--rounds=", "--executors=", "--scenarios="].some((o) => a.startsWith(o)));
  if (unknown.length > 0) throw new Error(`unknown option ${unknown.join(", ")}: the options are --rounds=N, --metrics, --executors=N and --scenarios=a,b`);
  if (path.resolve(baseRoot) === thisRoot) log("the base is this checkout: an A/A run (what the harness's own noise is)");
  process.env.NEXT_DIST_DIR = ".next-test";
  for (const root of [baseRoot, thisRoot]) buildIfNeeded(root, log);
  const base = await startSide("base", path.resolve(baseRoot));
  const self = await startSide("this", thisRoot);
  const agent = new Agent({ connections: CLIENTS * 2, keepAliveTimeout: 30_000 });
  started.agent = agent;
  if (self.metricsToken) {
    started.scrape = setInterval(() => {
      void request(`${self.app.url}/metrics`, { dispatcher: agent, headers: { authorization: `Bearer ${self.metricsToken}` } })
        .then((res) => res.body.text())
        .catch(() => {});
    }, SCRAPE_EVERY_MS);
  }
  // Warm-up: cold code, pools and caches on both sides, not counted.
  for (const scenario of chosen) for (const side of [base, self]) await burst(side, scenario, agent);

  const results = new Map(chosen.map((s) => [s.name, { base: [] as Result[], self: [] as Result[] }]));
  for (let round = 0; round < rounds; round++) {
    const order = round % 2 === 0 ? [base, self] : [self, base];
    await vacuum(order);
    for (const scenario of chosen) {
      for (const side of order) {
        await settle();
        const result = await burst(side, scenario, agent);
        results.get(scenario.name)![side === base ? "base" : "self"].push(result);
      }
    }
    log(
      `round ${round + 1}/${rounds}: ` +
        chosen.map((s) => {
          const r = results.get(s.name)!;
          return `${s.name} ${(r.self.at(-1)!.rate / r.base.at(-1)!.rate).toFixed(3)}`;
        }).join(", "),
    );
  }

  const us = (ms: number) => `${(ms * 1000).toFixed(0)} µs`;
  console.log(`\nbase ${path.resolve(baseRoot)}, this ${thisRoot}${metricsOn ? " (metrics on, scraped every 5 s)" : ""}, ${rounds} rounds, EXECUTOR_PROCESSES=${executors}`);
  console.log(`quiet before each burst after a median ${(median(settled.waits) / 1000).toFixed(1)} s (longest ${(Math.max(...settled.waits) / 1000).toFixed(1)} s); not quiet within ${SETTLE_MAX_MS / 1000} s: ${settled.notQuiet} of ${settled.waits.length}\n`);
  console.log("| scenario | base /s | this /s | this ÷ base per round | geometric mean [95 % CI, over pairs of rounds] | median | base first / this first | CPU per unit, app: base → this | PostgreSQL: base → this |");
  console.log("| --- | --- | --- | --- | --- | --- | --- | --- | --- |");
  for (const scenario of chosen) {
    const r = results.get(scenario.name)!;
    const ratios = r.self.map((x, i) => x.rate / r.base[i]!.rate);
    console.log(
      `| ${scenario.name} (${scenario.unit}) | ${mean(r.base.map((x) => x.rate)).toFixed(0)} | ${mean(r.self.map((x) => x.rate)).toFixed(0)} | ${ratios.map((x) => x.toFixed(3)).join(" ")} | ` +
        `${ratioSummary(ratios)} | ${median(ratios).toFixed(3)} | ${byOrder(ratios)} | ${us(mean(r.base.map((x) => x.appCpu)))} → ${us(mean(r.self.map((x) => x.appCpu)))} | ${us(mean(r.base.map((x) => x.pgCpu)))} → ${us(mean(r.self.map((x) => x.pgCpu)))} |`,
    );
    if (scenario.name !== "single") continue;
    const ingest = (xs: Result[]) => xs.map((x) => x.ingest!);
    const ingestRatios = ingest(r.self).map((x, i) => x / ingest(r.base)[i]!);
    console.log(`| ingest, ${scenario.name} (messages) | ${mean(ingest(r.base)).toFixed(0)} | ${mean(ingest(r.self)).toFixed(0)} | ${ingestRatios.map((x) => x.toFixed(3)).join(" ")} | ${ratioSummary(ingestRatios)} | ${median(ingestRatios).toFixed(3)} | ${byOrder(ingestRatios)} | | |`);
  }
}

runBench(main, {
  cleanup,
  killNow: () => {
    for (const side of started.sides) side.app?.killNow();
    // A second Ctrl-C (or npm and tsx relaying the first) exits before the cleanup's end: its folders go anyway.
    for (const dir of started.dirs) rmSync(dir, { recursive: true, force: true });
  },
  log,
});
