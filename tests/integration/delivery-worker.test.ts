import type { ChildProcess } from "node:child_process";
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from "vitest";
import { inngest } from "@/inngest/client";
import { db } from "@/lib/db";
import { createEndpoint } from "@/lib/endpoints/endpoints";
import { sendEvent } from "@/lib/messages/send-event";
import { endpointConfigSchema } from "@/lib/validations/endpoint";
import { contractCreated, orgWithEndpoint } from "@/tests/helpers/delivery-harness";
import {
  createExecutorDatabase,
  spawnWorker,
  startTestApp,
  TEST_EXECUTOR_KEY,
  waitFor,
  type ExecutorDatabase,
  type TestApp,
} from "@/tests/helpers/executor-harness";
import { startReceiver, type Receiver, type ReceiverMode } from "@/tests/helpers/receiver";
import { quietAfterMarker } from "@/tests/helpers/run-barrier";
import { createTestCertificates, type TestCertificates } from "@/tests/helpers/test-ca";
import { ensureCatalog, setTestEncryptionKey } from "@/tests/helpers/webhooks-factories";

/**
 * Deliveries run by `npm run worker` processes configured as in production: EXECUTOR_SERVE=local
 * (the default), so step bodies, i.e. the webhook POSTs, run inside the worker. The test app here
 * only ingests events: it serves no function, so nothing can be delivered but by a worker.
 */

const WAIT_MS = 1_000;
/**
 * The production default. A worker whose own lease runs out while its request is in flight (its
 * renewals stalled) lets the run be claimed again, which repeats the step: a lease much shorter
 * than the longest stall of a loaded machine makes "at most twice" untrue.
 */
const LEASE_MS = 5_000;
const POLL_MS = 200;
const ATTEMPT_TIMEOUT_MS = 10_000;
/** After a worker is ready: its lease runs out, a poll notices, the attempt is sent and recorded. */
const TAKEOVER_MS = LEASE_MS + POLL_MS + ATTEMPT_TIMEOUT_MS;
/**
 * Allowance for a freshly started worker's first delivery (it loads the SDK's handler and Prisma's
 * query engine on first use), which can take many seconds on a loaded machine. Not a claim: the
 * tests time nothing that includes it.
 */
const COLD_MS = 60_000;

let database: ExecutorDatabase;
let app: TestApp;
let certificates: TestCertificates;
const receivers: Receiver[] = [];
const children: ChildProcess[] = [];

beforeAll(async () => {
  setTestEncryptionKey();
  database = await createExecutorDatabase(inject("adminDatabaseUrl"), "delivery_worker");
  process.env.DATABASE_URL = database.url;
  await ensureCatalog();
  app = await startTestApp({ port: Number(process.env.TEST_APP_PORT), client: inngest, functions: [], pool: database.pool });
  certificates = createTestCertificates("HookRelay test CA");
}, 60_000);

afterEach(async () => {
  await Promise.all(children.splice(0).map((c) => kill(c)));
});

afterAll(async () => {
  await Promise.all(receivers.map((r) => r.close()));
  await app?.close();
  await db.$disconnect();
  await database?.cleanup();
  certificates?.cleanup();
});

let workers = 0;

/** A worker process; its database sessions carry `name` as their application_name. */
function worker(env: Record<string, string> = {}) {
  const name = `delivery-worker-${++workers}`;
  const spawned = spawnWorker({
    PGAPPNAME: name,
    DATABASE_URL: database.url,
    APP_ENCRYPTION_KEY: process.env.APP_ENCRYPTION_KEY!,
    EXECUTOR_APP_URL: `http://127.0.0.1:${app.port}`,
    EXECUTOR_KEY: TEST_EXECUTOR_KEY,
    EXECUTOR_SERVE: "local",
    EXECUTOR_LEASE_MS: String(LEASE_MS),
    EXECUTOR_POLL_MS: String(POLL_MS),
    WEBHOOK_RETRY_SCHEDULE: `${WAIT_MS}ms,${WAIT_MS}ms`,
    WEBHOOK_ATTEMPT_TIMEOUT_MS: String(ATTEMPT_TIMEOUT_MS),
    ...env,
  });
  children.push(spawned.child);
  return { ...spawned, name };
}

function kill(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once("exit", () => resolve());
    child.kill("SIGKILL");
  });
}

