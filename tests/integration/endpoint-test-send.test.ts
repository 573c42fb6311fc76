import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { checkTestPayloadAction, sendTestAction, testDeliveryStateAction } from "@/actions/endpoint-testing";
import { db } from "@/lib/db";
import { createEndpoint } from "@/lib/endpoints/endpoints";
import { getMessageDetail } from "@/lib/messages/detail";
import { listMessages } from "@/lib/messages/list";
import { sendTestMessage } from "@/lib/messages/send-test";
import { messageLogFiltersSchema } from "@/lib/validations/message-logs";
import { endpointConfigSchema } from "@/lib/validations/endpoint";
import { signInAs } from "@/tests/helpers/auth-mock";
import { contractCreated, orgWithEndpoint, startDeliveryPipeline, type DeliveryPipeline } from "@/tests/helpers/delivery-harness";
import { waitFor } from "@/tests/helpers/executor-harness";
import { createMember } from "@/tests/helpers/factories";
import { startReceiver, type Receiver, type ReceiverMode } from "@/tests/helpers/receiver";

vi.mock("@/auth", () => import("@/tests/helpers/auth-mock"));
vi.mock("next/cache", () => import("@/tests/helpers/next-mocks"));

let pipeline: DeliveryPipeline;
const receivers: Receiver[] = [];

beforeAll(async () => {
  pipeline = await startDeliveryPipeline({ WEBHOOK_RETRY_SCHEDULE: "1s", WEBHOOK_ATTEMPT_TIMEOUT_MS: "1000" });
}, 60_000);
afterAll(async () => {
  await Promise.all(receivers.map((r) => r.close()));
  await pipeline?.close();
});

async function receiver(mode: ReceiverMode = { kind: "status", status: 200 }) {
  const r = await startReceiver({ mode });
  receivers.push(r);
  return r;
}

/** A second endpoint of the same organization, subscribed to the same type: it must hear nothing. */
async function neighbour(orgId: string, url: string, actor: { id: string; email: string }) {
  const created = await createEndpoint(orgId, endpointConfigSchema.parse({ url, eventTypes: ["contract.created"], rateLimit: "" }), actor);
  if (!created.ok) throw new Error(created.message);
  return created.id;
}

const form = (org: string, endpointId: string, overrides: Record<string, unknown> = {}) => ({
  org,
  endpointId,
  eventType: "contract.created",
  payloadJson: JSON.stringify(contractCreated().payload),
  ...overrides,
});

