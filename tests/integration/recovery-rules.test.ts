import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { previewRecoveryAction, resendMessageAction, startBulkResendAction, startRecoveryAction } from "@/actions/recovery";
import * as recoverRoute from "@/app/api/v1/app/[app_id]/endpoint/[endpoint_id]/recover/route";
import * as replayMissingRoute from "@/app/api/v1/app/[app_id]/endpoint/[endpoint_id]/replay-missing/route";
import * as resendRoute from "@/app/api/v1/app/[app_id]/msg/[msg_id]/endpoint/[endpoint_id]/resend/route";
import { db } from "@/lib/db";
import { createEndpoint, setEndpointDisabled } from "@/lib/endpoints/endpoints";
import { sendEvent } from "@/lib/messages/send-event";
import { sendExampleMessage } from "@/lib/messages/send-test";
import { setWebhooksEnabled } from "@/lib/organizations/organizations";
import { ids } from "@/lib/ids";
import { resendMessage } from "@/lib/recovery/resend";
import { runTaskBatch } from "@/lib/recovery/run";
import { snapshotSelection, storeSelection, type RecoverySelection } from "@/lib/recovery/selection";
import { getTask } from "@/lib/recovery/tasks";
import { endpointConfigSchema } from "@/lib/validations/endpoint";
import { callRoute, organizationKey, problemOf } from "@/tests/helpers/api-v1";
import { signInAs } from "@/tests/helpers/auth-mock";
import { contractCreated, orgWithEndpoint, PIPELINE_EXECUTOR, startDeliveryPipeline, type DeliveryPipeline } from "@/tests/helpers/delivery-harness";
import { waitFor } from "@/tests/helpers/executor-harness";
import { createMember } from "@/tests/helpers/factories";
import { startReceiver, type Receiver, type ReceiverMode } from "@/tests/helpers/receiver";

vi.mock("@/auth", () => import("@/tests/helpers/auth-mock"));
vi.mock("next/cache", () => import("@/tests/helpers/next-mocks"));
vi.mock("next/headers", () => ({
  headers: async () => new Headers({ host: "127.0.0.1:3000", "x-forwarded-proto": "http" }),
  cookies: async () => ({ get: () => undefined, has: () => false }),
}));

/**
 * The safe rules of manual recovery (docs/recovery.md, "Safe rules"), through the dashboard's
 * actions and the API, on the whole pipeline (real executor, real receivers on 127.0.0.1):
 * a delivery still on its retry schedule or in flight is not resent, a window's `until` is
 * exclusive, test messages are never replayed, and nothing is recovered while webhooks are off.
 *
 * The retry schedule is one wait of an hour: after its first failed attempt a delivery stays
 * PENDING with its next attempt far ahead, so "still being retried" is a state the test holds,
 * not a race. A delivery ends FAILED the way a real one does when its endpoint is disabled.
 */

/** Longer than any test: a request the receiver holds stays in flight until the test releases it, however loaded the machine. */
const ATTEMPT_TIMEOUT_MS = 120_000;
/** What a receiver that answers at once may take to be heard, on a loaded machine. */
const ANSWER_MS = 3_000;
/** A first attempt, or a recovery task of a few items: a poll, a lease and an answer, six times over for load. */
const BOUND_MS = 6 * (PIPELINE_EXECUTOR.pollMs + ANSWER_MS + PIPELINE_EXECUTOR.leaseMs);

let pipeline: DeliveryPipeline;
const receivers: Receiver[] = [];

beforeAll(async () => {
  pipeline = await startDeliveryPipeline({ WEBHOOK_RETRY_SCHEDULE: "1h", WEBHOOK_ATTEMPT_TIMEOUT_MS: String(ATTEMPT_TIMEOUT_MS) });
}, 60_000);

afterAll(async () => {
  await Promise.all(receivers.map((r) => r.close()));
  await pipeline?.close();
});

beforeEach(() => signInAs(null));

async function receiver(mode: ReceiverMode) {
  const r = await startReceiver({ mode });
  receivers.push(r);
  return r;
}

/** An organization with webhooks on, one endpoint at a receiver that answers 503, an admin signed in, and an organization API key. */
async function setup() {
  const r = await receiver({ kind: "status", status: 503 });
  const { org, endpointId, actor } = await orgWithEndpoint(`${r.url}/hook`);
  const admin = await createMember(org.id, "ADMIN");
  signInAs(admin.id);
  return { r, org, endpointId, actor, key: await organizationKey(org.id) };
}

type Setup = Awaited<ReturnType<typeof setup>>;

