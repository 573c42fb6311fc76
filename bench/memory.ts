/**
 * Memory of the product processes during a message burst: the app started exactly as
 * `npm run bench:delivery` starts it (`node --import tsx scripts/start.ts`, production build, a
 * throwaway PostgreSQL outside the app's process tree), N messages × 1 endpoint sent through the
 * API by 32 clients to a keep-alive receiver on 127.0.0.1. Printed per process (start with the
 * executor, the Next server, workers): resident memory at idle, its peak during the burst, and
 * what it is made of (anonymous memory: heaps, buffers; file-backed: code mapped from disk), with
 * the summed peak that bench:delivery reports and the burst's rates, so a memory change can be
 * checked for its cost in throughput without the whole delivery benchmark.
 *
 *   npm run bench:memory                  10,000 messages
 *   npm run bench:memory -- 3000          fewer
 *   npm run bench:memory -- 10000 --v8    also each Node process's V8 heap, external memory and
 *                                         array buffers at its peak (process.memoryUsage() read by
 *                                         a preload module in every product process)
 *
 * Every loop is bounded in count and time, and everything stops by itself.
 */
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { Agent, request } from "undici";
import { createApiKey } from "@/lib/api-keys/manage";
import { SEED_CATALOG } from "@/lib/catalog/seed-catalog";
import { seedCatalog } from "@/lib/catalog/event-types";
import { db } from "@/lib/db";
import { createEndpoint } from "@/lib/endpoints/endpoints";
import { endpointConfigSchema } from "@/lib/validations/endpoint";
import { buildIfNeeded } from "@/scripts/lib/build";
import { createTestDatabase, freePort } from "@/scripts/lib/test-database";
import { startReceiver, type Receiver } from "@/tests/helpers/receiver";
import { tree } from "./lib/processes";

const messages = Math.min(Number(process.argv.slice(2).find((a) => /^\d+$/.test(a)) ?? 10_000), 50_000);
const v8 = process.argv.includes("--v8");
const CLIENTS = 32;
const DEADLINE_MS = 10 * 60_000;
const SAMPLE_MS = 200;
const root = path.resolve(import.meta.dirname, "..");
const payload = SEED_CATALOG.find((t) => t.name === "contract.created")!.examples[0]!.payload;
const log = (line: string) => console.log(`[memory] ${line}`);
const mb = (kb: number) => `${(kb / 1024).toFixed(0)} MB`;

interface Reading {
  name: string;
  cpuMs: number;
  rssKb: number;
  anonKb: number;
  fileKb: number;
}

/** RssAnon and RssFile (plus shared memory) of one process, from /proc/<pid>/status. */
function split(pid: number): { anonKb: number; fileKb: number } {
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const field = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, "m").exec(status)?.[1] ?? 0);
    return { anonKb: field("RssAnon"), fileKb: field("RssFile") + field("RssShmem") };
  } catch {
    return { anonKb: 0, fileKb: 0 };
  }
}

function readTree(rootPid: number): Map<number, Reading> {
  return new Map(tree(rootPid).map((s) => [s.pid, { name: s.name, cpuMs: s.cpuMs, rssKb: s.rssKb, ...split(s.pid) }]));
}

/**
 * Per process: the reading at its own peak and the CPU it spent; and the peak of the sum (what
 * bench:delivery reports).
 */
function watch(rootPid: number) {
  const peaks = new Map<number, Reading>();
  const cpu = new Map<number, { first: number; last: number }>();
  let peakSumKb = 0;
  const sample = () => {
    const now = readTree(rootPid);
    let sum = 0;
    for (const [pid, r] of now) {
      sum += r.rssKb;
      cpu.set(pid, { first: cpu.get(pid)?.first ?? r.cpuMs, last: r.cpuMs });
      if (r.rssKb > (peaks.get(pid)?.rssKb ?? -1)) peaks.set(pid, r);
    }
    peakSumKb = Math.max(peakSumKb, sum);
  };
  sample();
  const timer = setInterval(sample, SAMPLE_MS);
  return {
    stop() {
      clearInterval(timer);
      sample();
      return { peaks, peakSumKb, cpuMs: new Map([...cpu].map(([pid, c]) => [pid, c.last - c.first])) };
    },
  };
}

/** A preload for every product process: writes process.memoryUsage() at its RSS peak to `dir/<pid>.json`. */
function v8Preload(dir: string): string {
  const file = path.join(dir, "memory-preload.cjs");
  writeFileSync(
    file,
    `const fs = require("node:fs");
let peak = 0;
const timer = setInterval(() => {
  const m = process.memoryUsage();
  if (m.rss <= peak) return;
  peak = m.rss;
  const code = require("node:v8").getHeapCodeStatistics();
  fs.writeFileSync(${JSON.stringify(dir)} + "/" + process.pid + ".json", JSON.stringify({ ...m, code: code.code_and_metadata_size + code.bytecode_and_metadata_size, argv: process.argv.slice(1) }));
}, ${SAMPLE_MS});
timer.unref();
`,
  );
  return file;
}

