import { beforeAll, describe, expect, it } from "vitest";
import * as endpointRoute from "@/app/api/v1/app/[app_id]/endpoint/[endpoint_id]/route";
import * as headersRoute from "@/app/api/v1/app/[app_id]/endpoint/[endpoint_id]/headers/route";
import * as messagesRoute from "@/app/api/v1/app/[app_id]/endpoint/[endpoint_id]/msg/route";
import * as rotateRoute from "@/app/api/v1/app/[app_id]/endpoint/[endpoint_id]/secret/rotate/route";
import * as secretRoute from "@/app/api/v1/app/[app_id]/endpoint/[endpoint_id]/secret/route";
import * as sendExampleRoute from "@/app/api/v1/app/[app_id]/endpoint/[endpoint_id]/send-example/route";
import * as statsRoute from "@/app/api/v1/app/[app_id]/endpoint/[endpoint_id]/stats/route";
import * as endpointsRoute from "@/app/api/v1/app/[app_id]/endpoint/route";
import { createApiKey } from "@/lib/api-keys/manage";
import { db } from "@/lib/db";
import { activeSigningSecrets } from "@/lib/endpoints/secrets";
import { sendEvent } from "@/lib/messages/send-event";
import { SEED_CATALOG } from "@/lib/catalog/seed-catalog";
import { EVENT_FILTER_REQUIRED_MESSAGE } from "@/lib/validations/endpoint";
import { contractCreated } from "@/tests/helpers/delivery-harness";
import { createOrg, createUser } from "@/tests/helpers/factories";
import { createArchivedEventType, ensureCatalog, setTestEncryptionKey } from "@/tests/helpers/webhooks-factories";

setTestEncryptionKey();

beforeAll(async () => {
  await ensureCatalog();
});

type Handler = (request: Request) => Promise<Response> | Response;
type Route = Partial<Record<"GET" | "POST" | "PUT" | "PATCH" | "DELETE", Handler>>;

async function setup() {
  const org = await createOrg({ webhooksEnabled: true });
  const user = await createUser();
  const { key } = await createApiKey({ name: "deploy", scope: "ORGANIZATION", organizationId: org.id, createdById: user.id });
  return { org, key };
}

interface Answer {
  status: number;
  body: Record<string, unknown> & { code?: string; detail?: unknown; data?: Record<string, unknown>[] };
}

async function call(route: Route, method: keyof Route, path: string, key: string, body?: unknown): Promise<Answer> {
  const request = new Request(`http://127.0.0.1/api/v1/app/${path}`, {
    method,
    headers: { "content-type": "application/json", authorization: `Bearer ${key}` },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const response = await route[method]!(request);
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as Answer["body"]) : {} };
}

const validEndpoint = (overrides: Record<string, unknown> = {}) => ({ url: "http://127.0.0.1:9/hook", eventTypes: ["contract.created"], ...overrides });

async function create(app: string, key: string, overrides: Record<string, unknown> = {}) {
  const answer = await call(endpointsRoute, "POST", `${app}/endpoint`, key, validEndpoint(overrides));
  expect(answer.status, JSON.stringify(answer.body)).toBe(201);
  return answer.body as { id: string; uid: string | null; url: string };
}

/** The 422 issue at `loc`. */
const issueAt = (answer: Answer, ...loc: (string | number)[]) =>
  (answer.body.detail as { loc: (string | number)[]; msg: string }[]).find((i) => JSON.stringify(i.loc) === JSON.stringify(["body", ...loc]));

