import { beforeAll, describe, expect, it } from "vitest";
import { POST } from "@/app/api/v1/app/[app_id]/msg/route";
import { createApiKey, revokeApiKey } from "@/lib/api-keys/manage";
import { createEndpoint } from "@/lib/endpoints/endpoints";
import { db } from "@/lib/db";
import { endpointConfigSchema } from "@/lib/validations/endpoint";
import { contractCreated } from "@/tests/helpers/delivery-harness";
import { createOrg, createUser } from "@/tests/helpers/factories";
import { createArchivedEventType, ensureCatalog, eventMark, publishedSince, refuseEventsOf, setTestEncryptionKey } from "@/tests/helpers/webhooks-factories";
import { captureLogs } from "@/tests/helpers/log-capture";

setTestEncryptionKey();

beforeAll(async () => {
  await ensureCatalog();
});

async function setup(options: { webhooksEnabled?: boolean } = {}) {
  const org = await createOrg({ webhooksEnabled: options.webhooksEnabled ?? true });
  const user = await createUser();
  const { key, summary } = await createApiKey({ name: "test", scope: "ORGANIZATION", organizationId: org.id, createdById: user.id });
  return { org, user, key, keyId: summary.id };
}

function call(app: string, body: unknown, key?: string, raw?: string) {
  const request = new Request(`http://127.0.0.1/api/v1/app/${app}/msg`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(key ? { authorization: `Bearer ${key}` } : {}) },
    body: raw ?? JSON.stringify(body),
  });
  return POST(request, { params: Promise.resolve({ app }) });
}

async function problemOf(response: Response) {
  return { status: response.status, body: (await response.json()) as { code: string; detail: unknown; message?: string } };
}

