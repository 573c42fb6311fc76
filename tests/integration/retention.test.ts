import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { sendEvent } from "@/lib/messages/send-event";
import { deleteEventsBefore, deleteFinishedRunsBefore } from "@/inngest/executor/retention";
import { deleteMessagesBefore } from "@/lib/retention/messages";
import { contractCreated, orgWithEndpoint, startDeliveryPipeline, type DeliveryPipeline } from "@/tests/helpers/delivery-harness";
import { waitFor } from "@/tests/helpers/executor-harness";
import { startReceiver, type Receiver } from "@/tests/helpers/receiver";
import { executorRowsLeft, historyOf, insertExecutorRun, insertMessages, type RunStatus } from "@/tests/helpers/retention-factories";

/**
 * Each test backdates its rows to an era of its own, each earlier than the previous test's, so
 * a cutoff never reaches rows another test left behind on purpose. The app's own purge-history
 * function runs on its cron beside these tests (real clock): retention is set to a century so
 * that it never touches them.
 */
let pipeline: DeliveryPipeline;
let receiver: Receiver;

const MS = 1;
const DAY = 86_400_000;
const at = (iso: string, offsetMs = 0) => new Date(Date.parse(iso) + offsetMs);

beforeAll(async () => {
  pipeline = await startDeliveryPipeline({ RETENTION_DAYS: "36500", EXECUTOR_RETENTION_DAYS: "36500" });
  receiver = await startReceiver({ mode: { kind: "status", status: 200 } });
}, 60_000);

afterAll(async () => {
  await receiver?.close();
  await pipeline?.close();
});

async function purgeAll(cutoff: Date, batchSize: number): Promise<number[]> {
  const batches: number[] = [];
  for (;;) {
    const n = await deleteMessagesBefore(cutoff, batchSize);
    batches.push(n);
    if (n < batchSize) return batches;
  }
}

describe("message retention", () => {
  it("deletes exactly the messages created before the cutoff, with their deliveries and attempts", async () => {
    const { org, endpointId } = await orgWithEndpoint(receiver.url);
    const cutoff = at("2020-06-01T00:00:00.000Z");
    const older = await insertMessages({ organizationId: org.id, endpointId, createdAt: [at(cutoff.toISOString(), -MS)] });
    const exact = await insertMessages({ organizationId: org.id, endpointId, createdAt: [cutoff] });
    const newer = await insertMessages({ organizationId: org.id, endpointId, createdAt: [at(cutoff.toISOString(), MS)] });
    expect(await historyOf(older)).toEqual({ messages: 1, deliveries: 1, attempts: 1 });

    expect(await deleteMessagesBefore(cutoff, 5_000)).toBe(1);

    expect(await historyOf(older)).toEqual({ messages: 0, deliveries: 0, attempts: 0 });
    expect(await historyOf(exact)).toEqual({ messages: 1, deliveries: 1, attempts: 1 });
    expect(await historyOf(newer)).toEqual({ messages: 1, deliveries: 1, attempts: 1 });
  });

  it("deletes in batches of the given size, oldest first, until none is left", async () => {
    const { org, endpointId } = await orgWithEndpoint(receiver.url);
    const cutoff = at("2019-06-01T00:00:00.000Z");
    const ids = await insertMessages({ organizationId: org.id, endpointId, createdAt: Array.from({ length: 10 }, (_, i) => at("2019-01-01T00:00:00Z", i * 60_000)) });

    expect(await deleteMessagesBefore(cutoff, 3)).toBe(3);
    const left = await db.message.findMany({ where: { id: { in: ids } }, select: { id: true } });
    expect(left.map((m) => m.id).sort()).toEqual(ids.slice(3).sort());

    expect(await purgeAll(cutoff, 3)).toEqual([3, 3, 1]);
    expect(await historyOf(ids)).toEqual({ messages: 0, deliveries: 0, attempts: 0 });
  });

  it("keeps a message while one of its deliveries is pending or sending, and deletes it once that ends", async () => {
    const { org, endpointId } = await orgWithEndpoint(receiver.url);
    const cutoff = at("2018-06-01T00:00:00.000Z");
    const old = [at("2018-01-01T00:00:00Z")];
    const pending = await insertMessages({ organizationId: org.id, endpointId, createdAt: old, status: "PENDING" });
    const sending = await insertMessages({ organizationId: org.id, endpointId, createdAt: old, status: "SENDING" });
    const failed = await insertMessages({ organizationId: org.id, endpointId, createdAt: old, status: "FAILED" });
    const succeeded = await insertMessages({ organizationId: org.id, endpointId, createdAt: old, status: "SUCCEEDED" });

    expect(await deleteMessagesBefore(cutoff, 5_000)).toBe(2);
    expect(await historyOf([...failed, ...succeeded])).toEqual({ messages: 0, deliveries: 0, attempts: 0 });
    expect(await historyOf([...pending, ...sending])).toEqual({ messages: 2, deliveries: 2, attempts: 2 });

    await db.delivery.updateMany({ where: { messageId: { in: pending } }, data: { status: "SUCCEEDED" } });
    expect(await deleteMessagesBefore(cutoff, 5_000)).toBe(1);
    expect(await historyOf(pending)).toEqual({ messages: 0, deliveries: 0, attempts: 0 });
    expect(await historyOf(sending)).toEqual({ messages: 1, deliveries: 1, attempts: 1 });
  });

  it("lets deliveries run to the end while a batch of 5,000 is being deleted, and deletes the rest meanwhile", async () => {
    const { org, endpointId } = await orgWithEndpoint(receiver.url);
    const cutoff = at("2017-06-01T00:00:00.000Z");
    const old = await insertMessages({
      organizationId: org.id,
      endpointId,
      createdAt: Array.from({ length: 12_000 }, (_, i) => at("2017-01-01T00:00:00Z", i * 1_000)),
    });
    receiver.reset();
    const sendAndDeliver = async (from: number, count: number) => {
      const ids: string[] = [];
      for (let n = from; n < from + count; n++) {
        const result = await sendEvent({ id: org.id, webhooksEnabled: true }, contractCreated(n));
        if (!result.ok) throw new Error(result.message);
        ids.push(result.message.id);
      }
      await waitFor(
        `${count} deliveries to succeed`,
        async () => (await db.delivery.count({ where: { messageId: { in: ids }, status: "SUCCEEDED" } })) === count,
        30_000,
      );
      return ids;
    };

    // The batch's statement has run and its transaction still holds every lock it took.
    const during = await db.$transaction(
      async (tx) => {
        expect(await deleteMessagesBefore(cutoff, 5_000, tx)).toBe(5_000);
        return sendAndDeliver(1, 20);
      },
      { timeout: 60_000 },
    );
    expect(await historyOf(during)).toEqual({ messages: 20, deliveries: 20, attempts: 20 });

    const [batches, meanwhile] = await Promise.all([purgeAll(cutoff, 5_000), sendAndDeliver(21, 20)]);
    expect(batches).toEqual([5_000, 2_000]);
    expect(await historyOf(old)).toEqual({ messages: 0, deliveries: 0, attempts: 0 });
    expect(await historyOf([...during, ...meanwhile])).toEqual({ messages: 40, deliveries: 40, attempts: 40 });
    expect(receiver.total).toBe(40);
  }, 120_000);
});

