import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { setEndpointDisabled, updateEndpoint, getEndpoint } from "@/lib/endpoints/endpoints";
import { sendEvent } from "@/lib/messages/send-event";
import { resendMessage } from "@/lib/recovery/resend";
import { cancelTask, getTask, previewRecovery, startBulkResend, startRecovery, type TaskView } from "@/lib/recovery/tasks";
import { messageLogFiltersSchema } from "@/lib/validations/message-logs";
import { waitFor } from "@/tests/helpers/executor-harness";
import { contractCreated, orgWithEndpoint, PIPELINE_EXECUTOR, startDeliveryPipeline, type DeliveryPipeline } from "@/tests/helpers/delivery-harness";
import { startReceiver, type Receiver } from "@/tests/helpers/receiver";
import { quietAfterMarker } from "@/tests/helpers/run-barrier";
import { SEED_CATALOG } from "@/lib/catalog/seed-catalog";

/** Two attempts, half a second apart: a down receiver fails a delivery in about a second. */
const WAIT_MS = 500;
const ATTEMPT_TIMEOUT_MS = 3_000;
/** Two messages per batch, one request at a time: a test can hold a batch in flight. */
const BATCH = 2;
const ATTEMPT_BOUND_MS = WAIT_MS + PIPELINE_EXECUTOR.pollMs + ATTEMPT_TIMEOUT_MS;
const DELIVERY_BOUND_MS = 4 * ATTEMPT_BOUND_MS;
/** A task of n messages: a batch start (poll) and its attempts per batch, twice over. */
const taskBound = (n: number) => 2 * (Math.ceil(n / BATCH) + 2) * (PIPELINE_EXECUTOR.pollMs + ATTEMPT_TIMEOUT_MS);

let pipeline: DeliveryPipeline;
const receivers: Receiver[] = [];

beforeAll(async () => {
  pipeline = await startDeliveryPipeline({
    WEBHOOK_RETRY_SCHEDULE: `${WAIT_MS}ms`,
    WEBHOOK_ATTEMPT_TIMEOUT_MS: String(ATTEMPT_TIMEOUT_MS),
    RECOVERY_BATCH_SIZE: String(BATCH),
    RECOVERY_PARALLEL: "1",
  });
}, 60_000);
afterAll(async () => {
  await Promise.all(receivers.map((r) => r.close()));
  await pipeline?.close();
});

async function receiver() {
  const r = await startReceiver({ mode: { kind: "status", status: 200 } });
  receivers.push(r);
  return r;
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 5));
/**
 * Nothing more arrives for the organization's messages or the task (see quietAfterMarker): the
 * runs of the task and of every message with a delivery in the organization have ended.
 */
async function quiet(orgId: string, taskId: string) {
  const sendMarker = async () => {
    const r = await startReceiver({ mode: { kind: "fail-then-succeed", failures: 1 } });
    receivers.push(r);
    const { org } = await orgWithEndpoint(`${r.url}/marker`);
    return (await sendMany(org, 1))[0]!;
  };
  const messages = await db.delivery.findMany({ where: { organizationId: orgId }, select: { messageId: true }, distinct: ["messageId"] });
  await quietAfterMarker(pipeline.database.pool, sendMarker, [{ taskId }, ...messages.map((m) => m.messageId)], taskBound(messages.length));
}

/** Sends `n` events one after another (distinct creation times), returning their message ids. */
async function sendMany(org: { id: string }, n: number, eventType = "contract.created"): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const event = eventType === "contract.created" ? contractCreated(i + 1) : { eventType, payload: SEED_CATALOG.find((t) => t.name === eventType)!.examples[0]!.payload };
    const result = await sendEvent({ id: org.id, webhooksEnabled: true }, event);
    if (!result.ok) throw new Error(result.message);
    ids.push(result.message.id);
    await tick();
  }
  return ids;
}

const finished = (ids: string[]) => async () => {
  const rows = await db.delivery.findMany({ where: { messageId: { in: ids } } });
  return rows.length === ids.length && rows.every((d) => d.status === "SUCCEEDED" || d.status === "FAILED") ? rows : undefined;
};

const taskDone = (orgId: string, id: string) => async () => {
  const task = await getTask(orgId, id);
  return task && task.status !== "QUEUED" && task.status !== "RUNNING" ? task : undefined;
};

/** How many requests the receiver got per message id (the webhook-id header). */
function perMessage(r: Receiver): Map<string, number> {
  const counts = new Map<string, number>();
  for (const request of r.requests) {
    const id = String(request.headers["webhook-id"]);
    counts.set(id, (counts.get(id) ?? 0) + 1);
  }
  return counts;
}