describe("POST /api/v1/app/{app_id}/endpoint", () => {
  it("creates an endpoint shaped like Svix's EndpointOut, audited with the API key as actor", async () => {
    const { org, key } = await setup();
    const answer = await call(endpointsRoute, "POST", `${org.slug}/endpoint`, key, {
      url: "https://example.com/hooks",
      description: "billing",
      uid: "billing-main",
      eventTypes: ["contract.created", "contract.created"],
      throttleRate: 20,
      metadata: { team: "billing" },
      headers: { "X-Team": "billing" },
      channels: null,
    });
    expect(answer.status).toBe(201);
    expect(answer.body).toEqual({
      id: expect.stringMatching(/^ep_/),
      uid: "billing-main",
      url: "https://example.com/hooks",
      description: "billing",
      eventTypes: ["contract.created"],
      throttleRate: 20,
      metadata: { team: "billing" },
      disabled: false,
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
    });
    const stored = await db.endpoint.findUniqueOrThrow({ where: { id: answer.body.id as string } });
    expect(stored.headers).toEqual([{ name: "X-Team", value: "billing" }]);
    const audit = await db.auditLog.findFirstOrThrow({ where: { endpointId: stored.id, action: "endpoint.created" } });
    expect(audit.actorId).toBeNull();
    expect(audit.actorEmail).toMatch(/^API key "deploy" \(hr_/);
    expect(audit.changes).toMatchObject({ uid: { after: "billing-main" }, url: { after: "https://example.com/hooks" } });
  });

  it("refuses invalid endpoints with 422 issues at the exact field, with the dashboard's messages", async () => {
    const { org, key } = await setup();
    const post = (body: unknown) => call(endpointsRoute, "POST", `${org.slug}/endpoint`, key, body);

    for (const eventTypes of [undefined, null, []]) {
      const missing = await post({ url: "https://example.com/h", eventTypes });
      expect(missing.status).toBe(422);
      expect(missing.body.code).toBe("invalid_body");
      expect(issueAt(missing, "eventTypes")?.msg).toBe(EVENT_FILTER_REQUIRED_MESSAGE);
    }
    expect(issueAt(await post(validEndpoint({ url: "ftp://example.com/h" })), "url")?.msg).toMatch(/must start with http:\/\/ or https:\/\//);
    expect(issueAt(await post(validEndpoint({ url: "https://user:pw@example.com/h" })), "url")?.msg).toMatch(/user name or password/);
    expect(issueAt(await post(validEndpoint({ url: "not a url" })), "url")?.msg).toMatch(/full URL/);
    const reserved = await post(validEndpoint({ headers: { "Content-Type": "text/plain", "webhook-id": "x", "X-Ok": "a\nb" } }));
    expect(issueAt(reserved, "headers", "Content-Type")?.msg).toMatch(/cannot be overridden/);
    expect(issueAt(reserved, "headers", "webhook-id")?.msg).toMatch(/webhook-\* headers/);
    expect(issueAt(reserved, "headers", "X-Ok")?.msg).toMatch(/line breaks/);
    expect(issueAt(await post(validEndpoint({ throttleRate: 0 })), "throttleRate")).toBeDefined();
    expect(issueAt(await post(validEndpoint({ uid: "ep_looks_like_an_id" })), "uid")?.msg).toMatch(/cannot start with ep_/);
    expect(issueAt(await post(validEndpoint({ uid: "has space" })), "uid")).toBeDefined();
    expect(issueAt(await post(validEndpoint({ secret: "whsec_short" })), "secret")?.msg).toMatch(/signing secret/);
    expect(issueAt(await post(validEndpoint({ channels: ["project-1"] })), "channels")?.msg).toMatch(/Channels are not supported/);

    const unknown = await post(validEndpoint({ eventTypes: ["no.such.type"] }));
    expect(unknown).toMatchObject({ status: 422, body: { code: "unknown_event_types" } });
    await createArchivedEventType("legacy.archived_api");
    expect((await post(validEndpoint({ eventTypes: ["legacy.archived_api"] }))).body.code).toBe("unknown_event_types");
    expect(await db.endpoint.count({ where: { organizationId: org.id } })).toBe(0);
  });

  it("keeps a uid unique in the organization (409) but not across organizations, and frees it on delete", async () => {
    const { org, key } = await setup();
    const other = await setup();
    const first = await create(org.slug, key, { uid: "main" });
    expect(await call(endpointsRoute, "POST", `${org.slug}/endpoint`, key, validEndpoint({ uid: "main" }))).toMatchObject({ status: 409, body: { code: "conflict" } });
    await create(other.org.slug, other.key, { uid: "main" });
    const second = await create(org.slug, key, { uid: "second" });
    expect(await call(endpointRoute, "PATCH", `${org.slug}/endpoint/${second.id}`, key, { uid: "main" })).toMatchObject({ status: 409, body: { code: "conflict" } });
    expect((await call(endpointRoute, "DELETE", `${org.slug}/endpoint/main`, key)).status).toBe(204);
    expect((await call(endpointRoute, "GET", `${org.slug}/endpoint/${first.id}`, key)).status).toBe(404);
    await create(org.slug, key, { uid: "main" });
  });

  it("uses a custom signing secret given on create", async () => {
    const { org, key } = await setup();
    const secret = `whsec_${Buffer.alloc(32, 7).toString("base64")}`;
    const created = await create(org.slug, key, { secret });
    expect(await call(secretRoute, "GET", `${org.slug}/endpoint/${created.id}/secret`, key)).toEqual({ status: 200, body: { key: secret } });
  });
});

describe("GET /api/v1/app/{app_id}/endpoint", () => {
  it("pages through the endpoints newest first with iterator and prevIterator", async () => {
    const { org, key } = await setup();
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push((await create(org.slug, key, { url: `http://127.0.0.1:9/${i}` })).id);
    const first = await call(endpointsRoute, "GET", `${org.slug}/endpoint?limit=2`, key);
    expect(first.body).toMatchObject({ done: false, iterator: ids[1], prevIterator: `-${ids[2]}` });
    expect(first.body.data!.map((e) => e.id)).toEqual([ids[2], ids[1]]);
    const second = await call(endpointsRoute, "GET", `${org.slug}/endpoint?limit=2&iterator=${first.body.iterator as string}`, key);
    expect(second.body).toMatchObject({ done: true, iterator: ids[0] });
    expect(second.body.data!.map((e) => e.id)).toEqual([ids[0]]);
    expect((await call(endpointsRoute, "GET", `${org.slug}/endpoint?limit=0`, key)).body.code).toBe("invalid_query");
  });
});

describe("GET/PUT/PATCH/DELETE /api/v1/app/{app_id}/endpoint/{endpoint_id}", () => {
  it("reads by id or uid, updates (a URL change needs no confirmation), patches only the given fields, and audits each change", async () => {
    const { org, key } = await setup();
    const created = await create(org.slug, key, { uid: "ops", throttleRate: 5, metadata: { a: "1" }, headers: { "X-Keep": "yes" } });
    expect((await call(endpointRoute, "GET", `${org.slug}/endpoint/ops`, key)).body.id).toBe(created.id);
    expect((await call(endpointRoute, "GET", `${org.id}/endpoint/${created.id}`, key)).body.uid).toBe("ops");

    const put = await call(endpointRoute, "PUT", `${org.slug}/endpoint/ops`, key, { url: "http://127.0.0.1:9/moved", eventTypes: ["contract.created", "offer.accepted"] });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ url: "http://127.0.0.1:9/moved", eventTypes: ["contract.created", "offer.accepted"], throttleRate: null, description: "", uid: "ops", metadata: { a: "1" } });
    const updated = await db.auditLog.findFirstOrThrow({ where: { endpointId: created.id, action: "endpoint.updated" } });
    expect(updated.changes).toMatchObject({ url: { before: "http://127.0.0.1:9/hook", after: "http://127.0.0.1:9/moved" } });
    expect(updated.actorEmail).toMatch(/^API key "deploy"/);
    // Custom headers change only through /headers.
    expect((await db.endpoint.findUniqueOrThrow({ where: { id: created.id } })).headers).toEqual([{ name: "X-Keep", value: "yes" }]);

    const patched = await call(endpointRoute, "PATCH", `${org.slug}/endpoint/ops`, key, { description: "ops hooks", throttleRate: 9, metadata: { b: "2" } });
    expect(patched.body).toMatchObject({ url: "http://127.0.0.1:9/moved", description: "ops hooks", throttleRate: 9, metadata: { b: "2" }, uid: "ops", eventTypes: ["contract.created", "offer.accepted"] });
    expect((await call(endpointRoute, "PATCH", `${org.slug}/endpoint/ops`, key, { eventTypes: [] })).body.code).toBe("invalid_body");
    expect((await call(endpointRoute, "PATCH", `${org.slug}/endpoint/ops`, key, { eventTypes: null })).body.code).toBe("invalid_body");
    expect((await call(endpointRoute, "PATCH", `${org.slug}/endpoint/ops`, key, { uid: null })).body).toMatchObject({ uid: null, description: "ops hooks", throttleRate: 9, metadata: { b: "2" } });
    expect((await call(endpointRoute, "GET", `${org.slug}/endpoint/ops`, key)).status).toBe(404);
  });

  it("disables through update: pending deliveries end failed, audited as endpoint.disabled", async () => {
    const { org, key } = await setup();
    const created = await create(org.slug, key);
    const sent = await sendEvent({ id: org.id, webhooksEnabled: true }, contractCreated());
    if (!sent.ok) throw new Error(sent.message);
    const answer = await call(endpointRoute, "PATCH", `${org.slug}/endpoint/${created.id}`, key, { disabled: true });
    expect(answer.body.disabled).toBe(true);
    expect(await db.delivery.findFirstOrThrow({ where: { endpointId: created.id } })).toMatchObject({ status: "FAILED" });
    expect(await db.auditLog.count({ where: { endpointId: created.id, action: "endpoint.disabled" } })).toBe(1);
  });

  it("creates on PUT when the path is an unused uid (Svix's upsert), 404 for an unknown endpoint id", async () => {
    const { org, key } = await setup();
    const answer = await call(endpointRoute, "PUT", `${org.slug}/endpoint/new-one`, key, validEndpoint());
    expect(answer).toMatchObject({ status: 201, body: { uid: "new-one", url: "http://127.0.0.1:9/hook" } });
    expect(await call(endpointRoute, "PUT", `${org.slug}/endpoint/ep_0000000000000000000000`, key, validEndpoint())).toMatchObject({ status: 404, body: { code: "not_found" } });
  });

  it("deletes with 204, audited; the endpoint is gone from reads and lists", async () => {
    const { org, key } = await setup();
    const created = await create(org.slug, key);
    const answer = await call(endpointRoute, "DELETE", `${org.slug}/endpoint/${created.id}`, key);
    expect(answer).toEqual({ status: 204, body: {} });
    expect((await call(endpointRoute, "DELETE", `${org.slug}/endpoint/${created.id}`, key)).status).toBe(404);
    expect((await call(endpointsRoute, "GET", `${org.slug}/endpoint`, key)).body.data).toEqual([]);
    expect((await db.auditLog.findFirstOrThrow({ where: { endpointId: created.id, action: "endpoint.deleted" } })).actorEmail).toMatch(/^API key/);
  });

  it("refuses another organization's key (403) and another organization's endpoint (404), for every call", async () => {
    const { org, key } = await setup();
    const other = await setup();
    const theirs = await create(other.org.slug, other.key, { uid: "theirs" });
    const forbidden = await call(endpointRoute, "GET", `${other.org.slug}/endpoint/${theirs.id}`, key);
    expect(forbidden).toMatchObject({ status: 403, body: { code: "forbidden" } });
    expect((await call(endpointsRoute, "POST", `${other.org.slug}/endpoint`, key, validEndpoint())).status).toBe(403);
    const calls: [Route, keyof Route, string, unknown?][] = [
      [endpointRoute, "GET", ""],
      [endpointRoute, "PATCH", "", { description: "x" }],
      [endpointRoute, "DELETE", ""],
      [secretRoute, "GET", "/secret"],
      [rotateRoute, "POST", "/secret/rotate"],
      [headersRoute, "GET", "/headers"],
      [headersRoute, "PUT", "/headers", { headers: {} }],
      [statsRoute, "GET", "/stats"],
      [sendExampleRoute, "POST", "/send-example", { eventType: "contract.created" }],
      [messagesRoute, "GET", "/msg"],
    ];
    for (const ref of [theirs.id, "theirs"]) {
      for (const [route, method, suffix, body] of calls) {
        expect(await call(route, method, `${org.slug}/endpoint/${ref}${suffix}`, key, body), `${method} ${suffix}`).toMatchObject({ status: 404, body: { code: "not_found" } });
      }
    }
    expect(await db.endpoint.findUniqueOrThrow({ where: { id: theirs.id } })).toMatchObject({ deletedAt: null, description: "" });
  });
});

