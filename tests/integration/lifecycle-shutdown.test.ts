import type { ChildProcess } from "node:child_process";
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from "vitest";
import { inngest } from "@/inngest/client";
import { db } from "@/lib/db";
import { sendEvent } from "@/lib/messages/send-event";
import { contractCreated, orgWithEndpoint } from "@/tests/helpers/delivery-harness";
import { createExecutorDatabase, spawnWorker, startTestApp, TEST_EXECUTOR_KEY, waitFor, type ExecutorDatabase, type TestApp } from "@/tests/helpers/executor-harness";
import { startReceiver, type Receiver, type ReceiverMode } from "@/tests/helpers/receiver";
import { ensureCatalog, setTestEncryptionKey } from "@/tests/helpers/webhooks-factories";

/**
 * Stopping a delivery worker (`npm run worker`, scripts/worker.ts) with SIGTERM, as a service
 * manager does: requests in flight get WEBHOOK_ATTEMPT_TIMEOUT_MS + 5 s (docs/executor.md), then
 * what is still running is handed back at once, so another worker takes it without waiting out the
 * lease. Workers run the functions themselves (EXECUTOR_SERVE=local, the production default).
 */

const ATTEMPT_TIMEOUT_MS = 2_000;
/** scripts/worker.ts: `executor.stop(attemptTimeoutMs + 5_000)`. */
const STOP_GRACE_MS = ATTEMPT_TIMEOUT_MS + 5_000;
/** After the grace: the last writes, closing the pools, exiting. Generous for a loaded machine. */
const EXIT_ALLOWANCE_MS = 5_000;
/** Far longer than anything these tests wait: a run taken over only once its lease expired fails them. */
const LEASE_MS = 120_000;
const POLL_MS = 200;
const WAIT_MS = 1_000;
/** A fresh worker's first delivery loads the SDK handler and Prisma's engine: never inside a timed bound. */
const COLD_MS = 60_000;

let database: ExecutorDatabase;
let app: TestApp;
const receivers: Receiver[] = [];
const children: ChildProcess[] = [];

beforeAll(async () => {
  setTestEncryptionKey();
  database = await createExecutorDatabase(inject("adminDatabaseUrl"), "lifecycle_shutdown");
  process.env.DATABASE_URL = database.url;
  await ensureCatalog();
  // Serves no function: only the workers can deliver.
  app = await startTestApp({ port: Number(process.env.TEST_APP_PORT), client: inngest, functions: [], pool: database.pool });
}, 60_000);

afterEach(async () => {
  await Promise.all(children.splice(0).map((c) => kill(c)));
});

afterAll(async () => {
  await Promise.all(receivers.map((r) => r.close()));
  await app?.close();
  await db.$disconnect();
  await database?.cleanup();
});

let workers = 0;

/** A worker process; its database sessions carry `name` as their application_name. */
function worker() {
  const name = `lifecycle-worker-${++workers}`;
  const spawned = spawnWorker({
    PGAPPNAME: name,
    DATABASE_URL: database.url,
    APP_ENCRYPTION_KEY: process.env.APP_ENCRYPTION_KEY!,
    EXECUTOR_APP_URL: `http://127.0.0.1:${app.port}`,
    EXECUTOR_KEY: TEST_EXECUTOR_KEY,
    EXECUTOR_SERVE: "local",
    EXECUTOR_LEASE_MS: String(LEASE_MS),
    EXECUTOR_POLL_MS: String(POLL_MS),
    WEBHOOK_RETRY_SCHEDULE: `${WAIT_MS}ms`,
    WEBHOOK_ATTEMPT_TIMEOUT_MS: String(ATTEMPT_TIMEOUT_MS),
  });
  children.push(spawned.child);
  const exited = new Promise<{ code: number | null; at: number }>((resolve) => spawned.child.once("exit", (code) => resolve({ code, at: Date.now() })));
  return { ...spawned, name, exited };
}

function kill(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once("exit", () => resolve());
    child.kill("SIGCONT");
    child.kill("SIGKILL");
  });
}

async function receiver(mode: ReceiverMode) {
  const r = await startReceiver({ mode });
  receivers.push(r);
  return r;
}

async function send(org: { id: string }, n = 1) {
  const result = await sendEvent({ id: org.id, webhooksEnabled: true }, contractCreated(n));
  if (!result.ok) throw new Error(result.message);
  return result.message.id;
}

const attemptsOf = (messageId: string) => db.attempt.findMany({ where: { messageId }, orderBy: { attemptNumber: "asc" } });
const deliveryOf = (messageId: string) => db.delivery.findFirstOrThrow({ where: { messageId } });

interface RunState {
  id: string;
  status: string;
  lease_token: string | null;
  leased_by: string | null;
  wake_at: Date | null;
}

/** The run making the message's first attempt (a batch run whose events include the message's). */
async function runOf(messageId: string): Promise<RunState> {
  const { rows } = await database.pool.query<RunState>(
    `SELECT r.id, r.status, r.lease_token, r.leased_by, r.wake_at FROM executor_runs r JOIN executor_events e ON e.id = ANY (coalesce(r.batch_event_ids, ARRAY[r.event_id]))
      WHERE r.function_id LIKE '%deliver-first-attempts' AND e.data->>'messageId' = $1`,
    [messageId],
  );
  if (rows.length !== 1) throw new Error(`${rows.length} first-attempt runs for ${messageId}`);
  return rows[0]!;
}