async function main() {
  process.env.APP_ENCRYPTION_KEY = randomBytes(32).toString("base64");
  process.env.NEXT_DIST_DIR = ".next-test";
  const database = await createTestDatabase("bench_memory");
  process.env.DATABASE_URL = database.url;
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "hookrelay-memory-"));
  const v8Dir = v8 ? mkdtempSync(path.join(os.tmpdir(), "hookrelay-memory-v8-")) : undefined;
  const receivers: Receiver[] = [];
  const port = await freePort();
  const appUrl = `http://127.0.0.1:${port}`;
  buildIfNeeded(root, log);
  const extraOptions = v8Dir ? { NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ""} --require ${v8Preload(v8Dir)}`.trim() } : {};
  // As bench/delivery.ts starts it: Node loads tsx itself, so the child is the start script.
  const server = spawn(process.execPath, ["--import", "tsx", "scripts/start.ts"], {
    cwd: root,
    env: { ...process.env, ...extraOptions, PORT: String(port), DATA_DIR: dataDir, SEED_DEMO: "0", AUTH_SECRET: randomBytes(32).toString("hex"), NODE_ENV: "production", API_RATE_LIMIT_PER_SECOND: "1000000" },
    stdio: ["ignore", "ignore", "inherit"],
  });
  const agent = new Agent({ connections: CLIENTS * 2, keepAliveTimeout: 30_000 });
  try {
    await seedCatalog(db, SEED_CATALOG);
    const user = await db.user.create({ data: { email: `bench-${Date.now()}@bench.test`, passwordHash: "!" } });
    for (let i = 0; ; i++) {
      const ok = await request(`${appUrl}/api/health`, { dispatcher: agent }).then((r) => r.body.text().then(() => r.statusCode === 200)).catch(() => false);
      if (ok) break;
      if (i > 600) throw new Error("the app did not start");
      await new Promise((r) => setTimeout(r, 200));
    }
    await new Promise((r) => setTimeout(r, 1_000));

    const org = await db.organization.create({ data: { name: "Bench memory", slug: `bench-memory-${Date.now()}`, webhooksEnabled: true } });
    const receiver = await startReceiver({ maxRecorded: 0 });
    receivers.push(receiver);
    const created = await createEndpoint(org.id, endpointConfigSchema.parse({ url: `${receiver.url}/e0`, eventTypes: ["contract.created"], rateLimit: "" }), { id: user.id, email: user.email });
    if (!created.ok) throw new Error(created.message);
    const { key } = await createApiKey({ name: "bench", scope: "ORGANIZATION", organizationId: org.id, createdById: user.id });

    const idle = readTree(server.pid!);
    const watcher = watch(server.pid!);
    let next = 0;
    const started = performance.now();
    await Promise.all(Array.from({ length: CLIENTS }, async () => {
      while (next < messages) {
        const n = next++;
        const res = await request(`${appUrl}/api/v1/app/${org.slug}/msg`, {
          method: "POST",
          dispatcher: agent,
          headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
          body: JSON.stringify({ eventType: "contract.created", payload: { ...payload, occurred_at: new Date(Date.UTC(2026, 0, 1) + n * 1000).toISOString().replace(".000", "") } }),
        });
        const text = await res.body.text();
        if (res.statusCode !== 202) throw new Error(`API answered ${res.statusCode}: ${text}`);
      }
    }));
    const accepted = performance.now();
    const deadline = Date.now() + DEADLINE_MS;
    while (receiver.total < messages) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${messages} deliveries`);
      await new Promise((r) => setTimeout(r, 20));
    }
    const seconds = (performance.now() - started) / 1000;
    const { peaks, peakSumKb, cpuMs } = watcher.stop();

    log(`${messages} messages x 1 endpoint: accepted at ${(messages / ((accepted - started) / 1000)).toFixed(0)} msg/s, delivered at ${(messages / seconds).toFixed(0)}/s (${seconds.toFixed(1)} s)`);
    console.log("\n| process | idle RSS | peak RSS | at peak: anonymous | at peak: file-backed | CPU per message |\n| --- | --- | --- | --- | --- | --- |");
    for (const [pid, peak] of peaks) {
      const before = idle.get(pid);
      const perMessage = (cpuMs.get(pid) ?? 0) / messages;
      console.log(`| ${peak.name} (${pid}) | ${before ? mb(before.rssKb) : "-"} | ${mb(peak.rssKb)} | ${mb(peak.anonKb)} | ${mb(peak.fileKb)} | ${perMessage.toFixed(2)} ms |`);
    }
    const idleSum = [...idle.values()].reduce((s, r) => s + r.rssKb, 0);
    console.log(`| **sum** | ${mb(idleSum)} | **${mb(peakSumKb)}** (peak of the sum) | | | |`);
    if (v8Dir) {
      console.log("\n| process | rss | V8 heap used / total | of which code + bytecode | external | array buffers |\n| --- | --- | --- | --- | --- | --- |");
      for (const f of readdirSync(v8Dir).filter((n) => n.endsWith(".json"))) {
        const m = JSON.parse(readFileSync(path.join(v8Dir, f), "utf8")) as { rss: number; heapUsed: number; heapTotal: number; external: number; arrayBuffers: number; code: number; argv: string[] };
        const name = m.argv.find((a) => /scripts\/\w+\.ts$/.test(a))?.replace(/.*scripts\//, "") ?? m.argv.join(" ").slice(0, 40);
        const k = (b: number) => mb(b / 1024);
        console.log(`| ${name} (${f.replace(".json", "")}) | ${k(m.rss)} | ${k(m.heapUsed)} / ${k(m.heapTotal)} | ${k(m.code)} | ${k(m.external)} | ${k(m.arrayBuffers)} |`);
      }
    }
  } finally {
    server.kill("SIGTERM");
    await new Promise((r) => server.once("exit", r));
    await agent.close();
    await Promise.all(receivers.map((r) => r.close()));
    await db.$disconnect();
    await database.cleanup();
    rmSync(dataDir, { recursive: true, force: true });
    if (v8Dir) rmSync(v8Dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