function started(result: Awaited<ReturnType<typeof startRecovery>>): TaskView {
  if (!result.ok) throw new Error(`${result.code}: ${result.message}`);
  return result.task;
}

/** A receiver that was down for `down` messages after `up` delivered ones, and is up again. */
async function outage(up: number, down: number) {
  const r = await receiver();
  const { org, endpointId, actor } = await orgWithEndpoint(`${r.url}/hook`);
  const delivered = await sendMany(org, up);
  await waitFor("deliveries before the outage", finished(delivered), DELIVERY_BOUND_MS);
  r.setMode({ kind: "status", status: 503 });
  const failed = await sendMany(org, down);
  await waitFor("deliveries during the outage to fail", finished(failed), DELIVERY_BOUND_MS);
  r.setMode({ kind: "status", status: 200 });
  r.reset();
  const organization = { id: org.id, webhooksEnabled: true };
  const deliveryOf = (messageId: string) => db.delivery.findUniqueOrThrow({ where: { messageId_endpointId: { messageId, endpointId } } });
  return { r, org, organization, endpointId, actor, delivered, failed, deliveryOf };
}

describe("resend failed messages", () => {
  it("after an outage, resends each failed message exactly once from the first failure on and leaves delivered ones alone", async () => {
    const { r, org, organization, endpointId, actor, delivered, failed, deliveryOf } = await outage(3, 5);
    expect((await db.delivery.findMany({ where: { messageId: { in: failed } } })).every((d) => d.status === "FAILED")).toBe(true);
    const since = (await deliveryOf(failed[0]!)).createdAt;
    const window = { since, until: new Date() };

    const preview = await previewRecovery(organization, endpointId, "resend_failed", window);
    expect(preview).toMatchObject({ ok: true, count: 5 });
    const task = started(await startRecovery(organization, actor, endpointId, "resend_failed", window));
    const done = await waitFor("the task to finish", taskDone(org.id, task.id), taskBound(5));

    expect(done).toMatchObject({ status: "FINISHED", total: 5, processed: 5, succeeded: 5, failed: 0 });
    await quiet(org.id, task.id);
    const counts = perMessage(r);
    expect([...counts.keys()].sort()).toEqual([...failed].sort());
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
    for (const id of delivered) expect(counts.has(id)).toBe(false);
    for (const id of failed) {
      expect((await deliveryOf(id)).status).toBe("SUCCEEDED");
      const manual = await db.attempt.findMany({ where: { messageId: id, trigger: "MANUAL" } });
      expect(manual).toHaveLength(1);
      expect(manual[0]).toMatchObject({ attemptNumber: 1, succeeded: true, statusCode: 200 });
    }
    const audit = await db.auditLog.findFirst({ where: { organizationId: org.id, action: "recovery.resend_failed" } });
    expect(audit?.changes).toMatchObject({ taskId: task.id, count: 5, since: since.toISOString() });
    // A second run finds nothing left to resend.
    expect(await previewRecovery(organization, endpointId, "resend_failed", { since, until: new Date() })).toMatchObject({ count: 0 });
  });

  it("since an attempt: exactly the failed messages at and after that attempt's message", async () => {
    const { r, org, organization, endpointId, actor, failed, deliveryOf } = await outage(1, 5);
    const since = (await deliveryOf(failed[2]!)).createdAt;
    const task = started(await startRecovery(organization, actor, endpointId, "resend_failed", { since, until: new Date() }));
    expect(await waitFor("the task to finish", taskDone(org.id, task.id), taskBound(3))).toMatchObject({ status: "FINISHED", total: 3, succeeded: 3 });
    await quiet(org.id, task.id);
    expect([...perMessage(r).keys()].sort()).toEqual(failed.slice(2).sort());
    for (const id of failed.slice(0, 2)) expect((await deliveryOf(id)).status).toBe("FAILED");
  });

  it("a failed resend is recorded, not retried, and the delivery stays failed with the manual failure as its reason", async () => {
    const { r, org, organization, endpointId, actor, failed, deliveryOf } = await outage(0, 2);
    r.setMode({ kind: "status", status: 500 });
    const task = started(await startRecovery(organization, actor, endpointId, "resend_failed", { since: (await deliveryOf(failed[0]!)).createdAt, until: new Date() }));
    expect(await waitFor("the task to finish", taskDone(org.id, task.id), taskBound(2))).toMatchObject({ status: "FINISHED", succeeded: 0, failed: 2 });
    await quiet(org.id, task.id);
    expect(r.total).toBe(2);
    const after = await deliveryOf(failed[0]!);
    expect(after.status).toBe("FAILED");
    expect(after.failureReason).toMatch(/^manual resend failed: /);
  });

  it("refuses a second identical request while one runs, and Cancel stops the batches after the one in flight", async () => {
    const { r, org, organization, endpointId, actor, failed, deliveryOf } = await outage(0, 6);
    r.setMode({ kind: "hold" });
    const window = { since: (await deliveryOf(failed[0]!)).createdAt, until: new Date() };
    const task = started(await startRecovery(organization, actor, endpointId, "resend_failed", window));
    await r.waitForRequests(1, taskBound(1));

    const second = await startRecovery(organization, actor, endpointId, "resend_failed", window);
    expect(second).toMatchObject({ ok: false, code: "operation_in_progress", taskId: task.id });
    expect(await db.backgroundTask.count({ where: { endpointId } })).toBe(1);

    expect(await cancelTask(org.id, task.id, actor)).toMatchObject({ ok: true, task: { status: "CANCELLED" } });
    r.setMode({ kind: "status", status: 200 });
    r.release();
    const done = await waitFor("the cancelled task to stop", async () => {
      const t = await getTask(org.id, task.id);
      return t && t.cancelled > 0 && t.processed === t.total ? t : undefined;
    }, taskBound(6));
    await quiet(org.id, task.id);
    // The batch in flight (two messages, one request at a time) ends; nothing after it is sent.
    expect(r.total).toBe(BATCH);
    expect(done).toMatchObject({ status: "CANCELLED", total: 6, succeeded: BATCH, cancelled: 6 - BATCH });
    expect(await db.delivery.count({ where: { messageId: { in: failed }, status: "SENDING" } })).toBe(0);
    // Once cancelled, the same operation may start again.
    expect(await startRecovery(organization, actor, endpointId, "resend_failed", window)).toMatchObject({ ok: true });
  });

  it("refuses a disabled endpoint, saying to enable it first", async () => {
    const { organization, endpointId, actor } = await outage(0, 1);
    await setEndpointDisabled(organization.id, endpointId, true, actor);
    const result = await startRecovery(organization, actor, endpointId, "resend_failed", { since: new Date(Date.now() - 3_600_000), until: new Date() });
    expect(result).toMatchObject({ ok: false, code: "endpoint_disabled" });
    expect(!result.ok && result.message).toMatch(/enable it first/);
  });
});

