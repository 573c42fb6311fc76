import net from "node:net";
import type { ChildProcess } from "node:child_process";
import type { InngestFunction } from "inngest";
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from "vitest";
import { freePort } from "@/scripts/lib/test-database";
import {
  createExecutorDatabase,
  createTestClient,
  runsOf,
  spawnWorker,
  startTestApp,
  TEST_EXECUTOR_KEY,
  waitFor,
  type ExecutorDatabase,
  type TestApp,
} from "@/tests/helpers/executor-harness";

/**
 * Executor processes (`scripts/worker.ts`, spawned with tsx) against one database; the functions
 * run in this process behind the real serve handler and record every step body they execute in
 * the database.
 */

const APP = "workers";
const LEASE_MS = 1_000;
const POLL_MS = 200;
const SLOW_STEP_MS = 1_500;
/** Claim once the lease is gone, then run the slow step again; four times that as an allowance for a loaded machine. */
const TAKEOVER_BOUND_MS = 4 * (LEASE_MS + POLL_MS + SLOW_STEP_MS);
/** Enough runs that both workers contend for every claim, few enough to finish on a loaded machine. */
const RUNS = 200;
/** Allowance for starting worker processes on a loaded machine; no timed claim includes it. */
const COLD_MS = 60_000;
let database: ExecutorDatabase;
let app: TestApp;
const children: ChildProcess[] = [];

const { port, client } = await createTestClient(APP);

async function effect(runId: string, step: string) {
  await database.pool.query(`INSERT INTO executor_test_effects (run_id, step) VALUES ($1, $2)`, [runId, step]);
}

async function effects(step?: string): Promise<number> {
  const { rows } = await database.pool.query(
    `SELECT count(*)::int AS n FROM executor_test_effects WHERE $1::text IS NULL OR step = $1`,
    [step ?? null],
  );
  return rows[0].n;
}

const functions: InngestFunction.Any[] = [
  client.createFunction({ id: "resumable", triggers: { event: "test/resumable" } }, async ({ runId, step }) => {
    await step.run("a", () => effect(runId, "resumable-a"));
    await step.sleep("nap", "2s");
    await step.run("b", () => effect(runId, "resumable-b"));
  }),
  client.createFunction({ id: "slow", triggers: { event: "test/slow" } }, async ({ runId, step }) => {
    await step.run("done-first", () => effect(runId, "slow-first"));
    await step.run("slow", async () => {
      await effect(runId, "slow-start");
      await new Promise((r) => setTimeout(r, SLOW_STEP_MS));
    });
  }),
  client.createFunction({ id: "three", triggers: { event: "test/three" } }, async ({ runId, step }) => {
    await step.run("s1", () => effect(runId, "s1"));
    await step.run("s2", () => effect(runId, "s2"));
    await step.run("s3", () => effect(runId, "s3"));
  }),
];

function worker(extra: Record<string, string> = {}) {
  const spawned = spawnWorker({
    DATABASE_URL: database.url,
    EXECUTOR_APP_URL: `http://127.0.0.1:${port}`,
    EXECUTOR_KEY: TEST_EXECUTOR_KEY,
    EXECUTOR_LEASE_MS: String(LEASE_MS),
    EXECUTOR_POLL_MS: String(POLL_MS),
    ...extra,
  });
  children.push(spawned.child);
  return spawned;
}

function kill(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once("exit", () => resolve());
    child.kill(signal);
  });
}

beforeAll(async () => {
  database = await createExecutorDatabase(inject("adminDatabaseUrl"), "exec_workers");
  await database.pool.query(`CREATE TABLE executor_test_effects (run_id text NOT NULL, step text NOT NULL)`);
  app = await startTestApp({ port, client, functions, pool: database.pool });
});

afterEach(async () => {
  await Promise.all(children.splice(0).map((c) => kill(c, "SIGKILL")));
});

afterAll(async () => {
  await app?.close();
  await database?.cleanup();
});

