import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POST as recover } from "@/app/api/v1/app/[app_id]/endpoint/[endpoint_id]/recover/route";
import { POST as resend } from "@/app/api/v1/app/[app]/msg/[msg]/endpoint/[endpoint]/resend/route";
import { GET as backgroundTask } from "@/app/api/v1/background-task/[id]/route";
import { createApiKey } from "@/lib/api-keys/manage";
import { db } from "@/lib/db";
import { setEndpointDisabled } from "@/lib/endpoints/endpoints";
import { sendEvent } from "@/lib/messages/send-event";
import { waitFor } from "@/tests/helpers/executor-harness";
import { contractCreated, orgWithEndpoint, PIPELINE_EXECUTOR, startDeliveryPipeline, type DeliveryPipeline } from "@/tests/helpers/delivery-harness";
import { startReceiver, type Receiver } from "@/tests/helpers/receiver";

const WAIT_MS = 500;
const ATTEMPT_TIMEOUT_MS = 3_000;
const BOUND_MS = 6 * (WAIT_MS + PIPELINE_EXECUTOR.pollMs + ATTEMPT_TIMEOUT_MS);

let pipeline: DeliveryPipeline;
const receivers: Receiver[] = [];

beforeAll(async () => {
  pipeline = await startDeliveryPipeline({ WEBHOOK_RETRY_SCHEDULE: `${WAIT_MS}ms`, WEBHOOK_ATTEMPT_TIMEOUT_MS: String(ATTEMPT_TIMEOUT_MS), RECOVERY_BATCH_SIZE: "2", RECOVERY_PARALLEL: "1" });
}, 60_000);
afterAll(async () => {
  await Promise.all(receivers.map((r) => r.close()));
  await pipeline?.close();
});

/** An organization with an API key, an endpoint whose receiver was down for `failed` messages, and is up again. */
async function setup(failedCount = 2) {
  const r = await startReceiver({ mode: { kind: "status", status: 503 } });
  receivers.push(r);
  const { org, endpointId, actor } = await orgWithEndpoint(`${r.url}/hook`);
  const { key } = await createApiKey({ name: "ops", scope: "ORGANIZATION", organizationId: org.id, createdById: actor.id });
  const failed: string[] = [];
  for (let i = 0; i < failedCount; i++) {
    const sent = await sendEvent({ id: org.id, webhooksEnabled: true }, contractCreated(i + 1));
    if (!sent.ok) throw new Error(sent.message);
    failed.push(sent.message.id);
  }
  await waitFor("deliveries to fail", async () => ((await db.delivery.count({ where: { messageId: { in: failed }, status: "FAILED" } })) === failedCount ? true : undefined), BOUND_MS);
  r.setMode({ kind: "status", status: 200 });
  r.reset();
  return { r, org, endpointId, actor, key, failed };
}

function post(handler: typeof recover, app: string, endpoint: string, body: unknown, key: string) {
  const request = new Request(`http://127.0.0.1/api/v1/app/${app}/endpoint/${endpoint}/x`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${key}` },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  return handler(request, { params: Promise.resolve({ app, endpoint }) });
}

function resendCall(app: string, msg: string, endpoint: string, key: string, body?: unknown) {
  const request = new Request(`http://127.0.0.1/api/v1/app/${app}/msg/${msg}/endpoint/${endpoint}/resend`, {
    method: "POST",
    headers: { authorization: `Bearer ${key}` },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return resend(request, { params: Promise.resolve({ app, msg, endpoint }) });
}

function taskCall(id: string, key: string) {
  return backgroundTask(new Request(`http://127.0.0.1/api/v1/background-task/${id}`, { headers: { authorization: `Bearer ${key}` } }), { params: Promise.resolve({ id }) });
}

const json = async (response: Response) => ({ status: response.status, body: (await response.json()) as Record<string, unknown> & { code?: string; data?: Record<string, unknown> } });
const hourAgo = () => new Date(Date.now() - 3_600_000).toISOString();

describe("POST /api/v1/app/{app}/msg/{msg}/endpoint/{endpoint}/resend", () => {
  it("makes one manual attempt now and answers 202 with it; a delivered message needs confirmDelivered", async () => {
    const { r, org, endpointId, key, failed } = await setup(1);
    const answer = await json(await resendCall(org.slug, failed[0]!, endpointId, key));
    expect(answer).toMatchObject({ status: 202, body: { attempt: { trigger: "manual", succeeded: true, statusCode: 200 } } });
    expect(r.total).toBe(1);
    expect(await json(await resendCall(org.slug, failed[0]!, endpointId, key))).toMatchObject({ status: 409, body: { code: "already_delivered" } });
    expect(await json(await resendCall(org.slug, failed[0]!, endpointId, key, { confirmDelivered: true }))).toMatchObject({ status: 202 });
    expect(r.total).toBe(2);
    expect(await json(await resendCall(org.slug, "msg_0000000000000000000000", endpointId, key))).toMatchObject({ status: 404, body: { code: "not_found" } });
  });

  it("does not show another organization's background task", async () => {
    const { org, endpointId, key } = await setup(0);
    const other = await setup(0);
    const started = await json(await post(recover, org.slug, endpointId, { since: hourAgo() }, key));
    expect(await json(await taskCall(started.body.id as string, other.key))).toMatchObject({ status: 404, body: { code: "not_found" } });
  });
});