/** Sends a message and waits for its first scheduled attempt to fail: the delivery is then PENDING, its retry an hour away. */
async function pendingMessage({ org, endpointId }: Pick<Setup, "org" | "endpointId">, n: number) {
  const sent = await sendEvent({ id: org.id, webhooksEnabled: true }, contractCreated(n));
  if (!sent.ok) throw new Error(sent.message);
  const delivery = await waitFor("the first attempt to fail", async () => {
    const d = await db.delivery.findUnique({ where: { messageId_endpointId: { messageId: sent.message.id, endpointId } } });
    return d?.status === "PENDING" && d.attemptCount === 1 && d.nextAttemptAt ? d : undefined;
  }, BOUND_MS);
  return { messageId: sent.message.id, delivery };
}

/** Ends the endpoint's pending deliveries FAILED ("endpoint disabled"), as disabling it does, and enables it again. */
async function failPending({ org, endpointId, actor }: Pick<Setup, "org" | "endpointId" | "actor">) {
  expect(await setEndpointDisabled(org.id, endpointId, true, actor)).toMatchObject({ ok: true, changed: true });
  expect(await setEndpointDisabled(org.id, endpointId, false, actor)).toMatchObject({ ok: true, changed: true });
}

const resendApi = (s: Pick<Setup, "org" | "endpointId" | "key">, messageId: string) =>
  callRoute(resendRoute, "POST", `/api/v1/app/${s.org.slug}/msg/${messageId}/endpoint/${s.endpointId}/resend`, s.key);
const recoverApi = (s: Pick<Setup, "org" | "endpointId" | "key">, body: Record<string, string>) =>
  callRoute(recoverRoute, "POST", `/api/v1/app/${s.org.slug}/endpoint/${s.endpointId}/recover`, s.key, body);
const replayApi = (s: Pick<Setup, "org" | "endpointId" | "key">, body: Record<string, string>) =>
  callRoute(replayMissingRoute, "POST", `/api/v1/app/${s.org.slug}/endpoint/${s.endpointId}/replay-missing`, s.key, body);

const hourAgo = () => new Date(Date.now() - 3_600_000).toISOString();
const webhookIds = (r: Receiver) => r.requests.map((q) => q.headers["webhook-id"]);

async function finished(organizationId: string, taskId: string) {
  return waitFor("the task to finish", async () => {
    const task = await getTask(organizationId, taskId);
    return task && task.status !== "QUEUED" && task.status !== "RUNNING" ? task : undefined;
  }, BOUND_MS);
}

const manualAttempts = (deliveryId: string) => db.attempt.count({ where: { deliveryId, trigger: "MANUAL" } });