describe("executor retention", () => {
  it("deletes finished runs older than the limit with their steps and events, never an unfinished run or an event it reads", async () => {
    const pool = pipeline.database.pool;
    const cutoff = at("2020-06-01T00:00:00.000Z");
    const justOlder = at(cutoff.toISOString(), -MS);
    const finished = await Promise.all((["COMPLETED", "FAILED", "CANCELLED"] as const).map((status) => insertExecutorRun(pool, { at: justOlder, status })));
    const recent = await insertExecutorRun(pool, { at: at(cutoff.toISOString(), MS), status: "COMPLETED" });
    const unfinished = await Promise.all(
      (["QUEUED", "RUNNING", "SLEEPING"] as RunStatus[]).map((status) => insertExecutorRun(pool, { at: at(cutoff.toISOString(), -30 * DAY), status })),
    );
    const lone = await insertExecutorRun(pool, { at: justOlder, status: null });
    // Events of a batch: the first is the run's own event, the others are listed in batch_event_ids.
    const [inSleepingBatch, inFinishedBatch] = await Promise.all([insertExecutorRun(pool, { at: justOlder, status: null }), insertExecutorRun(pool, { at: justOlder, status: null })]);
    const sleepingBatch = await insertExecutorRun(pool, { at: at(cutoff.toISOString(), -DAY), status: "SLEEPING", batchWith: [inSleepingBatch.eventId] });
    const finishedBatch = await insertExecutorRun(pool, { at: justOlder, status: "COMPLETED", batchWith: [inFinishedBatch.eventId] });

    expect(await deleteFinishedRunsBefore(cutoff, 2)).toBe(2);
    expect(await deleteFinishedRunsBefore(cutoff, 2)).toBe(2);
    expect(await deleteFinishedRunsBefore(cutoff, 2)).toBe(0);
    expect(await deleteEventsBefore(cutoff, 5_000)).toBe(6);

    expect(await executorRowsLeft(pool, [...finished, lone, finishedBatch, inFinishedBatch])).toEqual({ events: 0, runs: 0, steps: 0 });
    expect(await executorRowsLeft(pool, [recent])).toEqual({ events: 1, runs: 1, steps: 2 });
    expect(await executorRowsLeft(pool, unfinished)).toEqual({ events: 3, runs: 3, steps: 6 });
    expect(await executorRowsLeft(pool, [sleepingBatch, inSleepingBatch])).toEqual({ events: 2, runs: 1, steps: 2 });
  });
});
