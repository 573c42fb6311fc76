/**
 * `npm run bench:executor`: throughput and latency of the embedded executor on a throwaway
 * embedded PostgreSQL, driving a 2-step function through the real serve() handler on 127.0.0.1.
 * As in `npm start`, the executor is its own process (scripts/worker.ts) and the functions run
 * in another (this one). Baseline: the same two step bodies called directly.
 *
 *   npm run bench:executor                 1,000 and 10,000 runs
 *   BENCH_RUNS=1000 npm run bench:executor  one size only
 */
import { performance } from "node:perf_hooks";
import type { InngestFunction } from "inngest";
import { createTestDatabase } from "../scripts/lib/test-database";
import { createTestClient, spawnWorker, startTestApp, TEST_EXECUTOR_KEY } from "../tests/helpers/executor-harness";
import pg from "pg";

const SIZES = process.env.BENCH_RUNS ? [Number(process.env.BENCH_RUNS)] : [1_000, 10_000];
const SEND_BATCH = 500;
const LATENCY_SAMPLES = 200;
const LATENCY_INTERVAL_MS = 20;
const TIME_LIMIT_MS = 300_000;

const firstStepAt = new Map<number, number>();
const sentAt = new Map<number, number>();
let completed = 0;

/** The step bodies: cheap and the same in the executor and the baseline. */
function stepOne(i: number) {
  firstStepAt.set(i, performance.now());
  return { i, attempt: 1 };
}
function stepTwo(previous: { i: number }) {
  return { i: previous.i, status: 200 };
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function main() {
  const database = await createTestDatabase("bench");
  const pool = new pg.Pool({ connectionString: database.url, max: 5 });
  const { port, client } = await createTestClient("bench");
  const fn = client.createFunction({ id: "two-steps", triggers: { event: "bench/run" } }, async ({ event, step }) => {
    const one = await step.run("one", () => stepOne(Number(event.data.i)));
    const two = await step.run("two", () => stepTwo(one));
    completed++;
    return two;
  });
  const app = await startTestApp({ port, client, functions: [fn as InngestFunction.Any], pool });
  const worker = spawnWorker({
    DATABASE_URL: database.url,
    EXECUTOR_APP_URL: `http://127.0.0.1:${port}`,
    EXECUTOR_KEY: TEST_EXECUTOR_KEY,
    EXECUTOR_CONCURRENCY: "64",
  }, process.env.BENCH_PROFILE_DIR ? ["--cpu-prof", `--cpu-prof-dir=${process.env.BENCH_PROFILE_DIR}`] : []);
  await worker.ready;
  worker.child.stdout?.on("data", (c: Buffer) => { if (c.toString().includes("QUERYCOUNTS")) console.log(c.toString()); });
  let next = 0;
  try {
    console.log("embedded executor benchmark: 2-step function, one executor process (concurrency 64), throwaway embedded PostgreSQL (fsync off)\n");
    for (const size of SIZES) {
      // Baseline: the same step bodies called directly, same process, same run.
      const b0 = performance.now();
      for (let i = 0; i < size; i++) stepTwo(stepOne(-1 - i));
      const baselineMs = performance.now() - b0;

      firstStepAt.clear();
      sentAt.clear();
      completed = 0;
      const start = performance.now();
      const ids: number[] = [];
      for (let sent = 0; sent < size; sent += SEND_BATCH) {
        const batch = Array.from({ length: Math.min(SEND_BATCH, size - sent) }, () => next++);
        const t = performance.now();
        for (const i of batch) sentAt.set(i, t);
        ids.push(...batch);
        await client.send(batch.map((i) => ({ name: "bench/run", data: { i } })));
      }
      while (completed < size && performance.now() - start < TIME_LIMIT_MS) await new Promise((r) => setTimeout(r, 5));
      const elapsed = performance.now() - start;
      const latencies = ids.filter((i) => firstStepAt.has(i)).map((i) => firstStepAt.get(i)! - sentAt.get(i)!);
      console.log(`${size.toLocaleString("en")} runs (sent in batches of ${SEND_BATCH}): ${completed} completed in ${(elapsed / 1000).toFixed(1)} s`);
      console.log(`  throughput ${(completed / (elapsed / 1000)).toFixed(0)} runs/s; send -> first step p50 ${percentile(latencies, 50).toFixed(0)} ms, p99 ${percentile(latencies, 99).toFixed(0)} ms (queueing included)`);
      console.log(`  baseline (step bodies called directly): ${baselineMs.toFixed(2)} ms = ${(size / (baselineMs / 1000)).toFixed(0)} runs/s; executor/baseline time ratio ${(elapsed / baselineMs).toFixed(0)}x\n`);
    }

    // Latency without a backlog: one event per send, spaced out.
    firstStepAt.clear();
    const latencyIds: number[] = [];
    const l0 = performance.now();
    for (let k = 0; k < LATENCY_SAMPLES; k++) {
      const i = next++;
      latencyIds.push(i);
      sentAt.set(i, performance.now());
      await client.send({ name: "bench/run", data: { i } });
      await new Promise((r) => setTimeout(r, LATENCY_INTERVAL_MS));
    }
    while (latencyIds.some((i) => !firstStepAt.has(i)) && performance.now() - l0 < 30_000) await new Promise((r) => setTimeout(r, 5));
    const single = latencyIds.filter((i) => firstStepAt.has(i)).map((i) => firstStepAt.get(i)! - sentAt.get(i)!);
    const b1 = performance.now();
    stepOne(-1);
    const baselineLatency = performance.now() - b1;
    console.log(`${LATENCY_SAMPLES} single sends, one every ${LATENCY_INTERVAL_MS} ms: send -> first step p50 ${percentile(single, 50).toFixed(1)} ms, p99 ${percentile(single, 99).toFixed(1)} ms (baseline direct call ${baselineLatency.toFixed(3)} ms)`);
  } finally {
    await new Promise((resolve) => {
      worker.child.once("exit", resolve);
      worker.child.kill("SIGTERM");
    });
    await app.close();
    await pool.end();
    await database.cleanup();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