describe("a delivery still under way", () => {
  it("is not resent while it waits on its retry schedule: delivery_in_progress (409) with its next attempt time, from the dashboard and the API", async () => {
    const s = await setup();
    const { messageId, delivery } = await pendingMessage(s, 1);
    s.r.setMode({ kind: "status", status: 200 });

    const action = await resendMessageAction({ org: s.org.slug, endpointId: s.endpointId, messageId });
    expect(action).toMatchObject({ ok: false, code: "delivery_in_progress", error: expect.stringContaining(delivery.nextAttemptAt!.toISOString()) });
    const api = await problemOf(await resendApi(s, messageId));
    expect(api).toMatchObject({ status: 409, body: { code: "delivery_in_progress" } });
    // A resend makes its attempt before answering: a refused one left nothing behind.
    expect(await manualAttempts(delivery.id)).toBe(0);
    expect(s.r.requests).toHaveLength(1);
    expect(await db.delivery.findUniqueOrThrow({ where: { id: delivery.id } })).toMatchObject({ status: "PENDING", nextAttemptAt: delivery.nextAttemptAt });

    // Once its schedule has ended (failed), the same call resends it.
    await failPending(s);
    expect(await (await resendApi(s, messageId)).json()).toMatchObject({ attempt: { trigger: "manual", succeeded: true, statusCode: 200 } });
    expect(webhookIds(s.r)).toEqual([messageId, messageId]);
  });

  it("is not resent while an attempt is in flight: attempt_in_flight (409), from the dashboard and the API", async () => {
    const s = await setup();
    s.r.setMode({ kind: "hold" });
    const sent = await sendEvent({ id: s.org.id, webhooksEnabled: true }, contractCreated(2));
    if (!sent.ok) throw new Error(sent.message);
    await s.r.waitForRequests(1, BOUND_MS);
    const delivery = await db.delivery.findUniqueOrThrow({ where: { messageId_endpointId: { messageId: sent.message.id, endpointId: s.endpointId } } });
    expect(delivery.status).toBe("SENDING");

    expect(await resendMessageAction({ org: s.org.slug, endpointId: s.endpointId, messageId: sent.message.id })).toMatchObject({
      ok: false,
      code: "attempt_in_flight",
      error: expect.stringMatching(/is in flight: wait for its answer/),
    });
    expect(await problemOf(await resendApi(s, sent.message.id))).toMatchObject({ status: 409, body: { code: "attempt_in_flight" } });
    // Confirming "already delivered" does not get past it either.
    expect(await resendMessageAction({ org: s.org.slug, endpointId: s.endpointId, messageId: sent.message.id, confirmDelivered: true })).toMatchObject({ ok: false, code: "attempt_in_flight" });
    expect(await manualAttempts(delivery.id)).toBe(0);
    expect(s.r.total).toBe(1);

    s.r.setMode({ kind: "status", status: 503 });
    expect(s.r.release({ kind: "status", status: 503 })).toBe(1);
  });

  it("is left out of a windowed recovery: only the endpoint's failed deliveries are counted and resent", async () => {
    const s = await setup();
    const failed = await pendingMessage(s, 3);
    await failPending(s);
    const pending = await pendingMessage(s, 4);
    s.r.setMode({ kind: "status", status: 200 });
    s.r.reset();

    const preview = await previewRecoveryAction({ org: s.org.slug, endpointId: s.endpointId, kind: "resend_failed", since: hourAgo() });
    expect(preview).toMatchObject({ ok: true, data: { count: 1 } });
    const started = await recoverApi(s, { since: hourAgo() });
    expect(started.status).toBe(202);
    const task = await finished(s.org.id, ((await started.json()) as { id: string }).id);
    expect(task).toMatchObject({ status: "FINISHED", total: 1, processed: 1, succeeded: 1 });
    // The task has ended, so everything it would send has arrived; the pending delivery's retry is an hour away.
    expect(webhookIds(s.r)).toEqual([failed.messageId]);
    expect(await manualAttempts(pending.delivery.id)).toBe(0);
    expect(await db.delivery.findUniqueOrThrow({ where: { id: pending.delivery.id } })).toMatchObject({ status: "PENDING", attemptCount: 1 });
  });
  it("is skipped by a windowed recovery that counted it before its attempt started, with the reason, and not sent twice", async () => {
    const s = await setup();
    const failed = await pendingMessage(s, 9);
    await failPending(s);
    s.r.reset();
    // The task as its function finds it after its snapshot: running, its one item written, nothing sent yet.
    const selection: RecoverySelection = { kind: "RESEND_FAILED", endpointId: s.endpointId, since: new Date(Date.now() - 3_600_000), until: new Date(Date.now() + 1_000) };
    const taskId = ids.task.generate();
    await db.backgroundTask.create({ data: { id: taskId, organizationId: s.org.id, endpointId: s.endpointId, kind: selection.kind, params: storeSelection(selection) as object, status: "RUNNING", createdBy: "test" } });
    expect(await snapshotSelection(taskId, s.org.id, selection)).toBe(1);

    // A person resends the same message meanwhile; the receiver holds that attempt in flight.
    s.r.setMode({ kind: "hold" });
    const single = resendMessage({ id: s.org.id, webhooksEnabled: true }, s.endpointId, failed.messageId, {}, s.actor);
    await s.r.waitForRequests(1, BOUND_MS);
    await runTaskBatch(taskId);
    expect(await db.backgroundTaskItem.findMany({ where: { taskId }, select: { messageId: true, state: true, detail: true } })).toEqual([
      { messageId: failed.messageId, state: "SKIPPED", detail: "an attempt is in flight or scheduled" },
    ]);
    // The batch has returned, so anything it sent has arrived: only the held resend did.
    expect(s.r.total).toBe(1);
    expect(s.r.release({ kind: "status", status: 200 })).toBe(1);
    expect(await single).toMatchObject({ ok: true, attempt: { ok: true, statusCode: 200 } });
    expect(await manualAttempts(failed.delivery.id)).toBe(1);
  });
});

describe("a recovery window", () => {
  it("includes `since` and excludes `until`: a failure at or after `until` is not recovered, one before it is", async () => {
    const s = await setup();
    const early = await pendingMessage(s, 5);
    const late = await pendingMessage(s, 6);
    await failPending(s);
    s.r.setMode({ kind: "status", status: 200 });
    s.r.reset();
    const since = early.delivery.createdAt;
    const until = late.delivery.createdAt;
    expect(since.getTime()).toBeLessThan(until.getTime());

    const window = { since: since.toISOString(), until: until.toISOString() };
    expect(await previewRecoveryAction({ org: s.org.slug, endpointId: s.endpointId, kind: "resend_failed", ...window })).toMatchObject({ ok: true, data: { count: 1 } });
    const first = await recoverApi(s, window);
    expect(first.status).toBe(202);
    expect(await finished(s.org.id, ((await first.json()) as { id: string }).id)).toMatchObject({ status: "FINISHED", total: 1, succeeded: 1 });
    expect(webhookIds(s.r)).toEqual([early.messageId]);

    // One millisecond later the late failure is inside the window (the early one is delivered now, so no longer failed).
    const wider = { since: window.since, until: new Date(until.getTime() + 1).toISOString() };
    const second = await startRecoveryAction({ org: s.org.slug, endpointId: s.endpointId, kind: "resend_failed", ...wider });
    if (!second.ok) throw new Error(second.error);
    expect(await finished(s.org.id, second.data.id)).toMatchObject({ status: "FINISHED", total: 1, succeeded: 1 });
    expect(webhookIds(s.r)).toEqual([early.messageId, late.messageId]);
  });
});

