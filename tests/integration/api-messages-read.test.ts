import { randomBytes } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { GET as listAttemptsByEndpoint } from "@/app/api/v1/app/[app_id]/attempt/endpoint/[endpoint_id]/route";
import { GET as listAttemptsByMsg } from "@/app/api/v1/app/[app_id]/attempt/msg/[msg_id]/route";
import { GET as getAttempt } from "@/app/api/v1/app/[app_id]/msg/[msg_id]/attempt/[attempt_id]/route";
import { GET as listDestinations } from "@/app/api/v1/app/[app_id]/msg/[msg_id]/endpoint/route";
import { GET as getMessage } from "@/app/api/v1/app/[app_id]/msg/[msg_id]/route";
import { GET as listMessages } from "@/app/api/v1/app/[app_id]/msg/route";
import { createApiKey } from "@/lib/api-keys/manage";
import { db } from "@/lib/db";
import { createEndpoint } from "@/lib/endpoints/endpoints";
import type { AttemptTrigger, DeliveryStatus } from "@/lib/generated/prisma/client";
import { ids as newIds } from "@/lib/ids";
import { endpointConfigSchema } from "@/lib/validations/endpoint";
import { createOrg, createUser } from "@/tests/helpers/factories";
import { ensureCatalog, setTestEncryptionKey } from "@/tests/helpers/webhooks-factories";

/**
 * The read calls of Message and Message Attempt over rows written straight to the database (fixed
 * times, so the order and the windows are exact): filters, with_content, eventId lookups,
 * pagination both ways, other organizations, and the 422 shapes.
 */

setTestEncryptionKey();

type Json = Record<string, unknown> & { code?: string; detail?: unknown; data?: Record<string, unknown>[]; iterator?: string | null; prevIterator?: string | null; done?: boolean };

async function get(handler: (request: Request) => Promise<Response> | Response, path: string, key: string): Promise<{ status: number; body: Json }> {
  const response = await handler(new Request(`http://127.0.0.1${path}`, { headers: { authorization: `Bearer ${key}` } }));
  return { status: response.status, body: (await response.json()) as Json };
}

const T0 = Date.UTC(2026, 10, 1, 9, 0, 0);
const at = (minutes: number) => new Date(T0 + minutes * 60_000);
const hex = () => randomBytes(16).toString("hex");

async function insertMessage(organizationId: string, n: number, eventType: string, eventId: string | null = null) {
  const id = newIds.message.generate();
  await db.message.create({ data: { id, organizationId, eventType, eventId, body: JSON.stringify({ n, kind: eventType }), createdAt: at(n) } });
  return id;
}

async function insertDelivery(organizationId: string, messageId: string, endpointId: string, status: DeliveryStatus, createdAt: Date, nextAttemptAt: Date | null = null) {
  const id = `dlv_${hex()}`;
  await db.delivery.create({ data: { id, organizationId, messageId, endpointId, status, createdAt, nextAttemptAt } });
  return id;
}

async function insertAttempt(delivery: { id: string; messageId: string; endpointId: string }, number: number, startedAt: Date, answer: { statusCode: number | null; body?: string; error?: string; trigger?: AttemptTrigger }) {
  const id = `att_${hex()}`;
  const succeeded = answer.statusCode !== null && answer.statusCode >= 200 && answer.statusCode < 300;
  await db.attempt.create({
    data: {
      id,
      deliveryId: delivery.id,
      messageId: delivery.messageId,
      endpointId: delivery.endpointId,
      attemptNumber: number,
      trigger: answer.trigger ?? "SCHEDULED",
      url: "http://127.0.0.1:9/hook",
      startedAt,
      durationMs: 40 + number,
      succeeded,
      statusCode: answer.statusCode,
      responseBody: answer.body ?? "",
      errorKind: answer.error ? "connection" : null,
      errorMessage: answer.error ?? null,
    },
  });
  return id;
}

let org: { id: string; slug: string };
let other: { id: string; slug: string };
let key: string;
let otherKey: string;
let platformKey: string;
let endpointId: string;
let secondEndpointId: string;
let otherEndpointId: string;
/** msgs[n] was recorded at minute n; even n are contract.created, odd n offer.accepted. */
const msgs: string[] = [];
let otherMsg: string;
const attempts: Record<string, string> = {};

