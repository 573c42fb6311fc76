import { beforeAll, describe, expect, it, vi } from "vitest";
import { createOrganizationAction } from "@/actions/organizations";
import { setWebhooksEnabledAction } from "@/actions/webhooks";
import * as appRoute from "@/app/api/v1/app/[app_id]/route";
import * as msgRoute from "@/app/api/v1/app/[app_id]/msg/route";
import * as appsRoute from "@/app/api/v1/app/route";
import { db } from "@/lib/db";
import { callRoute, organizationKey, platformKey, problemOf } from "@/tests/helpers/api-v1";
import { signInAs } from "@/tests/helpers/auth-mock";
import { contractCreated } from "@/tests/helpers/delivery-harness";
import { createMember, createUser, uniqueSlug } from "@/tests/helpers/factories";
import { ensureCatalog } from "@/tests/helpers/webhooks-factories";

vi.mock("@/auth", () => import("@/tests/helpers/auth-mock"));
vi.mock("next/cache", () => import("@/tests/helpers/next-mocks"));

/**
 * Item 1 of issue 22: an application created through the API can receive messages at once, the
 * dashboard's toggle still switches its webhooks, and `webhooksEnabled` is a platform key's field.
 */

beforeAll(async () => {
  await ensureCatalog();
});

interface ApplicationOut {
  id: string;
  uid: string;
  webhooksEnabled: boolean;
}

const createApp = (key: string, body: unknown) => callRoute(appsRoute, "POST", "/api/v1/app", key, body);
const app = (method: "GET" | "PUT" | "PATCH", uid: string, key: string, body?: unknown) => callRoute(appRoute, method, `/api/v1/app/${uid}`, key, body);
const sendMessage = (uid: string, key: string) => callRoute(msgRoute, "POST", `/api/v1/app/${uid}/msg`, key, contractCreated());
const enabledIn = async (id: string) => (await db.organization.findUniqueOrThrow({ where: { id } })).webhooksEnabled;

async function created(response: Response): Promise<ApplicationOut> {
  expect(response.status).toBe(201);
  return (await response.json()) as ApplicationOut;
}

describe("applications created through the API", () => {
  it("have webhooks on: a message is accepted at once", async () => {
    const platform = await platformKey();
    const application = await created(await createApp(platform, { name: "Fresh app", uid: uniqueSlug("fresh") }));
    expect(application.webhooksEnabled).toBe(true);
    expect(await enabledIn(application.id)).toBe(true);
    expect((await sendMessage(application.uid, platform)).status).toBe(202);
    // And for the application's own key.
    expect((await sendMessage(application.uid, await organizationKey(application.id))).status).toBe(202);
  });

  it("have webhooks on when PUT creates them too, and off when the body says so", async () => {
    const platform = await platformKey();
    const upserted = await created(await app("PUT", uniqueSlug("upsert"), platform, { name: "Upserted" }));
    expect(upserted.webhooksEnabled).toBe(true);
    const off = await created(await createApp(platform, { name: "Quiet", uid: uniqueSlug("quiet"), webhooksEnabled: false }));
    expect(off.webhooksEnabled).toBe(false);
    expect(await problemOf(await sendMessage(off.uid, platform))).toMatchObject({ status: 409, body: { code: "webhooks_disabled" } });
    const audit = await db.auditLog.findFirstOrThrow({ where: { organizationId: off.id, action: "organization.created" } });
    expect(audit.changes).toMatchObject({ webhooksEnabled: false });
  });

  it("differ from organizations staff create in the dashboard, which start with webhooks off", async () => {
    signInAs((await createUser({ isStaff: true })).id);
    const slug = uniqueSlug("staff");
    expect(await createOrganizationAction({ name: "Staff made", slug, ownerEmail: "" })).toMatchObject({ ok: true });
    expect((await db.organization.findUniqueOrThrow({ where: { slug } })).webhooksEnabled).toBe(false);
  });

  it("are switched off and on by the dashboard's toggle, and the API follows at once", async () => {
    const platform = await platformKey();
    const application = await created(await createApp(platform, { name: "Toggled", uid: uniqueSlug("toggled") }));
    const key = await organizationKey(application.id);
    signInAs((await createMember(application.id, "ADMIN")).id);
    expect(await setWebhooksEnabledAction({ org: application.uid, enabled: false })).toEqual({ ok: true, data: { enabled: false } });
    expect(await problemOf(await sendMessage(application.uid, key))).toMatchObject({ status: 409, body: { code: "webhooks_disabled" } });
    expect(await (await app("GET", application.uid, key)).json()).toMatchObject({ webhooksEnabled: false });
    expect(await setWebhooksEnabledAction({ org: application.uid, enabled: true })).toEqual({ ok: true, data: { enabled: true } });
    expect((await sendMessage(application.uid, key)).status).toBe(202);
  });
});

