import { afterAll, beforeAll, describe, expect, inject, it, vi } from "vitest";
import { createOperatorEndpointAction, deleteOperatorEndpointAction, revealOperatorEndpointSecretAction } from "@/actions/operational-webhooks";
import { sendEventAction } from "@/actions/send-event";
import * as appRoute from "@/app/api/v1/app/[app_id]/route";
import * as messagesRoute from "@/app/api/v1/app/[app_id]/msg/route";
import * as appsRoute from "@/app/api/v1/app/route";
import * as eventTypesRoute from "@/app/api/v1/event-type/route";
import * as endpointRoute from "@/app/api/v1/operational-webhook/endpoint/[endpoint_id]/route";
import * as headersRoute from "@/app/api/v1/operational-webhook/endpoint/[endpoint_id]/headers/route";
import * as rotateRoute from "@/app/api/v1/operational-webhook/endpoint/[endpoint_id]/secret/rotate/route";
import * as secretRoute from "@/app/api/v1/operational-webhook/endpoint/[endpoint_id]/secret/route";
import * as endpointsRoute from "@/app/api/v1/operational-webhook/endpoint/route";
import { listEventTypes } from "@/lib/catalog/event-types";
import { db } from "@/lib/db";
import { decodeCursor } from "@/lib/db/keyset";
import { activeSigningSecrets } from "@/lib/endpoints/secrets";
import { createInvite } from "@/lib/members/invites";
import { OPERATIONAL_EVENT_TYPE_NAMES } from "@/lib/operational/events";
import { PLATFORM_ORGANIZATION_ID } from "@/lib/operational/platform";
import { findOrganization } from "@/lib/organizations/cache";
import { deleteOrganization, listOrganizationsForStaff, organizationChoices, setOrganizationDisabled, updateOrganization } from "@/lib/organizations/organizations";
import { signInAs } from "@/tests/helpers/auth-mock";
import { callRoute, organizationKey, platformKey } from "@/tests/helpers/api-v1";
import { contractCreated } from "@/tests/helpers/delivery-harness";
import { createExecutorDatabase, type ExecutorDatabase } from "@/tests/helpers/executor-harness";
import { createMember, createOrg, createUser } from "@/tests/helpers/factories";
import { ensureCatalog, setTestEncryptionKey } from "@/tests/helpers/webhooks-factories";

/**
 * Svix's operational-webhook.endpoint.* calls (platform keys only), the staff actions, and the
 * platform organization behind them staying out of every customer-facing list and lookup. A fresh
 * database: an operator endpoint receives every organization's events, so it must not meet other
 * files' endpoints.
 */

vi.mock("@/auth", () => import("@/tests/helpers/auth-mock"));
vi.mock("next/cache", () => import("@/tests/helpers/next-mocks"));

let database: ExecutorDatabase;
let key: string;

beforeAll(async () => {
  setTestEncryptionKey();
  database = await createExecutorDatabase(inject("adminDatabaseUrl"), "operational");
  process.env.DATABASE_URL = database.url;
  await ensureCatalog();
  key = await platformKey();
}, 60_000);
afterAll(async () => {
  await db.$disconnect();
  await database?.cleanup();
});

type Route = Parameters<typeof callRoute>[0];

async function call(route: Route, method: Parameters<typeof callRoute>[1], path: string, body?: unknown, as = key) {
  const response = await callRoute(route, method, path, as, body);
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : {}) as Record<string, unknown> & { code?: string; detail?: { loc: (string | number)[]; msg: string; type: string }[] } };
}

const BASE = "/api/v1/operational-webhook/endpoint";

