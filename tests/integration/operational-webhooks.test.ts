import Ajv from "ajv";
import addFormats from "ajv-formats";
import { Webhook } from "standardwebhooks";
import { Webhook as SvixWebhook } from "svix";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as endpointRoute from "@/app/api/v1/operational-webhook/endpoint/[endpoint_id]/route";
import * as secretRoute from "@/app/api/v1/operational-webhook/endpoint/[endpoint_id]/secret/route";
import * as endpointsRoute from "@/app/api/v1/operational-webhook/endpoint/route";
import { db } from "@/lib/db";
import { deleteEndpoint, setEndpointDisabled, updateEndpoint } from "@/lib/endpoints/endpoints";
import { sendEvent } from "@/lib/messages/send-event";
import { PLATFORM_ORGANIZATION_ID } from "@/lib/operational/platform";
import { callRoute, platformKey } from "@/tests/helpers/api-v1";
import { waitFor } from "@/tests/helpers/executor-harness";
import { contractCreated, orgWithEndpoint, PIPELINE_EXECUTOR, startDeliveryPipeline, type DeliveryPipeline } from "@/tests/helpers/delivery-harness";
import { startReceiver, type ReceivedRequest, type Receiver, type ReceiverMode } from "@/tests/helpers/receiver";
import svixShapes from "@/tests/fixtures/svix-operational-events.json";

/**
 * Operational webhooks through the real pipeline: an operator endpoint (a real receiver) added
 * through Svix's API receives each operational event about a customer's endpoint, signed with its
 * own secret, in Svix's payload shape, delivered and retried by the same engine. A fresh database
 * for this file: operator endpoints see every organization's events.
 */

const WAITS_MS = 1_000;
/** Seven attempts: `failing` (attempt 4) and `recovered` (5 or later) both fit in the schedule. */
const ATTEMPTS = 7;
const ATTEMPT_TIMEOUT_MS = 3_000;
/** Far longer than a schedule: a test moves an endpoint's failure streak back past it when it needs the disable. */
const DISABLE_AFTER = "1h";
const ATTEMPT_BOUND_MS = WAITS_MS + PIPELINE_EXECUTOR.pollMs + ATTEMPT_TIMEOUT_MS;
const SCHEDULE_BOUND_MS = 2 * ATTEMPTS * ATTEMPT_BOUND_MS;

let pipeline: DeliveryPipeline;
let key: string;
const receivers: Receiver[] = [];