async function receiver(mode: ReceiverMode, tls?: { key: string; cert: string }) {
  const r = await startReceiver({ mode, tls });
  receivers.push(r);
  return r;
}

async function send(org: { id: string }) {
  const result = await sendEvent({ id: org.id, webhooksEnabled: true }, contractCreated());
  if (!result.ok) throw new Error(result.message);
  return result.message.id;
}

const attemptsOf = (messageId: string) => db.attempt.findMany({ where: { messageId }, orderBy: { attemptNumber: "asc" } });
const finished = (messageId: string) => async () => {
  const d = await db.delivery.findFirstOrThrow({ where: { messageId } });
  return d.status === "SUCCEEDED" || d.status === "FAILED" ? d : undefined;
};
/** Nothing more arrives for the message (see quietAfterMarker), with a worker still running. */
async function quiet(messageId: string) {
  const sendMarker = async () => {
    const r = await receiver({ kind: "fail-then-succeed", failures: 1 });
    return send((await orgWithEndpoint(`${r.url}/marker`)).org);
  };
  await quietAfterMarker(database.pool, sendMarker, [messageId], COLD_MS + TAKEOVER_MS);
}

/** The run making the message's first attempt: a batch run, whose events include the message's. */
async function runOf(messageId: string): Promise<string> {
  const { rows } = await database.pool.query<{ id: string }>(
    `SELECT r.id FROM executor_runs r JOIN executor_events e ON e.id = ANY (coalesce(r.batch_event_ids, ARRAY[r.event_id]))
      WHERE r.function_id LIKE '%deliver-first-attempts' AND e.data->>'messageId' = $1`,
    [messageId],
  );
  return rows[0]!.id;
}

/**
 * The worker's database sessions, and whether each waits on a lock `lockerPid` holds. Read on a
 * connection of its own, outside any transaction: inside one, PostgreSQL answers pg_stat_activity
 * from a snapshot taken at the transaction's first read, which misses a session the worker opens later.
 */
async function sessionsOf(name: string, lockerPid: number): Promise<{ pid: number; blocked: boolean }[]> {
  const { rows } = await database.pool.query<{ pid: number; blocked: boolean }>(
    `SELECT pid, $2::int = ANY (pg_blocking_pids(pid)) AS blocked FROM pg_stat_activity WHERE application_name = $1`,
    [name, lockerPid],
  );
  return rows;
}