/** Whether a session of worker `name` waits on a lock `lockerPid` holds (read outside any transaction). */
async function blockedBy(name: string, lockerPid: number): Promise<boolean> {
  const { rows } = await database.pool.query<{ blocked: boolean }>(
    `SELECT $2::int = ANY (pg_blocking_pids(pid)) AS blocked FROM pg_stat_activity WHERE application_name = $1`,
    [name, lockerPid],
  );
  return rows.some((r) => r.blocked);
}

describe("a delivery worker stopped with SIGTERM", () => {
  it("against a receiver that never answers: the attempt times out and is recorded, and the worker exits 0 within the attempt timeout + 5 s", async () => {
    const r = await receiver({ kind: "hold" });
    const { org } = await orgWithEndpoint(`${r.url}/hook`);
    const a = worker();
    await a.ready;
    const messageId = await send(org);
    await r.waitForRequests(1, COLD_MS);

    const signalled = Date.now();
    a.child.kill("SIGTERM");
    const exit = await a.exited;
    expect(exit.code).toBe(0);
    expect(exit.at - signalled).toBeLessThan(STOP_GRACE_MS + EXIT_ALLOWANCE_MS);
    const [attempt] = await attemptsOf(messageId);
    expect(attempt).toMatchObject({ attemptNumber: 1, succeeded: false, statusCode: null });
    expect(a.output()).toContain("stopping");
  }, 2 * COLD_MS);

  it("with a step still running at the end of the grace: the worker exits after it, hands the run back at once, and another worker takes it over long before the lease would expire", async () => {
    const r = await receiver({ kind: "sequence", modes: [{ kind: "hold" }, { kind: "status", status: 200 }] });
    const warm = await receiver({ kind: "status", status: 200 });
    const { org } = await orgWithEndpoint(`${r.url}/hook`);
    const warmOrg = await orgWithEndpoint(`${warm.url}/hook`);

    // Worker B, warmed up by a first delivery so that no cold start falls inside a timed bound, then
    // paused (SIGSTOP): worker A alone claims the next run.
    const b = worker();
    await b.ready;
    await send(warmOrg.org, 2);
    await warm.waitForRequests(1, COLD_MS);
    await waitFor("B's warm-up delivery to end", async () => (await db.delivery.count({ where: { organizationId: warmOrg.org.id, status: "SUCCEEDED" } })) === 1, COLD_MS, 50);
    b.child.kill("SIGSTOP");

    const a = worker();
    await a.ready;
    const messageId = await send(org);
    await r.waitForRequests(1, COLD_MS);
    const { id: deliveryId } = await deliveryOf(messageId);

    // Hold the delivery's row: A's attempt times out, and recording it waits on this lock, so A's
    // step is still running when its grace ends.
    const locker = await database.pool.connect();
    let exit: { code: number | null; at: number };
    let signalled: number;
    try {
      const lockerPid = (await locker.query<{ pid: number }>("SELECT pg_backend_pid() AS pid")).rows[0]!.pid;
      await locker.query("BEGIN");
      await locker.query(`SELECT 1 FROM "Delivery" WHERE id = $1 FOR UPDATE`, [deliveryId]);
      await waitFor("A to wait on the delivery's row", () => blockedBy(a.name, lockerPid), COLD_MS, 50);
      expect((await runOf(messageId)).leased_by).toContain(`:${a.child.pid}:`);

      signalled = Date.now();
      a.child.kill("SIGTERM");
      exit = await a.exited;
      // PostgreSQL would still run a dead client's statement once the lock frees: end A's sessions, as its exit does in time.
      await database.pool.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1", [a.name]);
      await locker.query("ROLLBACK");
    } finally {
      locker.release(true);
    }
    expect(exit.code).toBe(0);
    // The grace is given in full to the step in flight, and the exit follows it.
    expect(exit.at - signalled).toBeGreaterThanOrEqual(STOP_GRACE_MS - 50);
    expect(exit.at - signalled).toBeLessThan(STOP_GRACE_MS + EXIT_ALLOWANCE_MS);

    // Handed back: runnable now, no lease left (B is still paused, so nobody took it yet).
    const handedBack = await runOf(messageId);
    expect(handedBack).toMatchObject({ status: "QUEUED", lease_token: null, leased_by: null });
    expect(handedBack.wake_at!.getTime()).toBeLessThanOrEqual(Date.now());
    expect(await attemptsOf(messageId)).toEqual([]);

    const resumed = Date.now();
    b.child.kill("SIGCONT");
    const [, again] = await r.waitForRequests(2, LEASE_MS / 2);
    expect(again!.receivedAt - resumed).toBeLessThan(LEASE_MS / 4);
    expect(again!.headers["webhook-id"]).toBe(messageId);
    const delivered = await waitFor("the delivery to succeed", async () => {
      const d = await deliveryOf(messageId);
      return d.status === "SUCCEEDED" ? d : undefined;
    }, LEASE_MS / 4, 50);
    expect(delivered.attemptCount).toBe(1);
    const done = await waitFor("B to complete the run", async () => {
      const run = await runOf(messageId);
      return run.status === "COMPLETED" ? run : undefined;
    }, LEASE_MS / 4, 50);
    expect(done.leased_by).toContain(`:${b.child.pid}:`);
  }, 4 * COLD_MS);
});
