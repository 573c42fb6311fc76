import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { inngest } from "@/inngest/client";
import { Executor } from "@/inngest/executor/executor";
import { MAX_BATCHES_PER_KIND, purgeHistory } from "@/inngest/functions/purge-history";
import { db } from "@/lib/db";
import { orgWithEndpoint } from "@/tests/helpers/delivery-harness";
import { createExecutorDatabase, runsOf, startTestApp, stepsOf, TEST_EXECUTOR_KEY, waitFor, type ExecutorDatabase, type RunRow, type TestApp } from "@/tests/helpers/executor-harness";
import { createUser } from "@/tests/helpers/factories";
import { ManualClock } from "@/tests/helpers/manual-clock";
import { historyOf, insertMessages } from "@/tests/helpers/retention-factories";
import { setTestEncryptionKey } from "@/tests/helpers/webhooks-factories";

/**
 * docs/retention.md from the other side: what the purge must NOT delete (audit log, revoked
 * sessions, the rate-limit tables, however old), its cap of MAX_BATCHES_PER_KIND batches per kind
 * and run, and "at most one run at a time". The app's purge-history function runs on its cron under
 * a manual clock, driven by the embedded executor, on this file's own database.
 */
const DAY = 86_400_000;
const QUARTER_HOUR = 15 * 60_000;
/** The smallest batch RETENTION_BATCH_SIZE allows: the cap is reached with the fewest rows. */
const BATCH = 100;
const clock = new ManualClock(new Date("2030-03-01T09:05:00Z"));
let tick = Date.parse("2030-03-01T09:15:00Z");
const PURGE = "hookrelay-purge-history";
/** The run's longest wait: under load a hundred batches of the cap take a while. */
const RUN_BOUND_MS = 120_000;

const marker = inngest.createFunction({ id: "lifecycle-marker", triggers: { event: "test/lifecycle-marker" } }, async ({ event }) => event.data);

let database: ExecutorDatabase;
let app: TestApp;
let executor: Executor;

beforeAll(async () => {
  database = await createExecutorDatabase(inject("adminDatabaseUrl"), "lifecycle_retention");
  Object.assign(process.env, { DATABASE_URL: database.url, RETENTION_DAYS: "90", EXECUTOR_RETENTION_DAYS: "7", RETENTION_BATCH_SIZE: String(BATCH) });
  setTestEncryptionKey();
  // On TEST_APP_PORT: the app's Inngest client sends the marker's event to this app's ingest route.
  app = await startTestApp({ port: Number(process.env.TEST_APP_PORT), client: inngest, functions: [purgeHistory, marker], pool: database.pool, clock });
  // A lease far longer than the clock's jumps: moving the manual clock to the next tick must not expire a live run's lease.
  executor = new Executor({ databaseUrl: database.url, serveUrl: app.serveUrl, executorKey: TEST_EXECUTOR_KEY, clock, pollMs: 50, leaseMs: 6 * 3_600_000, log: () => {} });
  await executor.start();
}, 60_000);

afterAll(async () => {
  await executor?.stop();
  await app?.close();
  await db.$disconnect();
  await database?.cleanup();
});

/** Moves the clock to the next quarter hour; the cron starts one purge run for it. */
async function nextTick(): Promise<string> {
  tick += QUARTER_HOUR;
  const before = new Set((await runsOf(database.pool, PURGE)).map((r) => r.id));
  clock.set(new Date(tick + 200));
  executor.wake();
  const run = await waitFor("the tick's purge run to exist", async () => (await runsOf(database.pool, PURGE)).find((r) => !before.has(r.id)), RUN_BOUND_MS);
  return run.id;
}

async function runById(id: string): Promise<RunRow> {
  const { rows } = await database.pool.query<RunRow>(`SELECT id, function_id, status, attempt, wake_at, output, error, event_id FROM executor_runs WHERE id = $1`, [id]);
  return rows[0]!;
}

const completed = (id: string) => waitFor(`purge run ${id} to complete`, async () => {
  const run = await runById(id);
  if (run.status === "FAILED" || run.status === "CANCELLED") throw new Error(`purge run ended ${run.status}: ${JSON.stringify(run.error)}`);
  return run.status === "COMPLETED" ? run : undefined;
}, RUN_BOUND_MS, 50);