beforeAll(async () => {
  await ensureCatalog();
  org = await createOrg({ webhooksEnabled: true });
  other = await createOrg({ webhooksEnabled: true });
  const user = await createUser();
  const actor = { id: user.id, email: user.email };
  key = (await createApiKey({ name: "read", scope: "ORGANIZATION", organizationId: org.id, createdById: user.id })).key;
  otherKey = (await createApiKey({ name: "other", scope: "ORGANIZATION", organizationId: other.id, createdById: user.id })).key;
  platformKey = (await createApiKey({ name: "platform", scope: "PLATFORM", organizationId: null, createdById: user.id })).key;
  const endpoint = (url: string, organizationId: string, uid?: string) =>
    createEndpoint(organizationId, endpointConfigSchema.parse({ url, eventTypes: ["contract.created", "offer.accepted"], rateLimit: "" }), actor).then(async (r) => {
      if (!r.ok) throw new Error(r.message);
      if (uid) await db.endpoint.update({ where: { id: r.id }, data: { uid } });
      return r.id;
    });
  endpointId = await endpoint("http://127.0.0.1:9/a", org.id, "ep-uid-a");
  secondEndpointId = await endpoint("http://127.0.0.1:9/b", org.id);
  otherEndpointId = await endpoint("http://127.0.0.1:9/c", other.id);

  for (let n = 0; n < 7; n++) msgs.push(await insertMessage(org.id, n, n % 2 === 0 ? "contract.created" : "offer.accepted", n === 3 ? "evt-three" : null));
  otherMsg = await insertMessage(other.id, 1, "contract.created", "evt-three");

  // msgs[2]: failed at the first endpoint (500, then no answer), delivered to the second.
  const failed = { id: await insertDelivery(org.id, msgs[2]!, endpointId, "FAILED", at(2)), messageId: msgs[2]!, endpointId };
  attempts.first500 = await insertAttempt(failed, 1, at(2.1), { statusCode: 500, body: '{"error":"boom"}' });
  attempts.noAnswer = await insertAttempt(failed, 2, at(2.2), { statusCode: null, error: "connect ECONNREFUSED 127.0.0.1:9" });
  const delivered = { id: await insertDelivery(org.id, msgs[2]!, secondEndpointId, "SUCCEEDED", at(2)), messageId: msgs[2]!, endpointId: secondEndpointId };
  attempts.second200 = await insertAttempt(delivered, 1, at(2.15), { statusCode: 200, body: "ok" });
  // msgs[3] (offer.accepted): delivered to the first endpoint after a manual resend; pending at the second.
  const resent = { id: await insertDelivery(org.id, msgs[3]!, endpointId, "SUCCEEDED", at(3)), messageId: msgs[3]!, endpointId };
  attempts.resent = await insertAttempt(resent, 1, at(3.5), { statusCode: 204, trigger: "MANUAL" });
  await insertDelivery(org.id, msgs[3]!, secondEndpointId, "PENDING", at(3), at(60));
  // The other organization's message, attempted at its endpoint.
  const foreign = { id: await insertDelivery(other.id, otherMsg, otherEndpointId, "SUCCEEDED", at(1)), messageId: otherMsg, endpointId: otherEndpointId };
  attempts.foreign = await insertAttempt(foreign, 1, at(1.1), { statusCode: 200 });
}, 60_000);

const ids = (body: Json) => (body.data ?? []).map((item) => item.id);