describe("Testing tab: send a test message", () => {
  it("delivers to this endpoint only, through the normal path, with attempts recorded as TEST", async () => {
    const target = await receiver();
    const other = await receiver();
    const { org, endpointId, actor } = await orgWithEndpoint(`${target.url}/hook`);
    const otherId = await neighbour(org.id, `${other.url}/hook`, actor);
    signInAs((await createMember(org.id, "ADMIN")).id);

    const sent = await sendTestAction(form(org.slug, endpointId));
    if (!sent.ok) throw new Error(sent.error);
    const [request] = await target.waitForRequests(1, 10_000);
    expect(request!.headers["webhook-id"]).toBe(sent.data.messageId);

    const state = await waitFor("the test delivery to finish", async () => {
      const result = await testDeliveryStateAction({ org: org.slug, endpointId, deliveryId: sent.data.deliveryId });
      return result.ok && result.data.status === "SUCCEEDED" ? result.data : undefined;
    });
    expect(state.attempt).toMatchObject({ succeeded: true, statusCode: 200, diagnosis: { tone: "success", label: "HTTP 200" }, responseBody: { text: "ok" } });

    const attempts = await db.attempt.findMany({ where: { messageId: sent.data.messageId } });
    expect(attempts.map((a) => [a.endpointId, a.trigger])).toEqual([[endpointId, "TEST"]]);
    expect(await db.delivery.count({ where: { messageId: sent.data.messageId } })).toBe(1);
    expect(await db.delivery.count({ where: { endpointId: otherId } })).toBe(0);
    expect(other.total).toBe(0);
  });

  it("sends a type the endpoint does not subscribe to, and its failure reads as a diagnosis", async () => {
    const failing = await receiver({ kind: "status", status: 500, body: '{"error":"boom"}', headers: { "content-type": "application/json" } });
    const { org, endpointId } = await orgWithEndpoint(`${failing.url}/hook`);
    const cancelled = (await db.eventType.findUniqueOrThrow({ where: { name: "contract.cancelled" } })).examples as { payload: Record<string, unknown> }[];

    const sent = await sendTestMessage(org, endpointId, { eventType: "contract.cancelled", payload: cancelled[0]!.payload });
    if (!sent.ok) throw new Error(sent.message);
    // Marked as a test in the logs and the detail, unlike the messages the API sends.
    const listed = await listMessages(org.id, messageLogFiltersSchema.parse({}));
    expect(listed.items.map((m) => [m.id, m.test])).toEqual([[sent.messageId, true]]);
    expect((await getMessageDetail(org.id, sent.messageId))?.test).toBe(true);
    signInAs((await createMember(org.id, "VIEWER")).id);
    const state = await waitFor("the first attempt", async () => {
      const result = await testDeliveryStateAction({ org: org.slug, endpointId, deliveryId: sent.deliveryId });
      return result.ok && result.data.attempt ? result.data : undefined;
    });
    expect(state.attempt).toMatchObject({ succeeded: false, statusCode: 500, diagnosis: { tone: "failure", sentence: "HTTP 500 Internal Server Error" } });
    expect(state.attempt!.responseBody).toEqual({ text: '{\n  "error": "boom"\n}', isJson: true, truncated: false });
    // The retry of a test delivery is a test attempt too.
    await waitFor("the retry", async () => (await db.attempt.count({ where: { deliveryId: sent.deliveryId } })) === 2 || undefined);
    expect(new Set((await db.attempt.findMany({ where: { deliveryId: sent.deliveryId } })).map((a) => a.trigger))).toEqual(new Set(["TEST"]));
  });

  it("refuses a VIEWER, who may still check a payload", async () => {
    const r = await receiver();
    const { org, endpointId } = await orgWithEndpoint(`${r.url}/hook`);
    signInAs((await createMember(org.id, "VIEWER")).id);
    await expect(sendTestAction(form(org.slug, endpointId))).resolves.toMatchObject({ ok: false, code: "forbidden" });
    await expect(checkTestPayloadAction(form(org.slug, endpointId))).resolves.toEqual({ ok: true, data: { valid: true } });
    expect(await db.message.count({ where: { organizationId: org.id } })).toBe(0);
  });

  it("refuses another organization's endpoint", async () => {
    const r = await receiver();
    const mine = await orgWithEndpoint(`${r.url}/mine`);
    const theirs = await orgWithEndpoint(`${r.url}/theirs`);
    signInAs((await createMember(mine.org.id, "OWNER")).id);
    await expect(sendTestAction(form(mine.org.slug, theirs.endpointId))).resolves.toMatchObject({ ok: false, code: "not_found" });
    // Naming the other organization does not help: the caller is not its member.
    await expect(sendTestAction(form(theirs.org.slug, theirs.endpointId))).resolves.toMatchObject({ ok: false });
    expect(await db.message.count({ where: { organizationId: { in: [mine.org.id, theirs.org.id] } } })).toBe(0);
    expect(r.total).toBe(0);
  });

  it("checks the payload against the type's schema and never records an invalid one", async () => {
    const r = await receiver();
    const { org, endpointId } = await orgWithEndpoint(`${r.url}/hook`);
    signInAs((await createMember(org.id, "ADMIN")).id);
    const invalid = form(org.slug, endpointId, { payloadJson: '{"marketplace": "ebay"}' });
    await expect(checkTestPayloadAction(invalid)).resolves.toMatchObject({ ok: false, code: "invalid_payload", fieldErrors: { payloadJson: expect.arrayContaining([expect.stringMatching(/^\/marketplace must be one of/)]) } });
    await expect(sendTestAction(invalid)).resolves.toMatchObject({ ok: false, code: "invalid_payload" });
    await expect(checkTestPayloadAction(form(org.slug, endpointId, { payloadJson: "{ nope" }))).resolves.toMatchObject({ ok: false, code: "invalid_input", fieldErrors: { payloadJson: [expect.stringMatching(/not valid JSON/)] } });
    expect(await db.message.count({ where: { organizationId: org.id } })).toBe(0);
  });

  it("refuses a disabled endpoint", async () => {
    const r = await receiver();
    const { org, endpointId } = await orgWithEndpoint(`${r.url}/hook`);
    await db.endpoint.update({ where: { id: endpointId }, data: { disabled: true } });
    const result = await sendTestMessage(org, endpointId, contractCreated());
    expect(result).toMatchObject({ ok: false, code: "endpoint_disabled" });
  });
});