describe("a delivery worker killed with SIGKILL", () => {
  it("while its POST is in flight: another worker completes the delivery; the receiver sees the message twice, attempt 1 is recorded once", async () => {
    const r = await receiver({ kind: "hold" });
    const { org } = await orgWithEndpoint(`${r.url}/hook`);
    const a = worker();
    await a.ready;
    const messageId = await send(org);
    await r.waitForRequests(1, COLD_MS);
    await kill(a.child);
    r.setMode({ kind: "status", status: 200 });

    const b = worker();
    await b.ready;
    const delivery = await waitFor("delivery to succeed after takeover", finished(messageId), COLD_MS + TAKEOVER_MS, 50);
    expect(delivery.status).toBe("SUCCEEDED");
    expect((await attemptsOf(messageId)).map((x) => [x.attemptNumber, x.succeeded])).toEqual([[1, true]]);
    await quiet(messageId);
    expect(r.total).toBe(2);
    expect(r.requests.map((q) => q.headers["webhook-id"])).toEqual([messageId, messageId]);
  }, 4 * COLD_MS);

  it("during a batch of first attempts: the recorded ones are not sent again, the rest are, and every delivery ends with one attempt", async () => {
    const fast = await receiver({ kind: "status", status: 200 });
    const held = await receiver({ kind: "hold" });
    const { org, actor } = await orgWithEndpoint(`${fast.url}/f0`);
    const config = (url: string) => endpointConfigSchema.parse({ url, eventTypes: ["contract.created"], rateLimit: "" });
    await createEndpoint(org.id, config(`${fast.url}/f1`), actor);
    for (let i = 0; i < 3; i++) await createEndpoint(org.id, config(`${held.url}/h${i}`), actor);
    const a = worker();
    await a.ready;
    // One message, five endpoints: one batch of five first attempts in one run.
    const messageId = await send(org);
    await fast.waitForRequests(2, COLD_MS);
    await held.waitForRequests(3, COLD_MS);
    // The two answered attempts are recorded (group commit) while three requests are still in flight.
    await waitFor("the two answered attempts recorded", async () => (await attemptsOf(messageId)).length === 2 || undefined, TAKEOVER_MS);
    await kill(a.child);
    held.setMode({ kind: "status", status: 200 });

    const b = worker();
    await b.ready;
    await waitFor(
      "every delivery to succeed after takeover",
      async () => ((await db.delivery.count({ where: { messageId, status: "SUCCEEDED" } })) === 5 ? true : undefined),
      COLD_MS + TAKEOVER_MS,
      50,
    );
    const attempts = await attemptsOf(messageId);
    expect(attempts.map((x) => [x.attemptNumber, x.succeeded])).toEqual(Array(5).fill([1, true]));
    expect(new Set(attempts.map((x) => x.deliveryId)).size).toBe(5);
    await quiet(messageId);
    // Recorded before the kill: never sent again. In flight at the kill: sent again once.
    expect(fast.total).toBe(2);
    expect(held.total).toBe(6);
    expect(held.requests.map((q) => q.path).sort()).toEqual(["/h0", "/h0", "/h1", "/h1", "/h2", "/h2"]);
  }, 4 * COLD_MS);

  it("between claiming the first attempt and sending it: the run is taken over after its lease, and the receiver gets the message exactly once", async () => {
    const r = await receiver({ kind: "status", status: 200 });
    const { org } = await orgWithEndpoint(`${r.url}/hook`);
    // Sent while no worker runs: the event waits in executor_events for the first claim.
    const messageId = await send(org);
    const { id: deliveryId } = await db.delivery.findFirstOrThrow({ where: { messageId } });

    // Hold the delivery's row so that worker A, once it has claimed the run, stops before the send:
    // marking the delivery SENDING is the last thing the batch does before it POSTs.
    const locker = await database.pool.connect();
    let runId: string;
    try {
      const lockerPid = (await locker.query<{ pid: number }>("SELECT pg_backend_pid() AS pid")).rows[0]!.pid;
      await locker.query("BEGIN");
      await locker.query(`SELECT 1 FROM "Delivery" WHERE id = $1 FOR UPDATE`, [deliveryId]);
      const a = worker();
      await a.ready;
      await waitFor("worker A stopped before the send", async () => (await sessionsOf(a.name, lockerPid)).some((s) => s.blocked), COLD_MS);
      runId = await runOf(messageId);
      const { rows: claimed } = await database.pool.query<{ status: string; leased_by: string }>(`SELECT status, leased_by FROM executor_runs WHERE id = $1`, [runId]);
      expect(claimed).toEqual([{ status: "RUNNING", leased_by: expect.stringContaining(`:${a.child.pid}:`) }]);
      await kill(a.child);
      // PostgreSQL would still run a dead client's statement once the lock frees: end A's sessions, as a crash would have.
      await database.pool.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1", [a.name]);
      await locker.query("ROLLBACK");
    } finally {
      locker.release(true);
    }
    expect(r.total).toBe(0);
    expect(await db.delivery.findFirstOrThrow({ where: { messageId } })).toMatchObject({ status: "PENDING", attemptCount: 0 });

    const b = worker();
    await b.ready;
    const delivery = await waitFor("delivery to succeed after takeover", finished(messageId), COLD_MS + TAKEOVER_MS, 50);
    expect(delivery.status).toBe("SUCCEEDED");
    expect((await attemptsOf(messageId)).map((x) => [x.attemptNumber, x.succeeded])).toEqual([[1, true]]);
    await quiet(messageId);
    expect(r.requests.map((q) => q.headers["webhook-id"])).toEqual([messageId]);
    // The run A claimed is the one B finished: the event started no second run.
    const { rows: runs } = await database.pool.query<{ id: string; status: string; leased_by: string }>(
      `SELECT r.id, r.status, r.leased_by FROM executor_runs r JOIN executor_events e ON e.id = ANY (coalesce(r.batch_event_ids, ARRAY[r.event_id]))
        WHERE e.data->>'messageId' = $1`,
      [messageId],
    );
    expect(runs).toEqual([{ id: runId, status: "COMPLETED", leased_by: expect.stringContaining(`:${b.child.pid}:`) }]);
  }, 4 * COLD_MS);

  it("after it recorded the attempt but before the executor memoized it: that attempt is not sent again", async () => {
    const r = await receiver({ kind: "hold" });
    const { org } = await orgWithEndpoint(`${r.url}/hook`);
    const a = worker();
    await a.ready;
    const messageId = await send(org);
    await r.waitForRequests(1, COLD_MS);
    const runId = await runOf(messageId);

    // Hold the run's row so that the executor cannot memoize the step once the attempt is recorded.
    const locker = await database.pool.connect();
    try {
      const lockerPid = (await locker.query<{ pid: number }>("SELECT pg_backend_pid() AS pid")).rows[0]!.pid;
      await locker.query("BEGIN");
      await locker.query("SELECT 1 FROM executor_runs WHERE id = $1 FOR UPDATE", [runId]);
      r.release({ kind: "status", status: 500, body: "try later" });
      await waitFor("attempt 1 recorded", async () => (await attemptsOf(messageId)).length === 1, TAKEOVER_MS);
      await waitFor("worker A waiting to write the run", async () => (await sessionsOf(a.name, lockerPid)).some((s) => s.blocked), COLD_MS);
      await kill(a.child);
      // PostgreSQL would still run a dead client's statement once the lock frees: end A's sessions, as a crash would have.
      // (On another connection, for the same reason as in sessionsOf.)
      await database.pool.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1", [a.name]);
      await locker.query("ROLLBACK");
    } finally {
      locker.release(true);
    }
    const { rows: memoized } = await database.pool.query(`SELECT name FROM executor_steps WHERE run_id = $1`, [runId]);
    expect(memoized).toEqual([]);
    expect(await db.delivery.findFirstOrThrow({ where: { messageId } })).toMatchObject({ status: "PENDING", attemptCount: 1 });

    r.setMode({ kind: "status", status: 200 });
    const b = worker();
    await b.ready;
    const delivery = await waitFor("delivery to succeed after takeover", finished(messageId), COLD_MS + TAKEOVER_MS + WAIT_MS, 50);
    expect(delivery.status).toBe("SUCCEEDED");
    const attempts = await attemptsOf(messageId);
    expect(attempts.map((x) => [x.attemptNumber, x.statusCode])).toEqual([
      [1, 500],
      [2, 200],
    ]);
    await quiet(messageId);
    // Attempt 1 was answered once (500); the worker that took over went on to attempt 2.
    expect(r.requests.map((q) => q.headers["webhook-id"])).toEqual([messageId, messageId]);
    expect(r.total).toBe(2);
  }, 4 * COLD_MS);
});