describe("GET /api/v1/app/{app_id}/msg", () => {
  it("lists the organization's messages newest first, with payloads unless with_content=false", async () => {
    const all = await get(listMessages, `/api/v1/app/${org.slug}/msg`, key);
    expect(all.status).toBe(200);
    expect(ids(all.body)).toEqual([...msgs].reverse());
    expect(all.body).toMatchObject({ done: true, iterator: msgs[0], prevIterator: `-${msgs[6]}` });
    expect(all.body.data![0]).toEqual({ id: msgs[6], eventType: "contract.created", eventId: null, payload: { n: 6, kind: "contract.created" }, timestamp: at(6).toISOString() });
    expect(all.body.data![3]).toMatchObject({ id: msgs[3], eventId: "evt-three" });

    const bare = await get(listMessages, `/api/v1/app/${org.id}/msg?with_content=false`, key);
    expect(bare.body.data!.map((m) => m.payload)).toEqual(msgs.map(() => ({})));
  });

  it("filters by event types (comma-separated or repeated) and by a window: after/since inclusive, before/until exclusive", async () => {
    expect(ids((await get(listMessages, `/api/v1/app/${org.slug}/msg?event_types=offer.accepted`, key)).body)).toEqual([msgs[5], msgs[3], msgs[1]]);
    expect(ids((await get(listMessages, `/api/v1/app/${org.slug}/msg?event_types=offer.accepted,contract.created&limit=2`, key)).body)).toEqual([msgs[6], msgs[5]]);
    expect(ids((await get(listMessages, `/api/v1/app/${org.slug}/msg?event_types=offer.accepted&event_types=unknown.type`, key)).body)).toEqual([msgs[5], msgs[3], msgs[1]]);
    const window = `after=${at(2).toISOString()}&before=${at(5).toISOString()}`;
    expect(ids((await get(listMessages, `/api/v1/app/${org.slug}/msg?${window}`, key)).body)).toEqual([msgs[4], msgs[3], msgs[2]]);
    const aliases = `since=${at(2).toISOString()}&until=${at(5).toISOString()}&event_types=contract.created`;
    expect(ids((await get(listMessages, `/api/v1/app/${org.slug}/msg?${aliases}`, key)).body)).toEqual([msgs[4], msgs[2]]);
  });

  it("pages with iterator older and prevIterator newer, every message once", async () => {
    const first = await get(listMessages, `/api/v1/app/${org.slug}/msg?limit=3`, key);
    expect(ids(first.body)).toEqual([msgs[6], msgs[5], msgs[4]]);
    expect(first.body).toMatchObject({ done: false, iterator: msgs[4], prevIterator: `-${msgs[6]}` });
    const second = await get(listMessages, `/api/v1/app/${org.slug}/msg?limit=3&iterator=${first.body.iterator}`, key);
    expect(ids(second.body)).toEqual([msgs[3], msgs[2], msgs[1]]);
    expect(second.body.done).toBe(false);
    const third = await get(listMessages, `/api/v1/app/${org.slug}/msg?limit=3&iterator=${second.body.iterator}`, key);
    expect(ids(third.body)).toEqual([msgs[0]]);
    expect(third.body).toMatchObject({ done: true, iterator: msgs[0] });
    // Back towards the newest.
    const back = await get(listMessages, `/api/v1/app/${org.slug}/msg?limit=3&iterator=${third.body.prevIterator}`, key);
    expect(ids(back.body)).toEqual([msgs[3], msgs[2], msgs[1]]);
    const front = await get(listMessages, `/api/v1/app/${org.slug}/msg?limit=3&iterator=${back.body.prevIterator}`, key);
    expect(ids(front.body)).toEqual([msgs[6], msgs[5], msgs[4]]);
    // Read backwards, done says nothing newer is left.
    expect(front.body).toMatchObject({ done: true, prevIterator: `-${msgs[6]}` });
  });

  it("refuses bad input with 422 and one issue per field, channel and tag included", async () => {
    const cases: [string, (string | number)[]][] = [
      ["limit=0", ["query", "limit"]],
      ["limit=251", ["query", "limit"]],
      ["iterator=not-one", ["query", "iterator"]],
      ["with_content=yes", ["query", "with_content"]],
      ["after=yesterday", ["query", "after"]],
      [`after=${at(5).toISOString()}&before=${at(2).toISOString()}`, ["query", "before"]],
      [`after=${at(1).toISOString()}&since=${at(1).toISOString()}`, ["query", "since"]],
      ["channel=project_1", ["query", "channel"]],
      ["tag=blue", ["query", "tag"]],
    ];
    for (const [query, loc] of cases) {
      const answer = await get(listMessages, `/api/v1/app/${org.slug}/msg?${query}`, key);
      expect(answer.status, query).toBe(422);
      expect(answer.body, query).toMatchObject({ code: "invalid_query", message: expect.any(String), detail: [{ loc, msg: expect.any(String), type: expect.any(String) }] });
    }
  });

  it("refuses another organization (403) and a missing key (401); a platform key reads any organization", async () => {
    expect(await get(listMessages, `/api/v1/app/${other.slug}/msg`, key)).toMatchObject({ status: 403, body: { code: "forbidden" } });
    expect(await get(listMessages, `/api/v1/app/no-such-org-${hex()}/msg`, key)).toMatchObject({ status: 403, body: { code: "forbidden" } });
    expect(await get(listMessages, `/api/v1/app/no-such-org-${hex()}/msg`, platformKey)).toMatchObject({ status: 404, body: { code: "not_found" } });
    expect((await get(listMessages, `/api/v1/app/${org.slug}/msg`, "hr_org_nope")).status).toBe(401);
    expect(ids((await get(listMessages, `/api/v1/app/${other.slug}/msg`, platformKey)).body)).toEqual([otherMsg]);
  });
});