describe("POST /api/v1/app/{app}/msg", () => {
  it("records the event and answers like Svix's create-message, even with no endpoint", async () => {
    const { org, key } = await setup();
    const response = await call(org.slug, contractCreated(), key);
    expect(response.status).toBe(202);
    const body = (await response.json()) as { id: string; eventType: string; payload: unknown; eventId: string | null; timestamp: string };
    expect(body).toMatchObject({ eventType: "contract.created", payload: contractCreated().payload, eventId: null });
    expect(body.id).toMatch(/^msg_/);
    expect(new Date(body.timestamp).toISOString()).toBe(body.timestamp);
    const stored = await db.message.findUniqueOrThrow({ where: { id: body.id } });
    expect(stored.organizationId).toBe(org.id);
    expect(await db.delivery.count({ where: { messageId: body.id } })).toBe(0);
    // The organization id works as well as its slug.
    expect((await call(org.id, contractCreated(2), key)).status).toBe(202);
  });

  it("fans out one delivery per subscribed, enabled endpoint and schedules each through Inngest, in the same statement", async () => {
    const { org, key, user } = await setup();
    const actor = { id: user.id, email: user.email };
    const subscribed = await createEndpoint(org.id, endpointConfigSchema.parse({ url: "http://127.0.0.1:9/a", eventTypes: ["contract.created"], rateLimit: "" }), actor);
    const other = await createEndpoint(org.id, endpointConfigSchema.parse({ url: "http://127.0.0.1:9/b", eventTypes: ["offer.accepted"], rateLimit: "" }), actor);
    const disabled = await createEndpoint(org.id, endpointConfigSchema.parse({ url: "http://127.0.0.1:9/c", eventTypes: ["contract.created"], rateLimit: "" }), actor);
    if (!subscribed.ok || !other.ok || !disabled.ok) throw new Error("endpoint setup failed");
    await db.endpoint.update({ where: { id: disabled.id }, data: { disabled: true } });
    const mark = await eventMark();
    const response = await call(org.slug, contractCreated(), key);
    const { id, ...body } = (await response.json()) as { id: string; deliveries: unknown; warning?: string };
    expect(response.status).toBe(202);
    expect(body.deliveries).toEqual({ total: 1, scheduled: 1, failed: 0 });
    expect(body.warning).toBeUndefined();
    const deliveries = await db.delivery.findMany({ where: { messageId: id } });
    expect(deliveries.map((d) => d.endpointId)).toEqual([subscribed.id]);
    expect(await publishedSince(mark)).toEqual([
      expect.objectContaining({ name: "delivery/requested", data: { deliveryId: deliveries[0]!.id, organizationId: org.id, endpointId: subscribed.id, messageId: id } }),
    ]);
  });

  it("records a message only with its deliveries' events: when they cannot be stored, nothing is recorded and the client may retry", async () => {
    const { org, key, user } = await setup();
    const actor = { id: user.id, email: user.email };
    for (const path of ["a", "b"]) {
      const created = await createEndpoint(org.id, endpointConfigSchema.parse({ url: `http://127.0.0.1:9/${path}`, eventTypes: ["contract.created"], rateLimit: "" }), actor);
      if (!created.ok) throw new Error(created.message);
    }
    const undo = await refuseEventsOf(org.id);
    const logs = captureLogs();
    try {
      const refused = await problemOf(await call(org.slug, { ...contractCreated(), eventId: "evt-refused" }, key));
      expect(refused).toMatchObject({ status: 500, body: { code: "internal" } });
      expect(logs.errors()).toContainEqual(expect.objectContaining({ msg: expect.stringContaining("failed"), error: expect.objectContaining({ message: expect.stringMatching(/the engine refused the event/) }) }));
    } finally {
      logs.restore();
      await undo();
    }
    expect(await db.message.count({ where: { organizationId: org.id } })).toBe(0);
    expect(await db.delivery.count({ where: { organizationId: org.id } })).toBe(0);
    // The same event again, once the engine takes it: recorded and scheduled as if the first try never happened.
    const retried = await call(org.slug, { ...contractCreated(), eventId: "evt-refused" }, key);
    expect(retried.status).toBe(202);
    expect(((await retried.json()) as { deliveries: unknown }).deliveries).toEqual({ total: 2, scheduled: 2, failed: 0 });
  });

  it("refuses an eventId seen within 24 hours with 409 conflict, as Svix does, naming the original message", async () => {
    const { org, key } = await setup();
    const first = await call(org.slug, { ...contractCreated(), eventId: "evt-42" }, key);
    const again = await problemOf(await call(org.slug, { ...contractCreated(7), eventId: "evt-42" }, key));
    expect(first.status).toBe(202);
    const { id } = (await first.json()) as { id: string };
    expect(again).toMatchObject({ status: 409, body: { code: "conflict", detail: expect.stringContaining(id) } });
    expect(await db.message.count({ where: { organizationId: org.id } })).toBe(1);
    const concurrent = await Promise.all([1, 2, 3].map((n) => call(org.slug, { ...contractCreated(n), eventId: "evt-43" }, key)));
    expect(concurrent.map((r) => r.status).sort()).toEqual([202, 409, 409]);
    expect(await db.message.count({ where: { organizationId: org.id, eventId: "evt-43" } })).toBe(1);
    // Per organization: another one may use the same eventId.
    const other = await setup();
    expect((await call(other.org.slug, { ...contractCreated(), eventId: "evt-42" }, other.key)).status).toBe(202);
  });

  it("refuses missing, malformed and revoked keys with 401", async () => {
    const { org, key, keyId } = await setup();
    expect(await problemOf(await call(org.slug, contractCreated()))).toMatchObject({ status: 401, body: { code: "unauthorized" } });
    expect(await problemOf(await call(org.slug, contractCreated(), "hr_org_nope"))).toMatchObject({ status: 401, body: { detail: "The API key is malformed." } });
    await revokeApiKey(keyId, { scope: "ORGANIZATION", organizationId: org.id });
    expect(await problemOf(await call(org.slug, contractCreated(), key))).toMatchObject({ status: 401, body: { detail: "The API key was revoked." } });
  });

  it("refuses an organization key for another organization with 403, existing or not", async () => {
    const { key } = await setup();
    const other = await createOrg({ webhooksEnabled: true });
    expect(await problemOf(await call(other.slug, contractCreated(), key))).toMatchObject({ status: 403, body: { code: "forbidden" } });
    expect(await problemOf(await call("no-such-org", contractCreated(), key))).toMatchObject({ status: 403, body: { code: "forbidden" } });
    expect(await db.message.count({ where: { organizationId: other.id } })).toBe(0);
  });

  it("lets a platform key send to any organization, and 404s an unknown one", async () => {
    const org = await createOrg({ webhooksEnabled: true });
    const user = await createUser({ isStaff: true });
    const { key } = await createApiKey({ name: "platform", scope: "PLATFORM", organizationId: null, createdById: user.id });
    expect((await call(org.slug, contractCreated(), key)).status).toBe(202);
    expect(await problemOf(await call("no-such-org", contractCreated(), key))).toMatchObject({ status: 404, body: { code: "not_found" } });
  });

  it("rejects malformed JSON (400), oversized bodies (413) and bodies of the wrong shape (422)", async () => {
    const { org, key } = await setup();
    expect(await problemOf(await call(org.slug, null, key, "{ nope"))).toMatchObject({ status: 400, body: { code: "invalid_json" } });
    const big = { ...contractCreated(), payload: { ...contractCreated().payload, padding: "x".repeat(256 * 1024) } };
    expect(await problemOf(await call(org.slug, big, key))).toMatchObject({ status: 413, body: { code: "payload_too_large" } });
    expect(await problemOf(await call(org.slug, { payload: {} }, key))).toMatchObject({
      status: 422,
      body: { code: "invalid_body", detail: [{ loc: ["body", "eventType"], msg: expect.stringMatching(/eventType is required/), type: "invalid_type" }] },
    });
    expect(await problemOf(await call(org.slug, { eventType: "contract.created", payload: [1] }, key))).toMatchObject({
      status: 422,
      body: { code: "invalid_body", detail: [{ loc: ["body", "payload"], msg: expect.stringMatching(/JSON object/), type: "invalid_type" }] },
    });
  });

  it("rejects unknown and archived event types with 422", async () => {
    const { org, key } = await setup();
    expect(await problemOf(await call(org.slug, { eventType: "contract.exploded", payload: {} }, key))).toMatchObject({ status: 422, body: { code: "unknown_event_type" } });
    const archived = `legacy.thing${Date.now()}`;
    await createArchivedEventType(archived);
    expect(await problemOf(await call(org.slug, { eventType: archived, payload: {} }, key))).toMatchObject({ status: 422, body: { code: "archived_event_type" } });
  });

  it("rejects a payload that does not match the type's JSON Schema, naming each failing path", async () => {
    const { org, key } = await setup();
    const { payload } = contractCreated();
    const bad = { ...payload, marketplace: "ebay", contract: { ...(payload.contract as Record<string, unknown>), id: undefined } };
    const { status, body } = await problemOf(await call(org.slug, { eventType: "contract.created", payload: bad }, key));
    expect(status).toBe(422);
    expect(body.code).toBe("invalid_payload");
    // Svix's 422 shape: one `{ loc, msg, type }` per failing path of the payload.
    const locations = (body.detail as { loc: (string | number)[] }[]).map((d) => d.loc.join("/"));
    expect(locations).toEqual(expect.arrayContaining(["body/payload/marketplace", "body/payload/contract/id"]));
    expect(await db.message.count({ where: { organizationId: org.id } })).toBe(0);
  });

  it("says clearly that webhooks are disabled and stores nothing", async () => {
    const { org, key } = await setup({ webhooksEnabled: false });
    const { status, body } = await problemOf(await call(org.slug, contractCreated(), key));
    expect(status).toBe(409);
    expect(body).toMatchObject({ code: "webhooks_disabled", detail: expect.stringMatching(/Webhooks are disabled/) });
    expect(await db.message.count({ where: { organizationId: org.id } })).toBe(0);
  });
});