describe("secret", () => {
  it("reveals the current secret (audited) and rotates it, the previous one signing through the grace period", async () => {
    const { org, key } = await setup();
    const created = await create(org.slug, key);
    const before = await call(secretRoute, "GET", `${org.slug}/endpoint/${created.id}/secret`, key);
    expect(before.body.key).toMatch(/^whsec_/);
    expect(await db.auditLog.count({ where: { endpointId: created.id, action: "endpoint.secret_revealed", actorId: null } })).toBe(1);

    expect(await call(rotateRoute, "POST", `${org.slug}/endpoint/${created.id}/secret/rotate`, key)).toEqual({ status: 204, body: {} });
    const after = await call(secretRoute, "GET", `${org.slug}/endpoint/${created.id}/secret`, key);
    expect(after.body.key).not.toBe(before.body.key);
    expect(await activeSigningSecrets(created.id)).toEqual([after.body.key, before.body.key]);

    const chosen = `whsec_${Buffer.alloc(24, 1).toString("base64")}`;
    expect((await call(rotateRoute, "POST", `${org.slug}/endpoint/${created.id}/secret/rotate`, key, { key: chosen })).status).toBe(204);
    expect((await call(secretRoute, "GET", `${org.slug}/endpoint/${created.id}/secret`, key)).body.key).toBe(chosen);
    // The bare base64 is accepted and gets its prefix, as Svix does.
    const bare = Buffer.alloc(32, 2).toString("base64");
    expect((await call(rotateRoute, "POST", `${org.slug}/endpoint/${created.id}/secret/rotate`, key, { key: bare })).status).toBe(204);
    expect((await call(secretRoute, "GET", `${org.slug}/endpoint/${created.id}/secret`, key)).body.key).toBe(`whsec_${bare}`);
    expect(issueAt(await call(rotateRoute, "POST", `${org.slug}/endpoint/${created.id}/secret/rotate`, key, { key: "whsec_!!!" }), "key")).toBeDefined();
    expect(await db.auditLog.count({ where: { endpointId: created.id, action: "endpoint.secret_rotated", actorId: null } })).toBe(3);
  });
});