describe("GET /api/v1/app/{app_id}/msg/{msg_id}", () => {
  it("finds a message by id or by its eventId, with or without its payload", async () => {
    expect(await get(getMessage, `/api/v1/app/${org.slug}/msg/${msgs[2]}`, key)).toEqual({
      status: 200,
      body: { id: msgs[2], eventType: "contract.created", eventId: null, payload: { n: 2, kind: "contract.created" }, timestamp: at(2).toISOString() },
    });
    // The same eventId in another organization is not this one's.
    expect(await get(getMessage, `/api/v1/app/${org.slug}/msg/evt-three`, key)).toMatchObject({ status: 200, body: { id: msgs[3], payload: { n: 3 } } });
    expect(await get(getMessage, `/api/v1/app/${org.slug}/msg/evt-three?with_content=false`, key)).toMatchObject({ status: 200, body: { id: msgs[3], payload: {} } });
  });

  it("answers 404 for an unknown id and for another organization's message, 403 for another organization", async () => {
    expect(await get(getMessage, `/api/v1/app/${org.slug}/msg/msg_0000000000000000000000`, key)).toMatchObject({ status: 404, body: { code: "not_found" } });
    expect(await get(getMessage, `/api/v1/app/${org.slug}/msg/${otherMsg}`, key)).toMatchObject({ status: 404, body: { code: "not_found" } });
    expect(await get(getMessage, `/api/v1/app/${other.slug}/msg/${otherMsg}`, key)).toMatchObject({ status: 403, body: { code: "forbidden" } });
    expect(await get(getMessage, `/api/v1/app/${org.slug}/msg/${msgs[0]}?with_content=maybe`, key)).toMatchObject({ status: 422, body: { code: "invalid_query" } });
  });
});

