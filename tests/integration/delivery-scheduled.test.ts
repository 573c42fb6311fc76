import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as msgRoute from "@/app/api/v1/app/[app_id]/msg/route";
import * as msgOneRoute from "@/app/api/v1/app/[app_id]/msg/[msg_id]/route";
import { db } from "@/lib/db";
import { deleteEndpoint, createEndpoint, setEndpointDisabled } from "@/lib/endpoints/endpoints";
import { activeSigningSecrets } from "@/lib/endpoints/secrets";
import { getMessageDetail } from "@/lib/messages/detail";
import { listMessages } from "@/lib/messages/list";
import { sendEvent } from "@/lib/messages/send-event";
import { scheduledFor } from "@/lib/messages/summary";
import { resendMessage } from "@/lib/recovery/resend";
import { countSelection } from "@/lib/recovery/selection";
import { deleteMessagesBefore } from "@/lib/retention/messages";
import { endpointConfigSchema } from "@/lib/validations/endpoint";
import { messageLogFiltersSchema } from "@/lib/validations/message-logs";
import { MAX_DELIVER_AHEAD_MS } from "@/lib/validations/message";
import { callRoute, organizationKey, problemOf } from "@/tests/helpers/api-v1";
import { contractCreated, orgWithEndpoint, PIPELINE_EXECUTOR, startDeliveryPipeline, type DeliveryPipeline } from "@/tests/helpers/delivery-harness";
import { waitFor } from "@/tests/helpers/executor-harness";
import { createOrg } from "@/tests/helpers/factories";
import { startReceiver, type Receiver } from "@/tests/helpers/receiver";
import { waitForRunsToEnd } from "@/tests/helpers/run-barrier";
import { eventMark, publishedSince } from "@/tests/helpers/webhooks-factories";

/**
 * Svix's `deliverAt`: a scheduled message is recorded at once, shown Scheduled, and its deliveries
 * wait durably (a `delivery/retry.due` run sleeping until then) and are made at that time, never
 * before; stopping the endpoint cancels them; recovery and retention respect the time.
 */

/**
 * How far ahead the tests schedule: long enough for what a test does while the message waits (its
 * run must be asleep, or the endpoint stopped, before the time comes) on a loaded machine, short
 * enough to run in seconds. The first test reads the message in four ways before it is due.
 */
const DELAY_MS = 6_000;
const READS_DELAY_MS = 10_000;
const ATTEMPT_TIMEOUT_MS = 3_000;
/** From the due time to the receiver: a poll of the executor, an attempt, and room for a loaded machine. */
const DUE_BOUND_MS = 2 * PIPELINE_EXECUTOR.pollMs + ATTEMPT_TIMEOUT_MS + 5_000;

let pipeline: DeliveryPipeline;
const receivers: Receiver[] = [];

beforeAll(async () => {
  pipeline = await startDeliveryPipeline({
    WEBHOOK_RETRY_SCHEDULE: "1s",
    WEBHOOK_ATTEMPT_TIMEOUT_MS: String(ATTEMPT_TIMEOUT_MS),
  });
}, 60_000);
afterAll(async () => {
  await Promise.all(receivers.map((r) => r.close()));
  await pipeline?.close();
});

