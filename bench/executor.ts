/**
 * `npm run bench:executor`: throughput and latency of the embedded executor on a throwaway
 * embedded PostgreSQL, driving functions through the real serve() handler on 127.0.0.1. As in
 * `npm start`, the executor is its own process (scripts/worker.ts) and the functions run in
 * another (this one). A loopback receiver runs in a third process.
 *
 * Rows, all in the same run:
 * - baseline: a plain keep-alive node:http POST loop to the receiver (same number in flight);
 * - a 2-step function (1,000 and 10,000 runs, sent 500 per send()): runs/s, send -> first step;
 *   its other baseline: the same two step bodies called directly;
 * - a 1-step function, the webhook-delivery shape (`step.run("attempt-1")` POSTs to the receiver);
 * - a steady stream of single sends (100 runs/s) of the 1-step function: send -> step start
 *   (~ the receiver's arrival) and send -> run COMPLETED in the database;
 * - small batches, the first-attempt shape: a `batchEvents` function (maxSize 100, as
 *   deliver-first-attempts) whose one step POSTs every event of its batch, fed one or two events
 *   per send (alternately, 100 sends/s): CPU of the executor process and of the serving process
 *   per delivery (/proc), runs per delivery, send -> POST p50/p99.
 *
 *   npm run bench:executor                    1,000 and 10,000 runs per batch row
 *   BENCH_RUNS=2000 npm run bench:executor    one size only
 *   BENCH_ROWS=small-batches ...              only these rows (batches, stream, small-batches)
 *   BENCH_SMALL_RATE=50 ...                   sends per second of the small-batch row (default 100)
 *   BENCH_PROFILE_DIR=/tmp/prof ...           also writes the worker's CPU profile there
 */
import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import http from "node:http";
import type { InngestFunction } from "inngest";
import pg from "pg";
import { createTestDatabase } from "../scripts/lib/test-database";
import { createTestClient, spawnWorker, startTestApp, TEST_EXECUTOR_KEY } from "../tests/helpers/executor-harness";

const SIZES = process.env.BENCH_RUNS ? [Number(process.env.BENCH_RUNS)] : [1_000, 10_000];
const ROWS = process.env.BENCH_ROWS?.split(",") ?? ["batches", "stream", "small-batches"];
const CONCURRENCY = 64;
const SEND_BATCH = 500;
const STREAM_RATE = 100;
const STREAM_SECONDS = 20;
const SMALL_BATCH_SECONDS = 15;
/** Sends per second of the small-batch row (BENCH_SMALL_RATE): lower it where the machine cannot keep up, or batches grow with the backlog. */
const SMALL_BATCH_RATE = Number(process.env.BENCH_SMALL_RATE ?? STREAM_RATE);
const BASELINE_POSTS = 5_000;
/** Every wait below is bounded by this. */
const TIME_LIMIT_MS = 300_000;

const firstStepAt = new Map<number, number>();
const sentAt = new Map<number, number>();
/** Function bodies that returned (the run completes right after), per function id. */
const returned = new Map<string, number>();
const countReturn = (functionId: string) => returned.set(functionId, (returned.get(functionId) ?? 0) + 1);

function stepOne(i: number) {
  firstStepAt.set(i, Date.now());
  return { i, attempt: 1 };
}
function stepTwo(previous: { i: number }) {
  return { i: previous.i, status: 200 };
}

function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const CLOCK_TICKS_PER_SECOND = 100;

/** CPU time (user + system, ms) a process has used so far, from /proc. */
function processCpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  // Fields after the command name (which may contain spaces); utime and stime are the 14th and 15th.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS_PER_SECOND;
}

/** A loopback receiver in its own process (so that it does not take CPU from serve()). */
async function startReceiverProcess(): Promise<{ url: string; child: ChildProcess }> {
  const code = `const s = require("node:http").createServer((q, r) => { q.resume(); q.on("end", () => r.end("ok")); });
    s.keepAliveTimeout = 30000; s.listen(0, "127.0.0.1", () => console.log(s.address().port));`;
  const child = spawn(process.execPath, ["-e", code], { stdio: ["ignore", "pipe", "inherit"] });
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout?.once("data", (c: Buffer) => resolve(Number(c.toString().trim())));
    child.once("exit", (c) => reject(new Error(`receiver exited with ${c}`)));
  });
  return { url: `http://127.0.0.1:${port}/hook`, child };
}