describe("GET /api/v1/app/{app_id}/attempt/endpoint/{endpoint_id}", () => {
  const path = (endpoint: string, query = "") => `/api/v1/app/${org.slug}/attempt/endpoint/${endpoint}${query}`;

  it("lists the endpoint's attempts newest first in Svix's shape, by endpoint id or uid", async () => {
    const all = await get(listAttemptsByEndpoint, path(endpointId), key);
    expect(all.status).toBe(200);
    expect(ids(all.body)).toEqual([attempts.resent, attempts.noAnswer, attempts.first500]);
    expect(all.body.data).toEqual([
      {
        id: attempts.resent, msgId: msgs[3], endpointId, url: "http://127.0.0.1:9/hook", response: "", responseStatusCode: 204, responseDurationMs: 41,
        status: 0, statusText: "success", triggerType: 1, timestamp: at(3.5).toISOString(),
      },
      {
        id: attempts.noAnswer, msgId: msgs[2], endpointId, url: "http://127.0.0.1:9/hook", response: "connect ECONNREFUSED 127.0.0.1:9", responseStatusCode: 0, responseDurationMs: 42,
        status: 2, statusText: "fail", triggerType: 0, timestamp: at(2.2).toISOString(),
      },
      {
        id: attempts.first500, msgId: msgs[2], endpointId, url: "http://127.0.0.1:9/hook", response: '{"error":"boom"}', responseStatusCode: 500, responseDurationMs: 41,
        status: 2, statusText: "fail", triggerType: 0, timestamp: at(2.1).toISOString(),
      },
    ]);
    expect(ids((await get(listAttemptsByEndpoint, path("ep-uid-a"), key)).body)).toEqual(ids(all.body));
  });

  it("filters by status, status code class, event types and window; with_content=false empties response; with_msg adds the message", async () => {
    expect(ids((await get(listAttemptsByEndpoint, path(endpointId, "?status=0"), key)).body)).toEqual([attempts.resent]);
    expect(ids((await get(listAttemptsByEndpoint, path(endpointId, "?status=2"), key)).body)).toEqual([attempts.noAnswer, attempts.first500]);
    expect(ids((await get(listAttemptsByEndpoint, path(endpointId, "?status=1"), key)).body)).toEqual([]);
    expect(ids((await get(listAttemptsByEndpoint, path(endpointId, "?status_code_class=500"), key)).body)).toEqual([attempts.first500]);
    expect(ids((await get(listAttemptsByEndpoint, path(endpointId, "?status_code_class=0"), key)).body)).toEqual([attempts.noAnswer]);
    expect(ids((await get(listAttemptsByEndpoint, path(endpointId, "?status_code_class=200"), key)).body)).toEqual([attempts.resent]);
    expect(ids((await get(listAttemptsByEndpoint, path(endpointId, "?event_types=offer.accepted"), key)).body)).toEqual([attempts.resent]);
    expect(ids((await get(listAttemptsByEndpoint, path(endpointId, `?before=${at(2.2).toISOString()}`), key)).body)).toEqual([attempts.first500]);
    expect(ids((await get(listAttemptsByEndpoint, path(endpointId, `?after=${at(2.2).toISOString()}`), key)).body)).toEqual([attempts.resent, attempts.noAnswer]);

    const bare = await get(listAttemptsByEndpoint, path(endpointId, "?with_content=false&with_msg=true&limit=1"), key);
    expect(bare.body.data).toEqual([
      expect.objectContaining({ id: attempts.resent, response: "", msg: { id: msgs[3], eventType: "offer.accepted", eventId: "evt-three", payload: {}, timestamp: at(3).toISOString() } }),
    ]);
    expect(bare.body.done).toBe(false);
    const next = await get(listAttemptsByEndpoint, path(endpointId, `?with_content=false&with_msg=true&limit=1&iterator=${bare.body.iterator}`), key);
    expect(ids(next.body)).toEqual([attempts.noAnswer]);
    const back = await get(listAttemptsByEndpoint, path(endpointId, `?limit=1&iterator=${next.body.prevIterator}`), key);
    expect(ids(back.body)).toEqual([attempts.resent]);
  });

  it("answers 404 for another organization's endpoint and 422 for bad filters", async () => {
    expect(await get(listAttemptsByEndpoint, path(otherEndpointId), key)).toMatchObject({ status: 404, body: { code: "not_found" } });
    expect(await get(listAttemptsByEndpoint, `/api/v1/app/${other.slug}/attempt/endpoint/${otherEndpointId}`, key)).toMatchObject({ status: 403, body: { code: "forbidden" } });
    for (const [query, field] of [["status=7", "status"], ["status_code_class=250", "status_code_class"], ["with_msg=1", "with_msg"], ["channel=x", "channel"]] as const) {
      expect(await get(listAttemptsByEndpoint, path(endpointId, `?${query}`), key), query).toMatchObject({ status: 422, body: { code: "invalid_query", detail: [{ loc: ["query", field] }] } });
    }
  });
});