describe("purge-history's limits", () => {
  it(`deletes at most ${MAX_BATCHES_PER_KIND} batches of each kind per run, leaves the rest to the next run, and never touches the audit log, revoked sessions or the rate-limit tables`, async () => {
    const { org, endpointId } = await orgWithEndpoint("http://127.0.0.1:9/unused");
    const user = await createUser();
    const ancient = new Date(tick - 5 * 365 * DAY);
    const cutoff = tick + QUARTER_HOUR - 90 * DAY;
    const extra = 37;
    const old = await insertMessages({
      organizationId: org.id,
      endpointId,
      createdAt: Array.from({ length: MAX_BATCHES_PER_KIND * BATCH + extra }, (_, i) => new Date(cutoff - DAY - i * 1_000)),
    });

    // What the purge keeps, written as old as the oldest history it deletes.
    const audit = await db.auditLog.create({ data: { organizationId: org.id, actorId: user.id, actorEmail: user.email, action: "endpoint.created", createdAt: ancient } });
    const revoked = [
      await db.revokedSession.create({ data: { sid: `lifecycle-${randomUUID()}`, userId: user.id, revokedAt: ancient, expiresAt: ancient } }),
      await db.revokedSession.create({ data: { sid: `lifecycle-${randomUUID()}`, userId: user.id, revokedAt: ancient, expiresAt: new Date(tick + DAY) } }),
    ];
    const apiWindow = await db.apiRateWindow.create({ data: { apiKeyId: `lifecycle-${randomUUID()}`, windowStart: ancient, count: 7 } });
    const deliveryRate = await db.deliveryRateSend.create({ data: { endpointId, sentAt: ancient } });
    const failedSignIn = await db.failedSignIn.create({ data: { email: user.email, ip: "127.0.0.1", createdAt: ancient } });

    const first = await completed(await nextTick());
    expect(first.output).toMatchObject({ messages: MAX_BATCHES_PER_KIND * BATCH });
    const messageSteps = (await stepsOf(database.pool, first.id)).filter((s) => s.name?.startsWith("delete-messages-"));
    expect(messageSteps.map((s) => [s.name, s.data])).toEqual(Array.from({ length: MAX_BATCHES_PER_KIND }, (_, i) => [`delete-messages-${i + 1}`, BATCH]));
    expect(await historyOf(old)).toEqual({ messages: extra, deliveries: extra, attempts: extra });
    // Oldest first: what is left is the newest of them.
    expect((await db.message.findMany({ where: { id: { in: old } }, select: { id: true } })).map((m) => m.id).sort()).toEqual(old.slice(0, extra).sort());

    const second = await completed(await nextTick());
    expect(second.output).toMatchObject({ messages: extra });
    expect(await historyOf(old)).toEqual({ messages: 0, deliveries: 0, attempts: 0 });

    expect(await db.auditLog.findUnique({ where: { id: audit.id } })).toEqual(audit);
    expect(await db.revokedSession.findMany({ where: { sid: { in: revoked.map((r) => r.sid) } }, orderBy: { expiresAt: "asc" } })).toEqual(revoked);
    expect(await db.apiRateWindow.findUnique({ where: { apiKeyId: apiWindow.apiKeyId } })).toEqual(apiWindow);
    expect(await db.deliveryRateSend.findUnique({ where: { id: deliveryRate.id } })).toEqual(deliveryRate);
    expect(await db.failedSignIn.findUnique({ where: { id: failedSignIn.id } })).toEqual(failedSignIn);
  }, 4 * RUN_BOUND_MS);

  it("runs one purge at a time: the next tick's run waits, unclaimed, until the running one ends", async () => {
    // The first run's first statement waits on a lock this test holds: the run stays in flight.
    const holder = await database.pool.connect();
    let released = false;
    try {
      await holder.query(`BEGIN`);
      await holder.query(`LOCK TABLE "Message" IN ACCESS EXCLUSIVE MODE`);
      const firstId = await nextTick();
      await waitFor("the first run's delete to wait on the lock", async () => {
        const { rows } = await database.pool.query<{ waiting: number }>(`SELECT count(*)::int AS waiting FROM pg_locks WHERE relation = '"Message"'::regclass AND NOT granted`);
        return rows[0]!.waiting > 0;
      }, RUN_BOUND_MS, 50);
      expect((await runById(firstId)).status).toBe("RUNNING");

      const secondId = await nextTick();
      // Barrier: a run of another function, sent after the second purge run was queued, completes
      // only after the executor's claim passes that would have started that run.
      const sent = await inngest.send({ name: "test/lifecycle-marker", data: { n: 1 } });
      await waitFor("the marker run to complete", async () => {
        const runs = await runsOf(database.pool, "hookrelay-lifecycle-marker");
        return runs.some((r) => r.event_id === sent.ids[0] && r.status === "COMPLETED");
      }, RUN_BOUND_MS, 50);
      const waiting = await runById(secondId);
      expect(waiting.status).toBe("QUEUED");
      expect(await stepsOf(database.pool, secondId)).toEqual([]);
      expect((await runById(firstId)).status).toBe("RUNNING");

      await holder.query(`COMMIT`);
      released = true;
      const first = await completed(firstId);
      const second = await completed(secondId);
      expect(first.output).toMatchObject({ messages: 0 });
      expect(second.output).toMatchObject({ messages: 0 });
    } finally {
      if (!released) await holder.query(`ROLLBACK`).catch(() => {});
      holder.release();
    }
  }, 4 * RUN_BOUND_MS);
});