describe("operational webhook endpoints through Svix's API", () => {
  it("creates, reads, lists, replaces, rotates and deletes an operator endpoint, by id and by uid", async () => {
    const created = await call(endpointsRoute, "POST", BASE, {
      url: "https://ops.example.test/hooks",
      description: "On-call",
      uid: "on-call",
      eventTypes: ["endpoint.disabled", "message.attempt.exhausted", "endpoint.disabled"],
      metadata: { team: "sre" },
      headers: { "X-Team": "sre" },
    });
    expect(created).toMatchObject({
      status: 201,
      body: { url: "https://ops.example.test/hooks", description: "On-call", uid: "on-call", disabled: false, throttleRate: null, eventTypes: ["endpoint.disabled", "message.attempt.exhausted"], metadata: { team: "sre" } },
    });
    const id = String(created.body.id);
    expect(id).toMatch(/^ep_/);
    expect(await db.endpoint.findUniqueOrThrow({ where: { id } })).toMatchObject({ organizationId: PLATFORM_ORGANIZATION_ID });

    expect((await call(endpointRoute, "GET", `${BASE}/on-call`)).body).toMatchObject({ id, uid: "on-call" });
    const all = await call(endpointsRoute, "POST", BASE, { url: "https://all.example.test/hooks" });
    expect(all).toMatchObject({ status: 201, body: { eventTypes: null, uid: null } });
    const list = await call(endpointsRoute, "GET", `${BASE}?limit=1`);
    expect(list.body).toMatchObject({ data: [{ id: all.body.id }], done: false });

    const replaced = await call(endpointRoute, "PUT", `${BASE}/${id}`, { url: "https://ops.example.test/v2", throttleRate: 5 });
    expect(replaced).toMatchObject({ status: 200, body: { id, url: "https://ops.example.test/v2", description: "", throttleRate: 5, eventTypes: null, uid: "on-call", metadata: { team: "sre" } } });
    const upserted = await call(endpointRoute, "PUT", `${BASE}/night-shift`, { url: "https://night.example.test/hooks", eventTypes: ["endpoint.created"] });
    expect(upserted).toMatchObject({ status: 201, body: { uid: "night-shift", eventTypes: ["endpoint.created"] } });

    expect((await call(headersRoute, "GET", `${BASE}/${id}/headers`)).body).toEqual({ headers: { "X-Team": "sre" }, sensitive: [] });
    expect((await call(headersRoute, "PUT", `${BASE}/${id}/headers`, { headers: { "X-Env": "prod" } })).status).toBe(204);
    expect((await call(headersRoute, "GET", `${BASE}/on-call/headers`)).body).toEqual({ headers: { "X-Env": "prod" }, sensitive: [] });

    const secret = String((await call(secretRoute, "GET", `${BASE}/${id}/secret`)).body.key);
    expect(secret).toMatch(/^whsec_/);
    expect((await call(rotateRoute, "POST", `${BASE}/${id}/secret/rotate`, {})).status).toBe(204);
    const rotated = String((await call(secretRoute, "GET", `${BASE}/${id}/secret`)).body.key);
    expect(rotated).not.toBe(secret);
    expect(await activeSigningSecrets(id)).toEqual([rotated, secret]);

    for (const ref of [id, String(all.body.id), "night-shift"]) expect((await call(endpointRoute, "DELETE", `${BASE}/${ref}`)).status).toBe(204);
    expect(await call(endpointRoute, "GET", `${BASE}/${id}`)).toMatchObject({ status: 404, body: { code: "not_found" } });
  });

  it("refuses organization keys and calls without a key", async () => {
    const org = await createOrg({ webhooksEnabled: true });
    const orgKey = await organizationKey(org.id);
    for (const [route, method, path, body] of [
      [endpointsRoute, "GET", BASE, undefined],
      [endpointsRoute, "POST", BASE, { url: "https://ops.example.test/hooks" }],
      [endpointRoute, "GET", `${BASE}/anything`, undefined],
      [secretRoute, "GET", `${BASE}/anything/secret`, undefined],
    ] as const) {
      expect(await call(route, method, path, body, orgKey)).toMatchObject({ status: 403, body: { code: "forbidden" } });
      expect((await callRoute(route, method, path, undefined, body)).status).toBe(401);
    }
    expect(await db.endpoint.count({ where: { organizationId: PLATFORM_ORGANIZATION_ID, deletedAt: null } })).toBe(0);
  });

  it("answers bad input with Svix's error shape, each issue at its field", async () => {
    const bad = await call(endpointsRoute, "POST", BASE, { url: "ftp://ops.example.test", eventTypes: ["contract.created"], throttleRate: 0, uid: "has space" });
    expect(bad.status).toBe(422);
    expect(bad.body.code).toBe("invalid_body");
    const locs = bad.body.detail!.map((i) => i.loc.join("."));
    expect(locs).toEqual(expect.arrayContaining(["body.url", "body.eventTypes.0", "body.throttleRate", "body.uid"]));
    for (const issue of bad.body.detail!) expect(issue).toEqual({ loc: expect.any(Array), msg: expect.any(String), type: expect.any(String) });
    expect(bad.body.detail!.find((i) => i.loc.join(".") === "body.eventTypes.0")!.msg).toContain("contract.created is not an operational event");

    const empty = await call(endpointsRoute, "POST", BASE, { url: "https://ops.example.test/hooks", eventTypes: [] });
    expect(empty).toMatchObject({ status: 422, body: { code: "invalid_body", detail: [{ loc: ["body", "eventTypes"] }] } });
    const headers = await call(endpointsRoute, "POST", BASE, { url: "https://ops.example.test/hooks", headers: { "Webhook-Id": "forged" } });
    expect(headers).toMatchObject({ status: 422, body: { detail: [{ loc: ["body", "headers", "Webhook-Id"] }] } });
    expect(await db.endpoint.count({ where: { organizationId: PLATFORM_ORGANIZATION_ID, deletedAt: null } })).toBe(0);
  });
});