function post(url: string, agent: http.Agent, body: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: "POST", agent, headers: { "content-type": "application/json" } }, (res) => {
      res.resume();
      res.on("end", () => resolve(res.statusCode ?? 0));
    });
    req.on("error", reject);
    req.end(body);
  });
}

async function main() {
  const database = await createTestDatabase("bench");
  const pool = new pg.Pool({ connectionString: database.url, max: 5 });
  const receiver = await startReceiverProcess();
  const receiverAgent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  const { port, client } = await createTestClient("bench");
  const twoSteps = client.createFunction({ id: "two-steps", triggers: { event: "bench/two" } }, async ({ event, step }) => {
    const one = await step.run("one", () => stepOne(Number(event.data.i)));
    const two = await step.run("two", () => stepTwo(one));
    countReturn("bench-two-steps");
    return two;
  });
  const oneStep = client.createFunction({ id: "one-step", triggers: { event: "bench/one" } }, async ({ event, step }) => {
    const outcome = await step.run("attempt-1", async () => {
      stepOne(Number(event.data.i));
      return { status: await post(receiver.url, receiverAgent, JSON.stringify(event.data)) };
    });
    countReturn("bench-one-step");
    return outcome;
  });
  const firstAttempts = client.createFunction(
    { id: "first-attempts", triggers: { event: "bench/first" }, batchEvents: { maxSize: 100, timeout: "1s" } },
    async ({ events, step }) => {
      const statuses = await step.run("first-attempts", () =>
        Promise.all(
          events.map(async (e: { data: Record<string, unknown> }) => {
            stepOne(Number(e.data.i));
            return post(receiver.url, receiverAgent, JSON.stringify(e.data));
          }),
        ),
      );
      for (let k = 0; k < events.length; k++) countReturn("bench-first-attempts");
      return statuses.length;
    },
  );
  const app = await startTestApp({ port, client, functions: [twoSteps, oneStep, firstAttempts] as InngestFunction.Any[], pool });
  const worker = spawnWorker(
    {
      DATABASE_URL: database.url,
      EXECUTOR_APP_URL: `http://127.0.0.1:${port}`,
      EXECUTOR_KEY: TEST_EXECUTOR_KEY,
      EXECUTOR_CONCURRENCY: String(CONCURRENCY),
    },
    process.env.BENCH_PROFILE_DIR ? ["--cpu-prof", `--cpu-prof-dir=${process.env.BENCH_PROFILE_DIR}`] : [],
  );
  await worker.ready;
  let next = 0;

  const completedCount = async (functionId: string) =>
    (await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM executor_runs WHERE function_id = $1 AND status = 'COMPLETED'`, [functionId])).rows[0].n;

  /**
   * Sends `size` events in batches, waits for all runs to complete; returns runs/s and latencies.
   * Waits on an in-memory count first: polling count(*) while runs go on would load PostgreSQL.
   */
  async function batchRow(name: string, functionId: string, size: number) {
    const before = await completedCount(functionId);
    const returnedBefore = returned.get(functionId) ?? 0;
    firstStepAt.clear();
    sentAt.clear();
    const start = Date.now();
    const ids: number[] = [];
    for (let sent = 0; sent < size; sent += SEND_BATCH) {
      const batch = Array.from({ length: Math.min(SEND_BATCH, size - sent) }, () => next++);
      const t = Date.now();
      for (const i of batch) sentAt.set(i, t);
      ids.push(...batch);
      await client.send(batch.map((i) => ({ name, data: { i } })));
    }
    while ((returned.get(functionId) ?? 0) - returnedBefore < size && Date.now() - start < TIME_LIMIT_MS) await sleep(5);
    let done = 0;
    while ((done = (await completedCount(functionId)) - before) < size && Date.now() - start < TIME_LIMIT_MS) await sleep(5);
    const elapsed = (Date.now() - start) / 1000;
    const latencies = ids.filter((i) => firstStepAt.has(i)).map((i) => firstStepAt.get(i)! - sentAt.get(i)!);
    return { done, elapsed, rate: done / elapsed, p50: percentile(latencies, 50), p99: percentile(latencies, 99) };
  }

  try {
    console.log(`embedded executor benchmark: one executor process (concurrency ${CONCURRENCY}), throwaway embedded PostgreSQL (fsync off), node ${process.version}\n`);

    if (ROWS.includes("batches")) {
      // Baseline for the delivery shape: plain keep-alive POSTs to the same receiver, same in flight.
      for (let i = 0; i < 500; i++) await post(receiver.url, receiverAgent, "{}");
      const p0 = Date.now();
      let posted = 0;
      await Promise.all(
        Array.from({ length: CONCURRENCY }, async () => {
          while (posted < BASELINE_POSTS && Date.now() - p0 < TIME_LIMIT_MS) {
            posted++;
            await post(receiver.url, receiverAgent, JSON.stringify({ i: posted }));
          }
        }),
      );
      const plainRate = posted / ((Date.now() - p0) / 1000);
      console.log(`baseline: plain node:http keep-alive POST loop, ${CONCURRENCY} in flight: ${plainRate.toFixed(0)} req/s\n`);

      for (const size of SIZES) {
        const b0 = performance.now();
        for (let i = 0; i < size; i++) stepTwo(stepOne(-1 - i));
        const baselineMs = performance.now() - b0;
        const two = await batchRow("bench/two", "bench-two-steps", size);
        console.log(`2-step, ${size.toLocaleString("en")} runs: ${two.done} completed in ${two.elapsed.toFixed(1)} s = ${two.rate.toFixed(0)} runs/s; send -> first step p50 ${two.p50} ms, p99 ${two.p99} ms (queueing included)`);
        console.log(`  baseline (step bodies called directly): ${baselineMs.toFixed(2)} ms; executor/baseline time ratio ${((two.elapsed * 1000) / baselineMs).toFixed(0)}x`);
        const one = await batchRow("bench/one", "bench-one-step", size);
        console.log(`1-step (POST to receiver), ${size.toLocaleString("en")} runs: ${one.done} completed in ${one.elapsed.toFixed(1)} s = ${one.rate.toFixed(0)} runs/s; send -> step p50 ${one.p50} ms, p99 ${one.p99} ms (queueing included)`);
        console.log(`  vs plain POST loop: ${(one.rate / plainRate).toFixed(3)}x\n`);
      }
    }
    if (ROWS.includes("stream")) {
      // A steady stream of single sends, scheduled against the start time so that it does not drift.
      firstStepAt.clear();
      sentAt.clear();
      const streamIds: number[] = [];
      const total = STREAM_RATE * STREAM_SECONDS;
      const s0 = Date.now();
      const sends: Promise<unknown>[] = [];
      for (let k = 0; k < total && Date.now() - s0 < TIME_LIMIT_MS; k++) {
        const due = s0 + (k * 1000) / STREAM_RATE;
        if (due > Date.now()) await sleep(due - Date.now());
        const i = next++;
        streamIds.push(i);
        sentAt.set(i, Date.now());
        sends.push(client.send({ name: "bench/one", data: { i } }));
      }
      await Promise.all(sends);
      const sendSeconds = (Date.now() - s0) / 1000;
      const ended = new Map<number, number>();
      const streamStart = new Date(s0);
      while (ended.size < streamIds.length && Date.now() - s0 < TIME_LIMIT_MS) {
        const { rows } = await pool.query<{ i: number; ended_at: Date }>(
          `SELECT (e.data->>'i')::int AS i, r.ended_at FROM executor_runs r JOIN executor_events e ON e.id = r.event_id
           WHERE r.function_id = 'bench-one-step' AND r.status = 'COMPLETED' AND e.received_at >= $1`,
          [streamStart],
        );
        for (const r of rows) ended.set(r.i, r.ended_at.getTime());
        if (ended.size < streamIds.length) await sleep(100);
      }
      const toStep = streamIds.filter((i) => firstStepAt.has(i)).map((i) => firstStepAt.get(i)! - sentAt.get(i)!);
      const toEnd = streamIds.filter((i) => ended.has(i)).map((i) => ended.get(i)! - sentAt.get(i)!);
      console.log(`steady stream, 1-step (POST to receiver): ${streamIds.length} single sends at ${(streamIds.length / sendSeconds).toFixed(0)}/s, ${ended.size} completed`);
      console.log(`  send -> step start p50 ${percentile(toStep, 50)} ms, p99 ${percentile(toStep, 99)} ms; send -> run completed p50 ${percentile(toEnd, 50)} ms, p99 ${percentile(toEnd, 99)} ms`);
    }
    if (ROWS.includes("small-batches")) {
      // Small batches: one or two events per send (alternately), the first-attempt shape. A warm-up
      // first, so that the row does not measure a fresh worker's first requests.
      const sendSmall = (batch: number[]) => client.send(batch.map((i) => ({ name: "bench/first", data: { i } })));
      const warmUp = Array.from({ length: 200 }, () => next++);
      const warmed = returned.get("bench-first-attempts") ?? 0;
      for (const i of warmUp) await sendSmall([i]);
      while ((returned.get("bench-first-attempts") ?? 0) - warmed < warmUp.length) await sleep(5);
      await sleep(1_000);
      firstStepAt.clear();
      sentAt.clear();
      const smallIds: number[] = [];
      const smallBefore = returned.get("bench-first-attempts") ?? 0;
      const { rows: runsBefore } = await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM executor_runs WHERE function_id = 'bench-first-attempts'`);
      const transactions = async () =>
        (await pool.query<{ n: string }>(`SELECT xact_commit + xact_rollback AS n FROM pg_stat_database WHERE datname = current_database()`)).rows[0].n;
      const transactions0 = Number(await transactions());
      const workerCpu0 = processCpuMs(worker.child.pid!);
      const serveCpu0 = process.cpuUsage();
      const b0 = Date.now();
      const smallSends: Promise<unknown>[] = [];
      for (let k = 0; k < SMALL_BATCH_RATE * SMALL_BATCH_SECONDS && Date.now() - b0 < TIME_LIMIT_MS; k++) {
        const due = b0 + (k * 1000) / SMALL_BATCH_RATE;
        if (due > Date.now()) await sleep(due - Date.now());
        const batch = Array.from({ length: 1 + (k % 2) }, () => next++);
        const t = Date.now();
        for (const i of batch) sentAt.set(i, t);
        smallIds.push(...batch);
        smallSends.push(sendSmall(batch));
      }
      await Promise.all(smallSends);
      while ((returned.get("bench-first-attempts") ?? 0) - smallBefore < smallIds.length && Date.now() - b0 < TIME_LIMIT_MS) await sleep(5);
      // The runs complete right after their bodies return.
      await sleep(200);
      const workerCpu = processCpuMs(worker.child.pid!) - workerCpu0;
      const serveUsage = process.cpuUsage(serveCpu0);
      const serveCpu = (serveUsage.user + serveUsage.system) / 1000;
      const { rows: runsAfter } = await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM executor_runs WHERE function_id = 'bench-first-attempts'`);
      // PostgreSQL publishes its transaction counts within a second; every statement outside a transaction is one.
      await sleep(1_500);
      const transactionCount = Number(await transactions()) - transactions0;
      const delivered = smallIds.filter((i) => firstStepAt.has(i)).length;
      const toPost = smallIds.filter((i) => firstStepAt.has(i)).map((i) => firstStepAt.get(i)! - sentAt.get(i)!);
      console.log(
        `\nsmall batches (batchEvents maxSize 100, one step POSTing each event), 1 or 2 events per send at ${SMALL_BATCH_RATE} sends/s for ${SMALL_BATCH_SECONDS} s: ${delivered} of ${smallIds.length} delivered in ${runsAfter[0].n - runsBefore[0].n} runs`,
      );
      console.log(
        `  executor process CPU ${(workerCpu / delivered).toFixed(3)} ms per delivery (${(workerCpu / (runsAfter[0].n - runsBefore[0].n)).toFixed(2)} ms per run); serving process (serve() + the send loop) ${(serveCpu / delivered).toFixed(3)} ms per delivery; send -> POST p50 ${percentile(toPost, 50)} ms, p99 ${percentile(toPost, 99)} ms`,
      );
      console.log(`  database transactions (statements outside a transaction count one each, sends included) per delivery: ${(transactionCount / delivered).toFixed(2)}`);
    }
  } finally {
    await new Promise((resolve) => {
      worker.child.once("exit", resolve);
      worker.child.kill("SIGTERM");
    });
    receiver.child.kill("SIGTERM");
    receiverAgent.destroy();
    await app.close();
    await pool.end();
    await database.cleanup();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