describe("replay missing messages", () => {
  it("after subscribing to a new type, delivers exactly the messages of that type never attempted for the endpoint", async () => {
    const r = await receiver();
    const { org, endpointId, actor } = await orgWithEndpoint(`${r.url}/hook`);
    const since = new Date(Date.now() - 1_000);
    const created = await sendMany(org, 2);
    const listings = await sendMany(org, 3, "listing.published");
    await waitFor("deliveries", finished(created), DELIVERY_BOUND_MS);
    const endpoint = (await getEndpoint(org.id, endpointId))!;
    const updated = await updateEndpoint(org.id, endpointId, { ...endpoint, eventTypes: ["contract.created", "listing.published"] }, false, actor);
    expect(updated.ok).toBe(true);
    r.reset();

    const organization = { id: org.id, webhooksEnabled: true };
    const window = { since, until: new Date() };
    expect(await previewRecovery(organization, endpointId, "replay_missing", window)).toMatchObject({ ok: true, count: 3 });
    const task = started(await startRecovery(organization, actor, endpointId, "replay_missing", window));
    expect(await waitFor("the task to finish", taskDone(org.id, task.id), taskBound(3))).toMatchObject({ status: "FINISHED", total: 3, processed: 3 });
    await waitFor("replayed deliveries", finished(listings), DELIVERY_BOUND_MS);
    await quiet(org.id, task.id);
    const counts = perMessage(r);
    expect([...counts.keys()].sort()).toEqual([...listings].sort());
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
    // Normal deliveries: scheduled attempts, on the normal schedule.
    expect(await db.attempt.count({ where: { messageId: { in: listings }, trigger: "SCHEDULED" } })).toBe(3);
    expect(await getTask(org.id, task.id)).toMatchObject({ succeeded: 3, failed: 0, pending: 0 });
  });

  it("after re-enabling a disabled endpoint, delivers exactly the messages sent while it was disabled; since an attempt narrows it", async () => {
    const r = await receiver();
    const { org, endpointId, actor } = await orgWithEndpoint(`${r.url}/hook`);
    const before = await sendMany(org, 2);
    await waitFor("deliveries", finished(before), DELIVERY_BOUND_MS);
    await setEndpointDisabled(org.id, endpointId, true, actor);
    const missed = await sendMany(org, 4);
    await setEndpointDisabled(org.id, endpointId, false, actor);
    const after = await sendMany(org, 1);
    await waitFor("deliveries", finished(after), DELIVERY_BOUND_MS);
    expect(await db.delivery.count({ where: { messageId: { in: missed } } })).toBe(0);
    r.reset();

    const organization = { id: org.id, webhooksEnabled: true };
    // Since the last delivered message before the outage: the missed messages after it, nothing else.
    const since = (await db.delivery.findUniqueOrThrow({ where: { messageId_endpointId: { messageId: before[1]!, endpointId } } })).createdAt;
    const task = started(await startRecovery(organization, actor, endpointId, "replay_missing", { since, until: new Date() }));
    expect(await waitFor("the task to finish", taskDone(org.id, task.id), taskBound(4))).toMatchObject({ status: "FINISHED", total: 4 });
    await waitFor("replayed deliveries", finished(missed), DELIVERY_BOUND_MS);
    await quiet(org.id, task.id);
    expect([...perMessage(r).keys()].sort()).toEqual([...missed].sort());
    expect(r.total).toBe(4);
  });
});

