import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { inngest } from "@/inngest/client";
import { Executor } from "@/inngest/executor/executor";
import { purgeHistory } from "@/inngest/functions/purge-history";
import { db } from "@/lib/db";
import { freePort } from "@/scripts/lib/test-database";
import { orgWithEndpoint } from "@/tests/helpers/delivery-harness";
import {
  createExecutorDatabase,
  runsOf,
  startTestApp,
  stepsOf,
  TEST_EXECUTOR_KEY,
  waitFor,
  type ExecutorDatabase,
  type TestApp,
} from "@/tests/helpers/executor-harness";
import { ManualClock } from "@/tests/helpers/manual-clock";
import { executorRowsLeft, historyOf, insertExecutorRun, insertMessages } from "@/tests/helpers/retention-factories";
import { setTestEncryptionKey } from "@/tests/helpers/webhooks-factories";

/** The app's purge-history function on its own cron, driven by the embedded executor under a manual clock. */
const DAY = 86_400_000;
const BATCH = 100;
const clock = new ManualClock(new Date("2030-03-01T09:05:00Z"));
const TICK = Date.parse("2030-03-01T09:15:00Z");
let database: ExecutorDatabase;
let app: TestApp;
let executor: Executor;

beforeAll(async () => {
  database = await createExecutorDatabase(inject("adminDatabaseUrl"), "retention_cron");
  Object.assign(process.env, { DATABASE_URL: database.url, RETENTION_DAYS: "90", EXECUTOR_RETENTION_DAYS: "7", RETENTION_BATCH_SIZE: String(BATCH) });
  setTestEncryptionKey();
  app = await startTestApp({ port: await freePort(), client: inngest, functions: [purgeHistory], pool: database.pool, clock });
  executor = new Executor({ databaseUrl: database.url, serveUrl: app.serveUrl, executorKey: TEST_EXECUTOR_KEY, clock, pollMs: 50, log: () => {} });
  await executor.start();
});

afterAll(async () => {
  await executor?.stop();
  await app?.close();
  await db.$disconnect();
  await database?.cleanup();
});

describe("purge-history on its cron", () => {
  it("deletes, at the next quarter hour, the history older than the limits, batch by batch", async () => {
    const { org, endpointId } = await orgWithEndpoint("http://127.0.0.1:9/unused");
    const messageCutoff = TICK - 90 * DAY;
    const executorCutoff = TICK - 7 * DAY;
    const insert = (times: number[], status?: "PENDING") =>
      insertMessages({ organizationId: org.id, endpointId, createdAt: times.map((t) => new Date(t)), status });
    const old = await insert(Array.from({ length: 2 * BATCH + 49 }, (_, i) => messageCutoff - DAY - i * 1_000));
    const justOlder = await insert([messageCutoff - 1]);
    const justNewer = await insert([messageCutoff + 1]);
    const stillPending = await insert([messageCutoff - DAY], "PENDING");
    const finishedRun = await insertExecutorRun(database.pool, { at: new Date(executorCutoff - 1), status: "COMPLETED" });
    const recentRun = await insertExecutorRun(database.pool, { at: new Date(executorCutoff + 1), status: "COMPLETED" });
    const sleepingRun = await insertExecutorRun(database.pool, { at: new Date(executorCutoff - DAY), status: "SLEEPING" });
    // The outbox (Inngest mode): a sent event past the limit goes; a newer one, and an unsent one however old, stay.
    const outbox = [
      { id: "outbox-old-sent", createdAt: new Date(executorCutoff - 1), sentAt: new Date(executorCutoff - 1) },
      { id: "outbox-new-sent", createdAt: new Date(executorCutoff + 1), sentAt: new Date(executorCutoff + 1) },
      { id: "outbox-old-unsent", createdAt: new Date(executorCutoff - DAY), sentAt: null },
    ];
    await db.outboxEvent.createMany({ data: outbox.map((o) => ({ ...o, name: "test/outbox", data: {}, ts: BigInt(o.createdAt.getTime()) })) });

    clock.set(new Date(TICK + 200));
    executor.wake();
    const run = await waitFor("the purge run to complete", async () => {
      const runs = await runsOf(database.pool, "hookrelay-purge-history");
      return runs.length === 1 && runs[0].status === "COMPLETED" ? runs[0] : undefined;
    });

    expect(run.output).toEqual({ messages: 2 * BATCH + 50, "recovery-items": 0, "recovery-tasks": 0, "executor-runs": 1, "executor-events": 1, "outbox-events": 1, "idempotency-keys": expect.any(Number) });
    expect((await stepsOf(database.pool, run.id)).map((s) => [s.name, s.data])).toEqual([
      ["delete-messages-1", BATCH],
      ["delete-messages-2", BATCH],
      ["delete-messages-3", 50],
      ["delete-recovery-items-1", 0],
      ["delete-recovery-tasks-1", 0],
      ["delete-executor-runs-1", 1],
      ["delete-executor-events-1", 1],
      ["delete-outbox-events-1", 1],
      // Other test files may leave expired keys in the shared database: tests/integration/api-pipeline.test.ts covers this purge.
      ["delete-idempotency-keys-1", expect.any(Number)],
    ]);
    expect(await historyOf([...old, ...justOlder])).toEqual({ messages: 0, deliveries: 0, attempts: 0 });
    expect(await historyOf([...justNewer, ...stillPending])).toEqual({ messages: 2, deliveries: 2, attempts: 2 });
    expect(await executorRowsLeft(database.pool, [finishedRun])).toEqual({ events: 0, runs: 0, steps: 0 });
    expect(await executorRowsLeft(database.pool, [recentRun, sleepingRun])).toEqual({ events: 2, runs: 2, steps: 4 });
    expect((await db.outboxEvent.findMany({ orderBy: { id: "asc" }, select: { id: true } })).map((o) => o.id)).toEqual(["outbox-new-sent", "outbox-old-unsent"]);
  });
});