describe("headers", () => {
  it("gets, replaces and patches custom headers with the dashboard's rules, audited", async () => {
    const { org, key } = await setup();
    const created = await create(org.slug, key, { headers: { "X-One": "1", "X-Two": "2" } });
    const path = `${org.slug}/endpoint/${created.id}/headers`;
    expect(await call(headersRoute, "GET", path, key)).toEqual({ status: 200, body: { headers: { "X-One": "1", "X-Two": "2" }, sensitive: [] } });
    expect((await call(headersRoute, "PUT", path, key, { headers: { Authorization: "Bearer t" } })).status).toBe(204);
    expect((await call(headersRoute, "GET", path, key)).body.headers).toEqual({ Authorization: "Bearer t" });
    expect((await call(headersRoute, "PATCH", path, key, { headers: { authorization: "Bearer u", "X-New": "n" } })).status).toBe(204);
    expect((await call(headersRoute, "GET", path, key)).body.headers).toEqual({ authorization: "Bearer u", "X-New": "n" });
    expect((await call(headersRoute, "PATCH", path, key, { headers: {}, deleteHeaders: ["AUTHORIZATION"] })).status).toBe(204);
    expect((await call(headersRoute, "GET", path, key)).body.headers).toEqual({ "X-New": "n" });

    const reserved = await call(headersRoute, "PATCH", path, key, { headers: { "svix-id": "x" } });
    expect(reserved).toMatchObject({ status: 422, body: { code: "invalid_body" } });
    expect(issueAt(reserved, "headers", "svix-id")?.msg).toMatch(/svix-\* headers/);
    expect(issueAt(await call(headersRoute, "PUT", path, key, { headers: { Host: "evil" } }), "headers", "Host")?.msg).toMatch(/cannot be overridden/);
    const tooMany = Object.fromEntries(Array.from({ length: 21 }, (_, i) => [`X-H${i}`, "v"]));
    expect((await call(headersRoute, "PUT", path, key, { headers: tooMany })).body.code).toBe("invalid_body");
    expect((await call(headersRoute, "GET", path, key)).body.headers).toEqual({ "X-New": "n" });
    expect(await db.auditLog.count({ where: { endpointId: created.id, action: "endpoint.updated", actorId: null } })).toBe(3);
  });
});

