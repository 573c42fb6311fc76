import { beforeAll, describe, expect, it } from "vitest";
import * as msgRoute from "@/app/api/v1/app/[app_id]/msg/route";
import { db } from "@/lib/db";
import { callRoute, organizationKey, platformKey, problemOf } from "@/tests/helpers/api-v1";
import { contractCreated } from "@/tests/helpers/delivery-harness";
import { createOrg, uniqueSlug } from "@/tests/helpers/factories";
import { ensureCatalog } from "@/tests/helpers/webhooks-factories";

/** Svix's `MessageIn.application`: message.create creates the application it names when it does not exist yet. */

beforeAll(async () => {
  await ensureCatalog();
});

const send = (app: string, key: string, body: Record<string, unknown>) => callRoute(msgRoute, "POST", `/api/v1/app/${app}/msg`, key, { ...contractCreated(), ...body });
const organizationOf = (slug: string) => db.organization.findUnique({ where: { slug } });

describe("message.create with an inline application", () => {
  it("creates the application (webhooks on, audited) and records the message in it, with a platform key", async () => {
    const key = await platformKey();
    const uid = uniqueSlug("inline");
    const response = await send(uid, key, { application: { name: "Inline Co", uid, metadata: { plan: "free" } } });
    expect(response.status).toBe(202);
    const message = (await response.json()) as { id: string };
    const org = await organizationOf(uid);
    expect(org).toMatchObject({ name: "Inline Co", metadata: { plan: "free" }, webhooksEnabled: true });
    expect(await db.message.findUniqueOrThrow({ where: { id: message.id } })).toMatchObject({ organizationId: org!.id });
    const audit = await db.auditLog.findFirstOrThrow({ where: { organizationId: org!.id, action: "organization.created" } });
    expect(audit.actorEmail).toMatch(/^API key "platform"/);
    // The application exists now: a second message with the same inline application uses it.
    expect((await send(uid, key, { application: { name: "Another name", uid } })).status).toBe(202);
    expect(await db.organization.count({ where: { slug: uid } })).toBe(1);
    expect((await organizationOf(uid))?.name).toBe("Inline Co");
  });

  it("ignores the inline application when the application exists, whatever its uid, as Svix does", async () => {
    const org = await createOrg({ webhooksEnabled: true });
    for (const key of [await platformKey(), await organizationKey(org.id)]) {
      const response = await send(org.slug, key, { application: { name: "Ignored", uid: "something-else" } });
      expect(response.status).toBe(202);
    }
    expect(await organizationOf("something-else")).toBeNull();
    expect((await db.organization.findUniqueOrThrow({ where: { id: org.id } })).name).toBe(org.name);
  });

  it("needs the body's uid to be the path's: 422 at body.application.uid, nothing created", async () => {
    const key = await platformKey();
    const uid = uniqueSlug("mismatch");
    expect(await problemOf(await send(uid, key, { application: { name: "No uid" } }))).toMatchObject({
      status: 422,
      body: { code: "invalid_body", detail: [{ loc: ["body", "application", "uid"], type: "application_uid_missing" }] },
    });
    expect(await problemOf(await send(uid, key, { application: { name: "Other uid", uid: `${uid}-x` } }))).toMatchObject({
      status: 422,
      body: { code: "invalid_body", detail: [{ loc: ["body", "application", "uid"], msg: expect.stringMatching(/must match/), type: "application_uid_mismatch" }] },
    });
    expect(await problemOf(await send(uid, key, { application: { name: "", uid } }))).toMatchObject({
      status: 422,
      body: { detail: [{ loc: ["body", "application", "name"] }] },
    });
    expect(await organizationOf(uid)).toBeNull();
    expect(await organizationOf(`${uid}-x`)).toBeNull();
  });

  it("is refused to an organization key (403: it cannot create applications), and without application an unknown app is 404", async () => {
    const own = await createOrg({ webhooksEnabled: true });
    const uid = uniqueSlug("orgkey");
    expect(await problemOf(await send(uid, await organizationKey(own.id), { application: { name: "Mine", uid } }))).toMatchObject({ status: 403, body: { code: "forbidden" } });
    expect(await problemOf(await send(uid, await platformKey(), {}))).toMatchObject({ status: 404, body: { code: "not_found" } });
    expect(await organizationOf(uid)).toBeNull();
  });

  it("creates one application when concurrent sends race to create it", async () => {
    const key = await platformKey();
    const uid = uniqueSlug("race");
    const responses = await Promise.all([1, 2, 3].map((n) => send(uid, key, { ...contractCreated(n), application: { name: `Race ${n}`, uid } })));
    expect(responses.map((r) => r.status)).toEqual([202, 202, 202]);
    const org = await organizationOf(uid);
    expect(await db.message.count({ where: { organizationId: org!.id } })).toBe(3);
  });

  it("creates nothing for a message that is refused", async () => {
    const key = await platformKey();
    const uid = uniqueSlug("invalid");
    expect(await problemOf(await send(uid, key, { eventType: "contract.exploded", application: { name: "Never", uid } }))).toMatchObject({
      status: 422,
      body: { code: "unknown_event_type", detail: [{ loc: ["body", "eventType"] }] },
    });
    expect(await problemOf(await send(uid, key, { payload: { marketplace: "ebay" }, application: { name: "Never", uid } }))).toMatchObject({
      status: 422,
      body: { code: "invalid_payload", detail: expect.arrayContaining([expect.objectContaining({ loc: ["body", "payload", "marketplace"] })]) },
    });
    expect(await organizationOf(uid)).toBeNull();
  });
});