describe("resend one message", () => {
  it("makes one manual attempt now; a delivered message needs an explicit confirmation", async () => {
    const { r, organization, endpointId, actor, delivered, failed } = await outage(1, 1);
    const again = await resendMessage(organization, endpointId, failed[0]!, {}, actor);
    expect(again).toMatchObject({ ok: true, attempt: { ok: true, statusCode: 200 } });
    expect(r.total).toBe(1);

    expect(await resendMessage(organization, endpointId, delivered[0]!, {}, actor)).toMatchObject({ ok: false, code: "already_delivered" });
    expect(r.total).toBe(1);
    expect(await resendMessage(organization, endpointId, delivered[0]!, { confirmDelivered: true }, actor)).toMatchObject({ ok: true, attempt: { ok: true } });
    expect(r.total).toBe(2);
    expect(await db.attempt.count({ where: { messageId: delivered[0]!, trigger: "MANUAL" } })).toBe(1);
    expect(await db.auditLog.count({ where: { organizationId: organization.id, action: "message.resent" } })).toBe(2);
  });

  it("is refused while an attempt is in flight, for a message no longer kept, and for a disabled endpoint", async () => {
    const { r, organization, endpointId, actor, failed } = await outage(0, 1);
    r.setMode({ kind: "hold" });
    const first = resendMessage(organization, endpointId, failed[0]!, {}, actor);
    await r.waitForRequests(1, ATTEMPT_BOUND_MS);
    expect(await resendMessage(organization, endpointId, failed[0]!, {}, actor)).toMatchObject({ ok: false, code: "attempt_in_flight" });
    r.release();
    expect(await first).toMatchObject({ ok: true });

    expect(await resendMessage(organization, endpointId, "msg_0000000000000000000000", {}, actor)).toMatchObject({ ok: false, code: "not_found", message: expect.stringMatching(/aged out of retention/) });
    await db.message.update({ where: { id: failed[0]! }, data: { createdAt: new Date(Date.now() - 365 * 86_400_000) } });
    expect(await resendMessage(organization, endpointId, failed[0]!, {}, actor)).toMatchObject({ ok: false, code: "aged_out" });

    await setEndpointDisabled(organization.id, endpointId, true, actor);
    expect(await resendMessage(organization, endpointId, failed[0]!, {}, actor)).toMatchObject({ ok: false, code: "endpoint_disabled" });
  });
});

describe("bulk resend of a message-log filter", () => {
  it("resends the failed deliveries the filter selects, across every page, for one endpoint", async () => {
    const { r, org, organization, endpointId, actor, delivered, failed } = await outage(2, 3);
    const filters = messageLogFiltersSchema.parse({ endpoint: endpointId, status: "failed", limit: "1" });
    const task = await startBulkResend(organization, actor, filters, false);
    if (!task.ok) throw new Error(task.message);
    expect(await waitFor("the task to finish", taskDone(org.id, task.task.id), taskBound(3))).toMatchObject({ status: "FINISHED", total: 3, succeeded: 3 });
    await quiet(org.id, task.task.id);
    expect([...perMessage(r).keys()].sort()).toEqual([...failed].sort());
    for (const id of delivered) expect(perMessage(r).has(id)).toBe(false);
  });
});