describe("executor processes", () => {
  it("resumes a sleeping run in another process after the first is SIGKILLed; no completed step runs twice", async () => {
    const a = worker();
    await a.ready;
    await client.send({ name: "test/resumable", data: {} });
    await waitFor("run asleep", async () => (await runsOf(database.pool, `${APP}-resumable`))[0]?.status === "SLEEPING", COLD_MS);
    await kill(a.child, "SIGKILL");
    const b = worker();
    await b.ready;
    const [run] = await waitFor("run completed by B", async () => {
      const runs = await runsOf(database.pool, `${APP}-resumable`);
      return runs[0]?.status === "COMPLETED" ? runs : undefined;
    }, COLD_MS);
    expect(run.status).toBe("COMPLETED");
    expect(await effects("resumable-a")).toBe(1);
    expect(await effects("resumable-b")).toBe(1);
  }, 3 * COLD_MS);

  it("takes over a run whose worker died mid-step once its lease expires (seconds)", async () => {
    const a = worker();
    await a.ready;
    await client.send({ name: "test/slow", data: {} });
    await waitFor("slow step started", async () => (await effects("slow-start")) === 1, COLD_MS);
    await kill(a.child, "SIGKILL");
    // A cold worker start (tsx, the SDK, Prisma) is not part of the takeover: time it from B's start.
    const b = worker();
    await b.ready;
    const readyAt = Date.now();
    await waitFor("run completed by B", async () => (await runsOf(database.pool, `${APP}-slow`))[0]?.status === "COMPLETED", 2 * TAKEOVER_BOUND_MS);
    expect(Date.now() - readyAt).toBeLessThan(TAKEOVER_BOUND_MS);
    // The step in flight when A died runs again (at-least-once); the completed one does not.
    expect(await effects("slow-start")).toBe(2);
    expect(await effects("slow-first")).toBe(1);
  }, 3 * COLD_MS);

  it("a standalone worker with METRICS_TOKEN and METRICS_PORT serves its own /metrics (process=\"worker\") and counts the lease it took over", async () => {
    const startsBefore = await effects("slow-start");
    const a = worker();
    await a.ready;
    await client.send({ name: "test/slow", data: {} });
    await waitFor("slow step started", async () => (await effects("slow-start")) === startsBefore + 1, COLD_MS);
    await kill(a.child, "SIGKILL");
    const token = "worker-metrics-token-0123456789";
    const metricsPort = await freePort();
    const b = worker({ METRICS_TOKEN: token, METRICS_PORT: String(metricsPort) });
    await b.ready;
    const scrape = async (authorization?: string) => fetch(`http://127.0.0.1:${metricsPort}/metrics`, { headers: authorization ? { authorization } : {} });
    const expiries = async () => {
      const text = await (await scrape(`Bearer ${token}`)).text();
      return Number(/^hookrelay_executor_lease_expiries_total\{process="worker"\} (\S+)$/m.exec(text)?.[1] ?? Number.NaN);
    };
    await waitFor("the metrics port to answer", () => scrape().catch(() => undefined), COLD_MS);
    expect((await scrape()).status).toBe(401);
    await waitFor("run completed by B", async () => (await runsOf(database.pool, `${APP}-slow`)).every((r) => r.status === "COMPLETED"), 2 * TAKEOVER_BOUND_MS);
    expect(await expiries()).toBe(1);
    const text = await (await scrape(`Bearer ${token}`)).text();
    expect(text).toMatch(/^hookrelay_process_resident_memory_bytes\{process="worker"\} \d/m);
  }, 3 * COLD_MS);

  it("a standalone worker whose METRICS_PORT is taken stops at start with the reason (exit 1), before it claims anything", async () => {
    const taken = net.createServer();
    await new Promise<void>((resolve) => taken.listen(0, "127.0.0.1", () => resolve()));
    const takenPort = (taken.address() as net.AddressInfo).port;
    try {
      const w = worker({ METRICS_TOKEN: "worker-metrics-token-0123456789", METRICS_PORT: String(takenPort) });
      const code = await new Promise<number | null>((resolve) => w.child.once("exit", (c) => resolve(c)));
      await w.ready.catch(() => {});
      expect(code).toBe(1);
      expect(w.output()).toContain(`METRICS_PORT ${takenPort} is in use by another process`);
      expect(w.output()).not.toContain("started:");
    } finally {
      await new Promise<void>((resolve) => taken.close(() => resolve()));
    }
  }, COLD_MS);

  it(`two workers complete ${RUNS} runs of a 3-step function, each step body exactly once`, async () => {
    const workers = [worker(), worker()];
    await Promise.all(workers.map((w) => w.ready));
    const started = Date.now();
    await client.send(Array.from({ length: RUNS }, (_, i) => ({ name: "test/three", data: { i } })));
    await waitFor(`${RUNS} runs completed`, async () => {
      const { rows } = await database.pool.query(
        `SELECT count(*)::int AS n FROM executor_runs WHERE function_id = $1 AND status = 'COMPLETED'`,
        [`${APP}-three`],
      );
      return rows[0].n === RUNS;
    }, 5 * COLD_MS, 100);
    const elapsed = Date.now() - started;
    const { rows: dupes } = await database.pool.query(
      `SELECT run_id, step FROM executor_test_effects WHERE step IN ('s1', 's2', 's3') GROUP BY run_id, step HAVING count(*) > 1`,
    );
    expect(dupes).toEqual([]);
    for (const step of ["s1", "s2", "s3"]) expect(await effects(step)).toBe(RUNS);
    const { rows: byWorker } = await database.pool.query(
      `SELECT leased_by, count(*)::int AS n FROM executor_runs WHERE function_id = $1 GROUP BY leased_by`,
      [`${APP}-three`],
    );
    expect(byWorker).toHaveLength(2);
    console.log(`${RUNS} runs x 3 steps on two workers: ${elapsed} ms; runs per worker: ${byWorker.map((w) => w.n).join(", ")}`);
  }, 8 * COLD_MS);
});