describe("stats", () => {
  it("counts the endpoint's deliveries by state, within since/until", async () => {
    const { org, key } = await setup();
    const created = await create(org.slug, key);
    const other = await create(org.slug, key, { url: "http://127.0.0.1:9/other" });
    for (let i = 0; i < 3; i++) {
      const sent = await sendEvent({ id: org.id, webhooksEnabled: true }, contractCreated(i));
      if (!sent.ok) throw new Error(sent.message);
    }
    const [a, b] = await db.delivery.findMany({ where: { endpointId: created.id }, orderBy: { id: "asc" } });
    await db.delivery.update({ where: { id: a!.id }, data: { status: "SUCCEEDED" } });
    await db.delivery.update({ where: { id: b!.id }, data: { status: "FAILED", createdAt: new Date("2026-01-01T00:00:00Z") } });
    const path = `${org.slug}/endpoint/${created.id}/stats`;
    expect(await call(statsRoute, "GET", path, key)).toEqual({ status: 200, body: { success: 1, pending: 1, sending: 0, fail: 1, canceled: 0 } });
    expect((await call(statsRoute, "GET", `${path}?since=2026-06-01T00:00:00Z`, key)).body).toEqual({ success: 1, pending: 1, sending: 0, fail: 0, canceled: 0 });
    expect((await call(statsRoute, "GET", `${path}?until=2026-06-01T00:00:00Z`, key)).body).toEqual({ success: 0, pending: 0, sending: 0, fail: 1, canceled: 0 });
    expect((await call(statsRoute, "GET", `${org.slug}/endpoint/${other.id}/stats`, key)).body).toMatchObject({ pending: 3 });
    expect((await call(statsRoute, "GET", `${path}?since=yesterday`, key)).body.code).toBe("invalid_query");
  });
});