describe("webhooksEnabled through the API", () => {
  it("a platform key switches them off and on with PATCH and PUT; each change is audited", async () => {
    const platform = await platformKey();
    const application = await created(await createApp(platform, { name: "Switched", uid: uniqueSlug("switched") }));
    const patched = await app("PATCH", application.uid, platform, { webhooksEnabled: false });
    expect(patched.status).toBe(200);
    expect(await patched.json()).toMatchObject({ id: application.id, webhooksEnabled: false });
    expect(await problemOf(await sendMessage(application.uid, platform))).toMatchObject({ status: 409, body: { code: "webhooks_disabled" } });
    // PUT without the field keeps it as it is; with it, sets it.
    expect(await (await app("PUT", application.uid, platform, { name: "Switched" })).json()).toMatchObject({ webhooksEnabled: false });
    expect(await (await app("PUT", application.uid, platform, { name: "Switched", webhooksEnabled: true })).json()).toMatchObject({ webhooksEnabled: true });
    expect((await sendMessage(application.uid, platform)).status).toBe(202);
    const audit = await db.auditLog.findMany({ where: { organizationId: application.id, action: "organization.updated" }, orderBy: { createdAt: "asc" } });
    expect(audit.map((a) => a.changes)).toEqual([{ webhooksEnabled: { before: true, after: false } }, { webhooksEnabled: { before: false, after: true } }]);
  });

  it("an organization key may not change them: 422 at body.webhooksEnabled, nothing else changed; repeating the current value is accepted", async () => {
    const platform = await platformKey();
    const application = await created(await createApp(platform, { name: "Own key", uid: uniqueSlug("ownkey") }));
    const key = await organizationKey(application.id);
    for (const [method, body] of [
      ["PATCH", { name: "Renamed", webhooksEnabled: false }],
      ["PUT", { name: "Renamed", webhooksEnabled: false }],
    ] as const) {
      const refused = await problemOf(await app(method, application.uid, key, body));
      expect(refused, method).toMatchObject({
        status: 422,
        body: { code: "invalid_body", detail: [{ loc: ["body", "webhooksEnabled"], msg: expect.stringMatching(/Only a platform API key/), type: "platform_key_required" }] },
      });
    }
    const row = await db.organization.findUniqueOrThrow({ where: { id: application.id } });
    expect(row).toMatchObject({ name: "Own key", webhooksEnabled: true });
    const same = await app("PATCH", application.uid, key, { name: "Renamed", webhooksEnabled: true });
    expect(same.status).toBe(200);
    expect(await same.json()).toMatchObject({ name: "Renamed", webhooksEnabled: true });
    // Switched off by a platform key, the organization key cannot switch them back on.
    await app("PATCH", application.uid, platform, { webhooksEnabled: false });
    expect(await problemOf(await app("PATCH", application.uid, key, { webhooksEnabled: true }))).toMatchObject({ status: 422, body: { detail: [{ msg: expect.stringMatching(/switch an organization's webhooks on/) }] } });
    expect(await enabledIn(application.id)).toBe(false);
  });

  it("is validated as a boolean", async () => {
    const platform = await platformKey();
    expect(await problemOf(await createApp(platform, { name: "Bad", webhooksEnabled: "yes" }))).toMatchObject({
      status: 422,
      body: { detail: [{ loc: ["body", "webhooksEnabled"], msg: "webhooksEnabled must be true or false" }] },
    });
  });
});