describe("GET /api/v1/app/{app_id}/attempt/msg/{msg_id}", () => {
  it("lists a message's attempts (by id or eventId), to one endpoint with endpoint_id", async () => {
    const path = `/api/v1/app/${org.slug}/attempt/msg/${msgs[2]}`;
    expect(ids((await get(listAttemptsByMsg, path, key)).body)).toEqual([attempts.noAnswer, attempts.second200, attempts.first500]);
    expect(ids((await get(listAttemptsByMsg, `${path}?endpoint_id=${secondEndpointId}`, key)).body)).toEqual([attempts.second200]);
    expect(ids((await get(listAttemptsByMsg, `${path}?status=2&status_code_class=500`, key)).body)).toEqual([attempts.first500]);
    expect(ids((await get(listAttemptsByMsg, `/api/v1/app/${org.slug}/attempt/msg/evt-three`, key)).body)).toEqual([attempts.resent]);
    expect(await get(listAttemptsByMsg, `${path}?endpoint_id=${otherEndpointId}`, key)).toMatchObject({ status: 404, body: { code: "not_found" } });
    expect(await get(listAttemptsByMsg, `/api/v1/app/${org.slug}/attempt/msg/${otherMsg}`, key)).toMatchObject({ status: 404, body: { code: "not_found" } });
  });
});

describe("GET /api/v1/app/{app_id}/msg/{msg_id}/endpoint and .../attempt/{attempt_id}", () => {
  it("lists the attempted destinations with each delivery's state", async () => {
    const answer = await get(listDestinations, `/api/v1/app/${org.slug}/msg/evt-three/endpoint`, key);
    expect(answer.status).toBe(200);
    const byId = Object.fromEntries((answer.body.data ?? []).map((e) => [e.id, e]));
    expect(Object.keys(byId).sort()).toEqual([endpointId, secondEndpointId].sort());
    expect(byId[endpointId]).toMatchObject({ status: 0, statusText: "success", nextAttempt: null, url: "http://127.0.0.1:9/a", uid: "ep-uid-a", disabled: false, eventTypes: ["contract.created", "offer.accepted"] });
    expect(byId[secondEndpointId]).toMatchObject({ status: 1, statusText: "pending", nextAttempt: at(60).toISOString(), uid: null });
    const paged = await get(listDestinations, `/api/v1/app/${org.slug}/msg/${msgs[2]}/endpoint?limit=1`, key);
    const rest = await get(listDestinations, `/api/v1/app/${org.slug}/msg/${msgs[2]}/endpoint?limit=1&iterator=${paged.body.iterator}`, key);
    expect([...ids(paged.body), ...ids(rest.body)].sort()).toEqual([endpointId, secondEndpointId].sort());
    expect(rest.body.done).toBe(true);
    expect(ids((await get(listDestinations, `/api/v1/app/${org.slug}/msg/${msgs[0]}/endpoint`, key)).body)).toEqual([]);
  });

  it("gets one attempt of the message, with its response; another message's attempt is not found", async () => {
    expect(await get(getAttempt, `/api/v1/app/${org.slug}/msg/${msgs[2]}/attempt/${attempts.first500}`, key)).toMatchObject({
      status: 200,
      body: { id: attempts.first500, msgId: msgs[2], endpointId, response: '{"error":"boom"}', responseStatusCode: 500, status: 2, statusText: "fail", triggerType: 0 },
    });
    expect(await get(getAttempt, `/api/v1/app/${org.slug}/msg/evt-three/attempt/${attempts.resent}`, key)).toMatchObject({ status: 200, body: { triggerType: 1, status: 0 } });
    expect(await get(getAttempt, `/api/v1/app/${org.slug}/msg/${msgs[3]}/attempt/${attempts.first500}`, key)).toMatchObject({ status: 404, body: { code: "not_found" } });
    expect(await get(getAttempt, `/api/v1/app/${org.slug}/msg/${otherMsg}/attempt/${attempts.foreign}`, key)).toMatchObject({ status: 404, body: { code: "not_found" } });
    expect(await get(getAttempt, `/api/v1/app/${other.slug}/msg/${otherMsg}/attempt/${attempts.foreign}`, otherKey)).toMatchObject({ status: 200, body: { id: attempts.foreign } });
  });
});