async function receiver() {
  const r = await startReceiver();
  receivers.push(r);
  return r;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
const inFuture = (ms: number) => new Date(Date.now() + ms);

async function schedule(org: { id: string }, deliverAt: Date, n = 1) {
  const sent = await sendEvent({ id: org.id, webhooksEnabled: true }, { ...contractCreated(n), deliverAt });
  if (!sent.ok) throw new Error(sent.message);
  return sent.message;
}

/** The status of the retry run of the message's delivery (the run that sleeps until deliverAt). */
async function runStatusOf(messageId: string): Promise<string | undefined> {
  const { rows } = await pipeline.database.pool.query<{ status: string }>(
    `SELECT r.status FROM executor_runs r JOIN executor_events e ON e.id = r.event_id
      WHERE r.function_id LIKE '%deliver-message' AND e.data->>'messageId' = $1`,
    [messageId],
  );
  return rows[0]?.status;
}

const deliveryOf = (messageId: string) => db.delivery.findFirstOrThrow({ where: { messageId } });

describe("message.create with deliverAt", () => {
  it("records the message at once, shows it Scheduled, and delivers it at its time, not earlier", async () => {
    const r = await receiver();
    const { org, endpointId } = await orgWithEndpoint(`${r.url}/hook`);
    const key = await organizationKey(org.id);
    const deliverAt = inFuture(READS_DELAY_MS);
    const mark = await eventMark();
    const response = await callRoute(msgRoute, "POST", `/api/v1/app/${org.slug}/msg`, key, { ...contractCreated(), deliverAt: deliverAt.toISOString() });
    expect(response.status).toBe(202);
    const created = (await response.json()) as { id: string; deliverAt: string; deliveries: unknown };
    expect(created).toMatchObject({ deliverAt: deliverAt.toISOString(), deliveries: { total: 1, scheduled: 1, failed: 0 } });

    // Stored now: the message, and its delivery waiting for deliverAt, handed to the retry function.
    const delivery = await deliveryOf(created.id);
    expect(delivery).toMatchObject({ status: "PENDING", attemptCount: 0, nextAttemptAt: deliverAt });
    expect(await publishedSince(mark)).toEqual([
      expect.objectContaining({
        name: "delivery/retry.due",
        data: { deliveryId: delivery.id, organizationId: org.id, endpointId, messageId: created.id, attempt: 1, at: deliverAt.toISOString() },
      }),
    ]);
    const read = await callRoute(msgOneRoute, "GET", `/api/v1/app/${org.slug}/msg/${created.id}`, key);
    expect(await read.json()).toMatchObject({ id: created.id, deliverAt: deliverAt.toISOString() });

    // Shown as Scheduled in the logs and on the detail.
    const [row] = (await listMessages(org.id, messageLogFiltersSchema.parse({}))).items;
    expect(row).toMatchObject({ id: created.id, deliverAt });
    expect(scheduledFor(row!.deliveries, row!.deliverAt)).toEqual(deliverAt);
    expect(await getMessageDetail(org.id, created.id)).toMatchObject({ deliverAt, scheduled: true, notBefore: deliverAt });

    const [request] = await r.waitForRequests(1, READS_DELAY_MS + DUE_BOUND_MS);
    expect(request!.receivedAt).toBeGreaterThanOrEqual(deliverAt.getTime());
    const [secret] = await activeSigningSecrets(endpointId);
    expect(new Webhook(secret!).verify(request!.body.toString("utf8"), Object.fromEntries(Object.entries(request!.headers).map(([k, v]) => [k, String(v)])))).toEqual(
      contractCreated().payload,
    );
    await waitFor("the delivery recorded", async () => (await deliveryOf(created.id)).status === "SUCCEEDED", DUE_BOUND_MS);
    const attempts = await db.attempt.findMany({ where: { messageId: created.id } });
    expect(attempts.map((a) => [a.attemptNumber, a.trigger])).toEqual([[1, "SCHEDULED"]]);
    expect(attempts[0]!.startedAt.getTime()).toBeGreaterThanOrEqual(deliverAt.getTime());
    expect(await getMessageDetail(org.id, created.id)).toMatchObject({ scheduled: false, notBefore: null });
  });

  it("refuses a past time, one more than 5 days ahead and a time without a zone, with a 422 at body.deliverAt", async () => {
    const org = await createOrg({ webhooksEnabled: true });
    const key = await organizationKey(org.id);
    const send = (deliverAt: unknown) => callRoute(msgRoute, "POST", `/api/v1/app/${org.slug}/msg`, key, { ...contractCreated(), deliverAt });
    const cases: [unknown, RegExp][] = [
      [new Date(Date.now() - 60_000).toISOString(), /must be in the future/],
      [new Date(Date.now() + MAX_DELIVER_AHEAD_MS + 60_000).toISOString(), /at most 5 days ahead/],
      ["2030-01-01T10:00:00", /date and time with a zone/],
      ["tomorrow", /date and time with a zone/],
    ];
    for (const [deliverAt, msg] of cases) {
      expect(await problemOf(await send(deliverAt)), String(deliverAt)).toMatchObject({
        status: 422,
        body: { code: "invalid_body", detail: [{ loc: ["body", "deliverAt"], msg: expect.stringMatching(msg) }] },
      });
    }
    expect(await db.message.count({ where: { organizationId: org.id } })).toBe(0);
    // Just inside the window, and null (no schedule), are accepted.
    const farthest = await send(new Date(Date.now() + MAX_DELIVER_AHEAD_MS - 60_000).toISOString());
    expect(farthest.status).toBe(202);
    const immediate = await send(null);
    expect(immediate.status).toBe(202);
    expect(await immediate.json()).not.toHaveProperty("deliverAt");
    expect(MAX_DELIVER_AHEAD_MS).toBe(5 * 24 * 3_600_000);
  });

  it("waits durably: an executor stopped past the due time delivers once it is back, once", async () => {
    const r = await receiver();
    const { org } = await orgWithEndpoint(`${r.url}/hook`);
    const deliverAt = inFuture(DELAY_MS);
    const message = await schedule(org, deliverAt);
    await waitFor("the run asleep until deliverAt", async () => (await runStatusOf(message.id)) === "SLEEPING", DELAY_MS);
    await pipeline.stopExecutor();
    try {
      await sleep(deliverAt.getTime() - Date.now() + PIPELINE_EXECUTOR.pollMs);
      expect(r.total).toBe(0);
    } finally {
      await pipeline.restartExecutor();
    }
    const restarted = Date.now();
    const [request] = await r.waitForRequests(1, DUE_BOUND_MS);
    expect(request!.receivedAt).toBeGreaterThanOrEqual(restarted);
    await waitFor("the delivery recorded", async () => (await deliveryOf(message.id)).status === "SUCCEEDED", DUE_BOUND_MS);
    // Once: the run that slept through the stop has ended, and no other was started.
    await waitForRunsToEnd(pipeline.database.pool, message.id, DUE_BOUND_MS);
    expect(r.total).toBe(1);
  });

  it("disabling or deleting the endpoint cancels the waiting delivery: failed with the reason, the run cancelled, nothing sent", async () => {
    const r = await receiver();
    const disabled = await orgWithEndpoint(`${r.url}/disabled`);
    const deleted = await orgWithEndpoint(`${r.url}/deleted`);
    const deliverAt = inFuture(DELAY_MS);
    const [a, b] = [await schedule(disabled.org, deliverAt), await schedule(deleted.org, deliverAt)];
    await waitFor("both runs asleep", async () => (await runStatusOf(a.id)) === "SLEEPING" && (await runStatusOf(b.id)) === "SLEEPING", DELAY_MS);
    await setEndpointDisabled(disabled.org.id, disabled.endpointId, true, disabled.actor);
    expect((await deleteEndpoint(deleted.org.id, deleted.endpointId, deleted.actor)).ok).toBe(true);
    expect(await deliveryOf(a.id)).toMatchObject({ status: "FAILED", failureReason: "endpoint disabled", nextAttemptAt: null });
    expect(await deliveryOf(b.id)).toMatchObject({ status: "FAILED", failureReason: "endpoint deleted", nextAttemptAt: null });
    await waitFor("both runs cancelled", async () => (await runStatusOf(a.id)) === "CANCELLED" && (await runStatusOf(b.id)) === "CANCELLED", DUE_BOUND_MS);
    expect(await getMessageDetail(disabled.org.id, a.id)).toMatchObject({ scheduled: false, notBefore: deliverAt });
    // Barrier: a marker scheduled for the same time, to a receiver of its own, is delivered. The
    // executor claims due runs in wake-time order, so a run of a or b due then would have been
    // claimed with it; every run of a and b has ended, so none is still sending.
    const marker = await receiver();
    const markerMessage = await schedule((await orgWithEndpoint(`${marker.url}/marker`)).org, deliverAt);
    const [markerRequest] = await marker.waitForRequests(1, deliverAt.getTime() - Date.now() + DUE_BOUND_MS);
    expect(markerRequest!.headers["webhook-id"]).toBe(markerMessage.id);
    for (const { id } of [a, b]) await waitForRunsToEnd(pipeline.database.pool, id, DUE_BOUND_MS);
    expect(r.total).toBe(0);
  });
});

describe("a scheduled message and recovery", () => {
  it("is never sent before its time: resend refuses it, recover and replay leave it out; after its time, it can be recovered", async () => {
    const r = await receiver();
    const { org, endpointId, actor } = await orgWithEndpoint(`${r.url}/hook`);
    const organization = { id: org.id, webhooksEnabled: true };
    const deliverAt = inFuture(DELAY_MS);
    const message = await schedule(org, deliverAt);

    // Waiting: a resend is refused with the reason.
    expect(await resendMessage(organization, endpointId, message.id, {}, actor)).toMatchObject({ ok: false, code: "scheduled", message: expect.stringMatching(/its delivery waits/) });

    // Its endpoint disabled (the delivery stopped) and enabled again, still before its time.
    await setEndpointDisabled(org.id, endpointId, true, actor);
    await setEndpointDisabled(org.id, endpointId, false, actor);
    expect(await deliveryOf(message.id)).toMatchObject({ status: "FAILED" });
    expect(await resendMessage(organization, endpointId, message.id, {}, actor)).toMatchObject({ ok: false, code: "scheduled", message: expect.stringMatching(/resent from then on/) });
    const window = { since: new Date(Date.now() - 3_600_000), until: new Date(Date.now() + 3_600_000) };
    const resendFailed = { kind: "RESEND_FAILED" as const, endpointId, ...window };
    expect(await countSelection(org.id, resendFailed)).toBe(0);
    // An endpoint created after the message: replay leaves the message out while it is scheduled.
    const later = await createEndpoint(org.id, endpointConfigSchema.parse({ url: `${r.url}/later`, eventTypes: ["contract.created"], rateLimit: "" }), actor);
    if (!later.ok) throw new Error(later.message);
    const replay = { kind: "REPLAY_MISSING" as const, endpointId: later.id, eventTypes: ["contract.created"], ...window };
    expect(await countSelection(org.id, replay)).toBe(0);
    const bulk = { kind: "BULK_RESEND" as const, endpointId: null, includeDelivered: false, filter: { ...messageLogFiltersSchema.parse({}), from: window.since, to: window.until } };
    expect(await countSelection(org.id, bulk)).toBe(0);
    expect(r.total).toBe(0);

    // Its time has come: every kind selects it, and a resend sends it.
    await sleep(deliverAt.getTime() - Date.now() + 50);
    expect(await countSelection(org.id, resendFailed)).toBe(1);
    expect(await countSelection(org.id, replay)).toBe(1);
    expect(await countSelection(org.id, bulk)).toBe(1);
    expect(await resendMessage(organization, endpointId, message.id, {}, actor)).toMatchObject({ ok: true, attempt: { ok: true } });
    expect(r.total).toBe(1);
    expect(r.requests[0]!.receivedAt).toBeGreaterThanOrEqual(deliverAt.getTime());
  });
});

describe("a scheduled message and retention", () => {
  it("counts its age from its deliverAt: kept past the retention period of its creation while its time is ahead", async () => {
    const org = await createOrg({ webhooksEnabled: true });
    const DAY = 86_400_000;
    const createdAt = new Date(Date.now() - 2 * DAY);
    // Recorded two days ago, due tomorrow; no endpoint, so nothing is pending to keep it.
    const scheduled = await sendEvent({ id: org.id, webhooksEnabled: true }, { ...contractCreated(1), deliverAt: new Date(createdAt.getTime() + 3 * DAY) }, createdAt);
    const plain = await sendEvent({ id: org.id, webhooksEnabled: true }, contractCreated(2), createdAt);
    if (!scheduled.ok || !plain.ok) throw new Error("not sent");
    const cutoff = new Date(Date.now() - DAY);
    await deleteMessagesBefore(cutoff, 5_000);
    expect(await db.message.findMany({ where: { organizationId: org.id }, select: { id: true } })).toEqual([{ id: scheduled.message.id }]);
    // Once its deliverAt is older than the cutoff, it goes too.
    await deleteMessagesBefore(new Date(Date.now() + 2 * DAY), 5_000);
    expect(await db.message.count({ where: { organizationId: org.id } })).toBe(0);
  });
});