describe("send-example", () => {
  it("sends the catalog example to this endpoint only and answers 202 with the message", async () => {
    const { org, key } = await setup();
    const created = await create(org.slug, key);
    const other = await create(org.slug, key, { url: "http://127.0.0.1:9/other", eventTypes: ["offer.accepted"] });
    const answer = await call(sendExampleRoute, "POST", `${org.slug}/endpoint/${other.id}/send-example`, key, { eventType: "contract.created" });
    const example = SEED_CATALOG.find((t) => t.name === "contract.created")!.examples[0]!.payload;
    expect(answer).toMatchObject({ status: 202, body: { id: expect.stringMatching(/^msg_/), eventType: "contract.created", eventId: null, payload: example } });
    const deliveries = await db.delivery.findMany({ where: { messageId: answer.body.id as string } });
    expect(deliveries.map((d) => d.endpointId)).toEqual([other.id]);
    expect(await db.message.findUniqueOrThrow({ where: { id: answer.body.id as string } })).toMatchObject({ test: true });

    const path = `${org.slug}/endpoint/${created.id}/send-example`;
    expect(await call(sendExampleRoute, "POST", path, key, { eventType: "contract.created", exampleIndex: 99 })).toMatchObject({ status: 422, body: { code: "invalid_body" } });
    expect(await call(sendExampleRoute, "POST", path, key, { eventType: "no.such.type" })).toMatchObject({ status: 422, body: { code: "unknown_event_type" } });
    await call(endpointRoute, "PATCH", `${org.slug}/endpoint/${created.id}`, key, { disabled: true });
    expect(await call(sendExampleRoute, "POST", path, key, { eventType: "contract.created" })).toMatchObject({ status: 409, body: { code: "endpoint_disabled" } });
  });
});

describe("GET /api/v1/app/{app_id}/endpoint/{endpoint_id}/msg", () => {
  it("lists the messages attempted to the endpoint with Svix's statuses, filters and payloads on request", async () => {
    const { org, key } = await setup();
    const created = await create(org.slug, key, { eventTypes: ["contract.created", "offer.accepted"] });
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const sent = await sendEvent({ id: org.id, webhooksEnabled: true }, contractCreated(i));
      if (!sent.ok) throw new Error(sent.message);
      ids.push(sent.message.id);
    }
    await db.delivery.updateMany({ where: { messageId: ids[0] }, data: { status: "SUCCEEDED" } });
    const path = `${org.slug}/endpoint/${created.id}/msg`;
    const all = await call(messagesRoute, "GET", `${path}?limit=2`, key);
    expect(all.status).toBe(200);
    expect(all.body.data!.map((m) => m.id)).toEqual([ids[2], ids[1]]);
    expect(all.body.data![0]).toMatchObject({ eventType: "contract.created", eventId: null, payload: {}, status: 1, statusText: "pending", timestamp: expect.any(String) });
    const rest = await call(messagesRoute, "GET", `${path}?limit=2&iterator=${all.body.iterator as string}`, key);
    expect(rest.body).toMatchObject({ done: true, data: [{ id: ids[0], status: 0, statusText: "success" }] });

    expect((await call(messagesRoute, "GET", `${path}?status=0&with_content=true`, key)).body.data).toEqual([expect.objectContaining({ id: ids[0], payload: contractCreated(0).payload })]);
    expect((await call(messagesRoute, "GET", `${path}?status=4`, key)).body.data).toEqual([]);
    expect((await call(messagesRoute, "GET", `${path}?event_types=offer.accepted`, key)).body.data).toEqual([]);
    expect((await call(messagesRoute, "GET", `${path}?event_types=offer.accepted,contract.created`, key)).body.data).toHaveLength(3);
    expect((await call(messagesRoute, "GET", `${path}?before=2000-01-01T00:00:00Z`, key)).body.data).toEqual([]);
    expect((await call(messagesRoute, "GET", `${path}?since=2000-01-01T00:00:00Z`, key)).body.data).toHaveLength(3);
    expect((await call(messagesRoute, "GET", `${path}?status=7`, key)).body.code).toBe("invalid_query");
  });
});
