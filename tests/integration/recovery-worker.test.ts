import type { ChildProcess } from "node:child_process";
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from "vitest";
import { inngest } from "@/inngest/client";
import { db } from "@/lib/db";
import { sendEvent } from "@/lib/messages/send-event";
import { getTask, startRecovery } from "@/lib/recovery/tasks";
import { contractCreated, orgWithEndpoint } from "@/tests/helpers/delivery-harness";
import { createExecutorDatabase, spawnWorker, startTestApp, TEST_EXECUTOR_KEY, waitFor, type ExecutorDatabase, type TestApp } from "@/tests/helpers/executor-harness";
import { startReceiver, type Receiver } from "@/tests/helpers/receiver";
import { quietAfterMarker } from "@/tests/helpers/run-barrier";
import { ensureCatalog, setTestEncryptionKey } from "@/tests/helpers/webhooks-factories";

/**
 * A recovery task run by `npm run worker` processes (EXECUTOR_SERVE=local, as in production), one
 * of them killed with SIGKILL in the middle of the operation. The test app only ingests events.
 */

const WAIT_MS = 500;
const LEASE_MS = 5_000;
const POLL_MS = 200;
const ATTEMPT_TIMEOUT_MS = 10_000;
const BATCH = 2;
const TAKEOVER_MS = LEASE_MS + POLL_MS + ATTEMPT_TIMEOUT_MS;
/** A freshly started worker's first runs load the SDK and Prisma: an allowance, never timed. */
const COLD_MS = 60_000;

let database: ExecutorDatabase;
let app: TestApp;
const receivers: Receiver[] = [];
const children: ChildProcess[] = [];

beforeAll(async () => {
  setTestEncryptionKey();
  database = await createExecutorDatabase(inject("adminDatabaseUrl"), "recovery_worker");
  process.env.DATABASE_URL = database.url;
  await ensureCatalog();
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

function worker() {
  const spawned = spawnWorker({
    DATABASE_URL: database.url,
    APP_ENCRYPTION_KEY: process.env.APP_ENCRYPTION_KEY!,
    EXECUTOR_APP_URL: `http://127.0.0.1:${app.port}`,
    EXECUTOR_KEY: TEST_EXECUTOR_KEY,
    EXECUTOR_SERVE: "local",
    EXECUTOR_LEASE_MS: String(LEASE_MS),
    EXECUTOR_POLL_MS: String(POLL_MS),
    WEBHOOK_RETRY_SCHEDULE: `${WAIT_MS}ms`,
    WEBHOOK_ATTEMPT_TIMEOUT_MS: String(ATTEMPT_TIMEOUT_MS),
    RECOVERY_BATCH_SIZE: String(BATCH),
    RECOVERY_PARALLEL: "1",
  });
  children.push(spawned.child);
  return spawned;
}

function kill(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once("exit", () => resolve());
    child.kill("SIGKILL");
  });
}

describe("a recovery whose executor is killed with SIGKILL mid-operation", () => {
  it("finishes after a restart: the sends recorded before the kill are not repeated, the one in flight is sent again, each message ends with one manual attempt", async () => {
    const r = await startReceiver({ mode: { kind: "status", status: 503 } });
    receivers.push(r);
    const { org, endpointId, actor } = await orgWithEndpoint(`${r.url}/hook`);
    const a = worker();
    await a.ready;
    const failed: string[] = [];
    for (let i = 0; i < 6; i++) {
      const sent = await sendEvent({ id: org.id, webhooksEnabled: true }, contractCreated(i + 1));
      if (!sent.ok) throw new Error(sent.message);
      failed.push(sent.message.id);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    await waitFor("the outage's deliveries to fail", async () => ((await db.delivery.count({ where: { messageId: { in: failed }, status: "FAILED" } })) === 6 ? true : undefined), COLD_MS + 4 * ATTEMPT_TIMEOUT_MS, 50);

    // The first batch is answered; the first send of the second batch is held when the worker dies.
    r.reset();
    r.setMode({ kind: "sequence", modes: [{ kind: "status", status: 200 }, { kind: "status", status: 200 }, { kind: "hold" }] });
    const since = (await db.delivery.findFirstOrThrow({ where: { messageId: failed[0]! } })).createdAt;
    const started = await startRecovery({ id: org.id, webhooksEnabled: true }, actor, endpointId, "resend_failed", { since, until: new Date() });
    if (!started.ok) throw new Error(started.message);
    await r.waitForRequests(BATCH + 1, COLD_MS);
    await waitFor("the first batch recorded", async () => ((await db.attempt.count({ where: { messageId: { in: failed }, trigger: "MANUAL" } })) === BATCH ? true : undefined), TAKEOVER_MS);
    await kill(a.child);
    r.setMode({ kind: "status", status: 200 });
    r.release();

    const b = worker();
    await b.ready;
    const done = await waitFor("the task to finish after the restart", async () => {
      const task = await getTask(org.id, started.task.id);
      return task?.status === "FINISHED" ? task : undefined;
    }, COLD_MS + TAKEOVER_MS + 6 * ATTEMPT_TIMEOUT_MS, 50);
    expect(done).toMatchObject({ total: 6, processed: 6, succeeded: 6, failed: 0 });

    // Nothing more arrives (see quietAfterMarker): the task's runs and the messages' runs ended.
    const sendMarker = async () => {
      const marker = await startReceiver({ mode: { kind: "fail-then-succeed", failures: 1 } });
      receivers.push(marker);
      const sent = await sendEvent({ id: (await orgWithEndpoint(`${marker.url}/marker`)).org.id, webhooksEnabled: true }, contractCreated(1));
      if (!sent.ok) throw new Error(sent.message);
      return sent.message.id;
    };
    await quietAfterMarker(database.pool, sendMarker, [{ taskId: started.task.id }, ...failed], COLD_MS + TAKEOVER_MS);
    for (const id of failed) {
      expect(await db.attempt.count({ where: { messageId: id, trigger: "MANUAL" } })).toBe(1);
      expect((await db.delivery.findFirstOrThrow({ where: { messageId: id } })).status).toBe("SUCCEEDED");
    }
    const seen = r.requests.map((q) => failed.indexOf(String(q.headers["webhook-id"])));
    // Recorded before the kill: once. In flight at the kill (the third): twice. The rest: once.
    expect(seen).toEqual([0, 1, 2, 2, 3, 4, 5]);
  }, 6 * COLD_MS);
});