describe("operator endpoints from the dashboard's actions", () => {
  it("lets staff add, reveal and delete them, and refuses everyone else, an organization's owner included", async () => {
    signInAs((await createUser({ isStaff: true })).id);
    const created = await createOperatorEndpointAction({ url: "https://ops.example.test/hooks", description: "", eventTypes: [], rateLimit: "" });
    if (!created.ok) throw new Error(created.error);
    const endpointId = created.data.id;
    await expect(revealOperatorEndpointSecretAction({ endpointId })).resolves.toMatchObject({ ok: true, data: { secret: expect.stringMatching(/^whsec_/) } });
    const invalid = await createOperatorEndpointAction({ url: "nope", eventTypes: ["contract.created"], rateLimit: "" });
    expect(invalid).toMatchObject({ ok: false, code: "invalid_input", fieldErrors: { url: [expect.any(String)], "eventTypes.0": [expect.stringContaining("not an operational event")] } });

    const org = await createOrg();
    for (const role of ["VIEWER", "OWNER"] as const) {
      signInAs((await createMember(org.id, role)).id);
      await expect(createOperatorEndpointAction({ url: "https://evil.example.test", eventTypes: [], rateLimit: "" })).resolves.toMatchObject({ ok: false, code: "forbidden" });
      await expect(revealOperatorEndpointSecretAction({ endpointId })).resolves.toMatchObject({ ok: false, code: "forbidden" });
      await expect(deleteOperatorEndpointAction({ endpointId })).resolves.toMatchObject({ ok: false, code: "forbidden" });
    }
    signInAs((await createUser({ isStaff: true })).id);
    await expect(deleteOperatorEndpointAction({ endpointId })).resolves.toMatchObject({ ok: true });
  });
});