beforeAll(async () => {
  pipeline = await startDeliveryPipeline({
    WEBHOOK_RETRY_SCHEDULE: Array(ATTEMPTS - 1).fill(`${WAITS_MS}ms`).join(","),
    WEBHOOK_ATTEMPT_TIMEOUT_MS: String(ATTEMPT_TIMEOUT_MS),
    ENDPOINT_FAILURE_DISABLE_AFTER: DISABLE_AFTER,
  });
  key = await platformKey();
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

async function api(route: Parameters<typeof callRoute>[0], method: Parameters<typeof callRoute>[1], path: string, body?: unknown) {
  const response = await callRoute(route, method, `/api/v1/operational-webhook/endpoint${path}`, key, body);
  return { status: response.status, body: (response.status === 204 ? {} : await response.json()) as Record<string, unknown> };
}

/** An operator endpoint added through the API, and its signing secret. */
async function operatorEndpoint(url: string, body: Record<string, unknown> = {}) {
  const created = await api(endpointsRoute, "POST", "", { url, ...body });
  expect(created.status).toBe(201);
  const id = String(created.body.id);
  const secret = await api(secretRoute, "GET", `/${id}/secret`);
  return { id, secret: String(secret.body.key) };
}

interface Received {
  type: string;
  data: Record<string, unknown> & { appId: string };
}

const headersOf = (request: ReceivedRequest) => Object.fromEntries(Object.entries(request.headers).map(([k, v]) => [k, String(v)]));

/** Every request is verified with the operator endpoint's secret (standardwebhooks and Svix's library) before it is read. */
function verified(requests: ReceivedRequest[], secret: string): Received[] {
  return requests.map((request) => {
    const body = request.body.toString("utf8");
    const headers = headersOf(request);
    expect(() => new SvixWebhook(secret).verify(body, headers)).not.toThrow();
    return new Webhook(secret).verify(body, headers) as Received;
  });
}

const ajv = addFormats(new Ajv({ allErrors: true, strict: false }));
const shapes = svixShapes.events as Record<string, object>;

/** The event has Svix's shape for its type, with every field Svix defines (none missing, none extra). */
function expectSvixShape(event: Received) {
  const schema = shapes[event.type] as { properties: { data: { properties: Record<string, unknown> } } } | undefined;
  expect(schema, `Svix has no operational event ${event.type}`).toBeDefined();
  const validate = ajv.compile(schema!);
  expect(validate(event), JSON.stringify(validate.errors)).toBe(true);
  expect(Object.keys(event.data).sort()).toEqual(Object.keys(schema!.properties.data.properties).sort());
}

const eventsFor = (r: Receiver, secret: string, appId: string) => verified(r.requests, secret).filter((e) => e.data.appId === appId);
const waitForEvent = (r: Receiver, secret: string, appId: string, match: (e: Received) => boolean, what: string, timeoutMs = SCHEDULE_BOUND_MS) =>
  waitFor(what, async () => eventsFor(r, secret, appId).find(match), timeoutMs);

describe("operational webhooks", () => {
  it("sends each event about a customer's endpoint to the operator endpoint, signed with its own secret, in Svix's shapes", async () => {
    const ops = await receiver();
    const operator = await operatorEndpoint(`${ops.url}/ops`, { description: "Platform on-call" });

    // A customer endpoint that fails four times, then answers: failing at attempt 4, recovered at 5.
    const customer = await receiver({ kind: "fail-then-succeed", failures: 4, failStatus: 502 });
    const { org, endpointId, actor } = await orgWithEndpoint(`${customer.url}/hook`);
    const slug = (await db.organization.findUniqueOrThrow({ where: { id: org.id } })).slug;
    const endpointData = { appId: org.id, appUid: slug, endpointId, endpointUid: null };

    await waitForEvent(ops, operator.secret, org.id, (e) => e.type === "endpoint.created", "endpoint.created");
    const changed = await updateEndpoint(org.id, endpointId, { url: `${customer.url}/hook`, description: "Billing", eventTypes: ["contract.created"], rateLimit: null, headers: [] }, false, actor, { uid: "billing" });
    expect(changed).toMatchObject({ ok: true });
    await waitForEvent(ops, operator.secret, org.id, (e) => e.type === "endpoint.updated", "endpoint.updated");

    const sent = await sendEvent({ id: org.id, webhooksEnabled: true }, { ...contractCreated(1), eventId: "order-1" });
    if (!sent.ok) throw new Error(sent.message);
    const failing = await waitForEvent(ops, operator.secret, org.id, (e) => e.type === "message.attempt.failing", "message.attempt.failing");
    const recovered = await waitForEvent(ops, operator.secret, org.id, (e) => e.type === "message.attempt.recovered", "message.attempt.recovered");
    const attempts = await db.attempt.findMany({ where: { messageId: sent.message.id }, orderBy: { attemptNumber: "asc" } });
    expect(attempts).toHaveLength(5);
    const lastAttempt = (n: number) => ({ id: attempts[n - 1]!.id, responseStatusCode: attempts[n - 1]!.statusCode, timestamp: attempts[n - 1]!.startedAt.toISOString() });
    const attemptData = { appId: org.id, appUid: slug, msgId: sent.message.id, msgEventId: "order-1", endpointId };
    expect(failing.data).toEqual({ ...attemptData, lastAttempt: lastAttempt(4) });
    expect(failing.data.lastAttempt).toMatchObject({ responseStatusCode: 502 });
    expect(recovered.data).toEqual({ ...attemptData, lastAttempt: lastAttempt(5) });

    expect(await setEndpointDisabled(org.id, endpointId, true, actor)).toMatchObject({ changed: true });
    const disabled = await waitForEvent(ops, operator.secret, org.id, (e) => e.type === "endpoint.disabled", "endpoint.disabled");
    expect(disabled.data).toEqual({ ...endpointData, endpointUid: "billing", failSince: null, trigger: "manual" });
    expect(await setEndpointDisabled(org.id, endpointId, false, actor)).toMatchObject({ changed: true });
    await waitForEvent(ops, operator.secret, org.id, (e) => e.type === "endpoint.enabled", "endpoint.enabled");
    expect(await deleteEndpoint(org.id, endpointId, actor)).toEqual({ ok: true });
    await waitForEvent(ops, operator.secret, org.id, (e) => e.type === "endpoint.deleted", "endpoint.deleted");

    const received = eventsFor(ops, operator.secret, org.id);
    expect(received.map((e) => e.type)).toEqual([
      "endpoint.created",
      "endpoint.updated",
      "message.attempt.failing",
      "message.attempt.recovered",
      "endpoint.disabled",
      "endpoint.enabled",
      "endpoint.deleted",
    ]);
    for (const event of received) expectSvixShape(event);
    expect(received[0]!.data).toEqual(endpointData);
    for (const event of received.slice(4)) expect(event.data).toMatchObject({ ...endpointData, endpointUid: "billing" });

    // Delivered by the same engine: each one a message of the platform organization, in the operator endpoint's log.
    const log = await db.delivery.findMany({ where: { endpointId: operator.id }, include: { message: true } });
    expect(log.filter((d) => d.message.body.includes(org.id))).toHaveLength(7);
    expect(log.every((d) => d.organizationId === PLATFORM_ORGANIZATION_ID && d.status === "SUCCEEDED")).toBe(true);
  }, 90_000);

  it("sends exhausted when a message's every attempt failed, and disabled (trigger automatic, failSince) when the endpoint has failed for the period", async () => {
    const ops = await receiver();
    const operator = await operatorEndpoint(`${ops.url}/ops`, { eventTypes: ["message.attempt.exhausted", "endpoint.disabled"] });
    const customer = await receiver({ kind: "status", status: 500 });
    const { org, endpointId } = await orgWithEndpoint(`${customer.url}/hook`);

    const first = await sendEvent({ id: org.id, webhooksEnabled: true }, contractCreated(1));
    if (!first.ok) throw new Error(first.message);
    const exhausted = await waitForEvent(ops, operator.secret, org.id, (e) => e.type === "message.attempt.exhausted", "message.attempt.exhausted");
    const attempts = await db.attempt.findMany({ where: { messageId: first.message.id }, orderBy: { attemptNumber: "asc" } });
    expect(attempts).toHaveLength(ATTEMPTS);
    expect(exhausted.data).toMatchObject({ msgId: first.message.id, msgEventId: null, endpointId, lastAttempt: { id: attempts.at(-1)!.id, responseStatusCode: 500 } });

    // Failing for the whole period by now (the streak moved back past it): the next failed attempt disables it.
    const { failingSince } = await db.endpoint.findUniqueOrThrow({ where: { id: endpointId } });
    expect(failingSince).toEqual(attempts[0]!.startedAt);
    const since = new Date(failingSince!.getTime() - 2 * 3_600_000);
    await db.endpoint.update({ where: { id: endpointId }, data: { failingSince: since } });
    const second = await sendEvent({ id: org.id, webhooksEnabled: true }, contractCreated(2));
    if (!second.ok) throw new Error(second.message);
    const disabled = await waitForEvent(ops, operator.secret, org.id, (e) => e.type === "endpoint.disabled", "endpoint.disabled");
    expect(disabled.data).toMatchObject({ endpointId, trigger: "automatic", failSince: since.toISOString() });

    const received = eventsFor(ops, operator.secret, org.id);
    for (const event of received) expectSvixShape(event);
    // Subscribed to two types only: neither failing nor anything else arrived.
    expect(new Set(received.map((e) => e.type))).toEqual(new Set(["message.attempt.exhausted", "endpoint.disabled"]));
  }, 90_000);

  it("retries a failing operator endpoint on the schedule, and never sends events about operator endpoints themselves", async () => {
    // Four failures: enough for a customer's delivery to cause failing and recovered, which an operator endpoint's must not.
    const ops = await receiver({ kind: "fail-then-succeed", failures: 4, failStatus: 503 });
    const operator = await operatorEndpoint(`${ops.url}/ops`, { eventTypes: ["endpoint.created"] });
    const watcher = await receiver();
    const other = await operatorEndpoint(`${watcher.url}/ops`);

    const { org } = await orgWithEndpoint(`${watcher.url}/customer`);
    const requests = await ops.waitForRequests(5, 5 * ATTEMPT_BOUND_MS);
    expect(new Set(requests.map((r) => r.headers["webhook-id"])).size).toBe(1);
    for (let i = 1; i < 5; i++) expect(requests[i]!.receivedAt - requests[i - 1]!.receivedAt).toBeGreaterThanOrEqual(WAITS_MS - 50);
    expect(verified(requests.slice(4), operator.secret)[0]).toMatchObject({ type: "endpoint.created", data: { appId: org.id } });
    const delivery = await waitFor(
      "operator delivery to succeed",
      async () => (await db.delivery.findFirst({ where: { endpointId: operator.id, status: "SUCCEEDED" }, include: { attempts: true } })) ?? undefined,
      ATTEMPT_BOUND_MS,
    );
    expect(delivery.attempts.sort((a, b) => a.attemptNumber - b.attemptNumber).map((a) => [a.attemptNumber, a.succeeded, a.statusCode])).toEqual([
      [1, false, 503],
      [2, false, 503],
      [3, false, 503],
      [4, false, 503],
      [5, true, 200],
    ]);

    // The failing operator endpoint's own attempts, and the operator endpoints' creation, caused nothing.
    await waitForEvent(watcher, other.secret, org.id, (e) => e.type === "endpoint.created", "endpoint.created");
    expect(verified(watcher.requests.filter((r) => r.path === "/ops"), other.secret).filter((e) => e.data.appId === PLATFORM_ORGANIZATION_ID)).toEqual([]);
    expect(await db.message.count({ where: { organizationId: PLATFORM_ORGANIZATION_ID, body: { contains: `"appId":"${PLATFORM_ORGANIZATION_ID}"` } } })).toBe(0);
    expect((await api(endpointRoute, "DELETE", `/${operator.id}`)).status).toBe(204);
  }, 60_000);
});