describe("test messages", () => {
  it("are never replayed: replay missing sends the window's real messages only", async () => {
    const s = await setup();
    s.r.setMode({ kind: "status", status: 200 });
    const test = await sendExampleMessage({ id: s.org.id, webhooksEnabled: true }, s.endpointId, "contract.created", 0);
    if (!test.ok) throw new Error(test.message);
    const real = await sendEvent({ id: s.org.id, webhooksEnabled: true }, contractCreated(7));
    if (!real.ok) throw new Error(real.message);
    await s.r.waitForRequests(2, BOUND_MS);
    expect(await db.message.findUniqueOrThrow({ where: { id: test.messageId } })).toMatchObject({ test: true, eventType: "contract.created" });

    // A new endpoint for the same type never had either message.
    const later = await receiver({ kind: "status", status: 200 });
    const created = await createEndpoint(s.org.id, endpointConfigSchema.parse({ url: `${later.url}/hook`, eventTypes: ["contract.created"], rateLimit: "" }), s.actor);
    if (!created.ok) throw new Error(created.message);
    const fresh = { ...s, endpointId: created.id };
    const window = { since: hourAgo(), until: new Date(Date.now() + 1_000).toISOString() };
    expect(await previewRecoveryAction({ org: s.org.slug, endpointId: created.id, kind: "replay_missing", ...window })).toMatchObject({ ok: true, data: { count: 1 } });

    const started = await replayApi(fresh, window);
    expect(started.status).toBe(202);
    const task = await finished(s.org.id, ((await started.json()) as { id: string }).id);
    expect(task).toMatchObject({ status: "FINISHED", total: 1 });
    await later.waitForRequests(1, BOUND_MS);
    // The task's items are what it sent: the test message was never among them.
    expect((await db.backgroundTaskItem.findMany({ where: { taskId: task.id } })).map((i) => i.messageId)).toEqual([real.message.id]);
    expect(await db.delivery.findMany({ where: { endpointId: created.id }, select: { messageId: true } })).toEqual([{ messageId: real.message.id }]);
    expect(webhookIds(later)).toEqual([real.message.id]);
  });
});

describe("webhooks switched off for the organization", () => {
  it("refuse every recovery and resend (webhooks_disabled, 409) from the dashboard and the API, and start nothing", async () => {
    const s = await setup();
    const { messageId, delivery } = await pendingMessage(s, 8);
    await failPending(s);
    s.r.setMode({ kind: "status", status: 200 });
    s.r.reset();
    expect(await setWebhooksEnabled(s.org.id, false)).toBe(false);

    const window = { since: hourAgo() };
    const refused = { ok: false, code: "webhooks_disabled" };
    expect(await startRecoveryAction({ org: s.org.slug, endpointId: s.endpointId, kind: "resend_failed", ...window })).toMatchObject(refused);
    expect(await startRecoveryAction({ org: s.org.slug, endpointId: s.endpointId, kind: "replay_missing", ...window })).toMatchObject(refused);
    expect(await previewRecoveryAction({ org: s.org.slug, endpointId: s.endpointId, kind: "resend_failed", ...window })).toMatchObject(refused);
    expect(await resendMessageAction({ org: s.org.slug, endpointId: s.endpointId, messageId })).toMatchObject(refused);
    expect(await startBulkResendAction({ org: s.org.slug, filters: {} })).toMatchObject(refused);
    expect(await startBulkResendAction({ org: s.org.slug, filters: { endpoint: s.endpointId } })).toMatchObject(refused);

    for (const answer of [await recoverApi(s, window), await replayApi(s, window), await resendApi(s, messageId)]) {
      expect(await problemOf(answer)).toMatchObject({ status: 409, body: { code: "webhooks_disabled" } });
    }
    expect(await db.backgroundTask.count({ where: { organizationId: s.org.id } })).toBe(0);
    expect(await manualAttempts(delivery.id)).toBe(0);
    expect(s.r.total).toBe(0);

    // Switched on again, the same delivery is resent: the switch was the only thing in the way.
    expect(await setWebhooksEnabled(s.org.id, true)).toBe(true);
    expect(await resendMessageAction({ org: s.org.slug, endpointId: s.endpointId, messageId })).toMatchObject({ ok: true, data: { ok: true, statusCode: 200 } });
    expect(webhookIds(s.r)).toEqual([messageId]);
  });
});