describe("HTTPS deliveries", () => {
  it("succeed to a receiver whose certificate a trusted CA signed (NODE_EXTRA_CA_CERTS), and fail as tls otherwise", async () => {
    const trusted = await receiver({ kind: "status", status: 200 }, certificates.server);
    const untrustedCertificates = createTestCertificates("Unknown CA");
    const untrusted = await receiver({ kind: "status", status: 200 }, untrustedCertificates.server);
    untrustedCertificates.cleanup();
    const good = await orgWithEndpoint(`${trusted.url}/hook`);
    const bad = await orgWithEndpoint(`${untrusted.url}/hook`);
    const w = worker({ NODE_EXTRA_CA_CERTS: certificates.caFile });
    await w.ready;
    const [goodId, badId] = [await send(good.org), await send(bad.org)];

    const delivered = await waitFor("HTTPS delivery", finished(goodId), COLD_MS + ATTEMPT_TIMEOUT_MS, 50);
    expect(delivered.status).toBe("SUCCEEDED");
    expect(trusted.requests.map((q) => q.headers["webhook-id"])).toEqual([goodId]);
    expect((await attemptsOf(goodId))[0]).toMatchObject({ url: `${trusted.url}/hook`, succeeded: true, statusCode: 200 });

    await waitFor("refused attempt recorded", async () => (await attemptsOf(badId)).length > 0, COLD_MS + ATTEMPT_TIMEOUT_MS, 50);
    const [refused] = await attemptsOf(badId);
    expect(refused).toMatchObject({ succeeded: false, statusCode: null, errorKind: "tls" });
    expect(refused!.errorMessage).toMatch(/certificate/i);
    expect(untrusted.total).toBe(0);
  }, 4 * COLD_MS);
});