describe("the platform organization is never a customer", () => {
  it("is in no list of organizations, no application list, and no lookup by id or slug", async () => {
    // Created with the first operator endpoint.
    expect(await db.organization.findUnique({ where: { id: PLATFORM_ORGANIZATION_ID } })).toMatchObject({ slug: PLATFORM_ORGANIZATION_ID });
    const staff = await createUser({ isStaff: true });
    expect((await organizationChoices(staff.id)).map((o) => o.slug)).not.toContain(PLATFORM_ORGANIZATION_ID);

    const seen: string[] = [];
    for (let cursor: string | null = null, n = 0; n < 100; n++) {
      const page = await listOrganizationsForStaff({ cursor: decodeCursor(cursor) ?? undefined, limit: 2 });
      seen.push(...page.items.map((o) => o.id));
      if (!page.nextCursor) break;
      cursor = page.nextCursor;
    }
    expect(seen.length).toBeGreaterThan(0);
    expect(seen).not.toContain(PLATFORM_ORGANIZATION_ID);

    const apps: string[] = [];
    for (let iterator = "", n = 0; n < 100; n++) {
      const page = await call(appsRoute, "GET", `/api/v1/app?limit=2${iterator ? `&iterator=${encodeURIComponent(iterator)}` : ""}`);
      apps.push(...(page.body.data as { id: string; uid: string }[]).flatMap((a) => [a.id, a.uid]));
      if (page.body.done) break;
      iterator = String(page.body.iterator);
    }
    expect(apps.length).toBeGreaterThan(0);
    expect(apps).not.toContain(PLATFORM_ORGANIZATION_ID);

    expect(await findOrganization(PLATFORM_ORGANIZATION_ID)).toBeNull();
    expect(await call(appRoute, "GET", `/api/v1/app/${PLATFORM_ORGANIZATION_ID}`)).toMatchObject({ status: 404, body: { code: "not_found" } });
    expect(await call(messagesRoute, "POST", `/api/v1/app/${PLATFORM_ORGANIZATION_ID}/msg`, contractCreated())).toMatchObject({ status: 404 });
    expect(await call(appsRoute, "POST", "/api/v1/app", { name: "Mine", uid: PLATFORM_ORGANIZATION_ID })).toMatchObject({ status: 422 });
  });

  it("cannot be renamed, disabled, deleted, invited into or sent events by staff", async () => {
    const staff = await createUser({ isStaff: true });
    const actor = { id: staff.id, email: staff.email };
    expect(await updateOrganization(PLATFORM_ORGANIZATION_ID, { name: "Mine" }, actor)).toEqual({ ok: false, code: "not_found" });
    expect(await setOrganizationDisabled(PLATFORM_ORGANIZATION_ID, true, actor)).toEqual({ ok: false, code: "not_found" });
    expect(await deleteOrganization(PLATFORM_ORGANIZATION_ID, actor)).toBe("not_found");
    expect(await createInvite({ organizationId: PLATFORM_ORGANIZATION_ID, email: "someone@example.test", role: "OWNER" }, actor)).toMatchObject({ ok: false, code: "organization_not_found" });
    signInAs(staff.id);
    await expect(sendEventAction({ org: PLATFORM_ORGANIZATION_ID, eventType: "contract.created", payloadJson: JSON.stringify(contractCreated().payload), eventId: "" })).resolves.toMatchObject({ ok: false });
    expect(await db.message.count({ where: { organizationId: PLATFORM_ORGANIZATION_ID, eventType: "contract.created" } })).toBe(0);
    expect(await db.organization.findUniqueOrThrow({ where: { id: PLATFORM_ORGANIZATION_ID } })).toMatchObject({ name: "Platform (operational webhooks)", disabledAt: null });
    expect(await db.membership.count({ where: { organizationId: PLATFORM_ORGANIZATION_ID } })).toBe(0);
  });

  it("keeps operational events out of the customers' event catalog", async () => {
    const names = new Set((await listEventTypes({ includeArchived: true })).map((t) => t.name));
    const listed = await call(eventTypesRoute, "GET", "/api/v1/event-type?limit=250&include_archived=true");
    for (const name of (listed.body.data as { name: string }[]).map((t) => t.name)) names.add(name);
    expect(names.size).toBeGreaterThan(0);
    for (const type of OPERATIONAL_EVENT_TYPE_NAMES) expect(names.has(type)).toBe(false);
  });
});
