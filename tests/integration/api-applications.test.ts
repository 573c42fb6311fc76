import { describe, expect, it } from "vitest";
import * as appRoute from "@/app/api/v1/app/[app_id]/route";
import * as appsRoute from "@/app/api/v1/app/route";
import { findOrganization } from "@/lib/organizations/cache";
import { db } from "@/lib/db";
import { createEndpoint } from "@/lib/endpoints/endpoints";
import { endpointConfigSchema } from "@/lib/validations/endpoint";
import { callRoute, organizationKey, platformKey, problemOf } from "@/tests/helpers/api-v1";
import { createOrg, createUser, uniqueSlug } from "@/tests/helpers/factories";
import { ensureCatalog, setTestEncryptionKey } from "@/tests/helpers/webhooks-factories";

setTestEncryptionKey();

interface ApplicationOut {
  id: string;
  uid: string;
  name: string;
  metadata: Record<string, string>;
  throttleRate: null;
  createdAt: string;
  updatedAt: string;
}

interface ListOut {
  data: ApplicationOut[];
  iterator: string | null;
  prevIterator: string | null;
  done: boolean;
}

const list = (key: string, query = "") => callRoute(appsRoute, "GET", `/api/v1/app${query}`, key);
const create = (key: string, body: unknown, query = "") => callRoute(appsRoute, "POST", `/api/v1/app${query}`, key, body);
const one = (method: "GET" | "PUT" | "PATCH" | "DELETE", app: string, key: string, body?: unknown) => callRoute(appRoute, method, `/api/v1/app/${app}`, key, body);

describe("POST /api/v1/app", () => {
  it("creates an organization with the uid as its slug, metadata, and an audit entry naming the key", async () => {
    const key = await platformKey();
    const uid = uniqueSlug("app");
    const response = await create(key, { name: "Acme Tools", uid, metadata: { plan: "pro" } });
    expect(response.status).toBe(201);
    const app = (await response.json()) as ApplicationOut;
    expect(app).toMatchObject({ uid, name: "Acme Tools", metadata: { plan: "pro" }, throttleRate: null });
    const org = await db.organization.findUniqueOrThrow({ where: { id: app.id } });
    expect(org).toMatchObject({ slug: uid, name: "Acme Tools", metadata: { plan: "pro" }, webhooksEnabled: true });
    const audit = await db.auditLog.findFirstOrThrow({ where: { organizationId: app.id, action: "organization.created" } });
    expect(audit.actorId).toBeNull();
    expect(audit.actorEmail).toMatch(/^API key "platform" \(hr_/);
  });

  it("makes a slug from the name when uid is absent, and another one when that is taken", async () => {
    const key = await platformKey();
    const name = `Zeta Ünïcode ${uniqueSlug("x")}`;
    const first = (await (await create(key, { name })).json()) as ApplicationOut;
    expect(first.uid).toBe(name.toLowerCase().replace("ünïcode", "unicode").replace(/ /g, "-"));
    const second = (await (await create(key, { name })).json()) as ApplicationOut;
    expect(second.uid).toMatch(new RegExp(`^${first.uid}-[0-9a-f]{6}$`));
  });

  it("refuses a duplicate uid with 409, or returns the existing one with 200 for get_if_exists", async () => {
    const key = await platformKey();
    const org = await createOrg();
    expect(await problemOf(await create(key, { name: "Again", uid: org.slug }))).toMatchObject({ status: 409, body: { code: "conflict", detail: expect.stringContaining(org.slug) } });
    const existing = await create(key, { name: "Again", uid: org.slug }, "?get_if_exists=true");
    expect(existing.status).toBe(200);
    expect(await existing.json()).toMatchObject({ id: org.id, uid: org.slug, name: org.name });
    const uid = uniqueSlug("goc");
    const created = await create(key, { name: "New", uid }, "?get_if_exists=true");
    expect(created.status).toBe(201);
  });

  it("validates the body field by field (422)", async () => {
    const key = await platformKey();
    const { status, body } = await problemOf(await create(key, { name: "", uid: "Not A Slug", metadata: { k: 1 }, throttleRate: 5 }));
    expect(status).toBe(422);
    expect(body.code).toBe("invalid_body");
    const locs = (body.detail as { loc: (string | number)[] }[]).map((d) => d.loc.join("."));
    expect(locs).toEqual(expect.arrayContaining(["body.name", "body.uid", "body.metadata.k", "body.throttleRate"]));
    expect(await problemOf(await create(key, { name: "Reserved", uid: "platform" }))).toMatchObject({
      status: 422,
      body: { detail: [{ loc: ["body", "uid"], msg: expect.stringMatching(/reserved/) }] },
    });
  });

  it("is for platform keys only", async () => {
    const org = await createOrg();
    const key = await organizationKey(org.id);
    expect(await problemOf(await create(key, { name: "Mine", uid: uniqueSlug() }))).toMatchObject({ status: 403, body: { code: "forbidden" } });
  });
});

describe("GET /api/v1/app", () => {
  it("pages through every organization for a platform key, each exactly once", async () => {
    const key = await platformKey();
    const mine = await Promise.all([1, 2, 3].map(() => createOrg()));
    const seen: string[] = [];
    const times: number[] = [];
    let iterator = "";
    let lastPage: ListOut | undefined;
    for (let pages = 0; pages < 10_000; pages++) {
      const response = await list(key, `?limit=2${iterator ? `&iterator=${iterator}` : ""}`);
      expect(response.status).toBe(200);
      lastPage = (await response.json()) as ListOut;
      expect(lastPage.data.length).toBeLessThanOrEqual(2);
      seen.push(...lastPage.data.map((a) => a.id));
      times.push(...lastPage.data.map((a) => Date.parse(a.createdAt)));
      if (lastPage.done) break;
      iterator = lastPage.iterator!;
    }
    // Svix's iterator: the last item's id, on the last page too.
    expect(lastPage?.iterator).toBe(seen.at(-1));
    expect(new Set(seen).size).toBe(seen.length);
    for (const org of mine) expect(seen).toContain(org.id);
    // Newest first.
    expect(times).toEqual([...times].sort((a, b) => b - a));
  });

  it("goes back with prevIterator", async () => {
    const key = await platformKey();
    await Promise.all([1, 2, 3].map(() => createOrg()));
    const first = (await (await list(key, "?limit=2")).json()) as ListOut;
    const second = (await (await list(key, `?limit=2&iterator=${first.iterator}`)).json()) as ListOut;
    expect(second.prevIterator).not.toBeNull();
    const back = (await (await list(key, `?limit=2&iterator=${second.prevIterator}`)).json()) as ListOut;
    expect(back.data.map((a) => a.id)).toEqual(first.data.map((a) => a.id));
  });

  it("shows an organization key its own organization only", async () => {
    const org = await createOrg();
    await createOrg();
    const body = (await (await list(await organizationKey(org.id))).json()) as ListOut;
    expect(body).toMatchObject({ done: true, iterator: org.id, prevIterator: `-${org.id}` });
    expect(body.data.map((a) => a.id)).toEqual([org.id]);
  });

  it("refuses a bad limit or iterator with 422", async () => {
    const key = await platformKey();
    expect(await problemOf(await list(key, "?limit=0"))).toMatchObject({ status: 422, body: { code: "invalid_query", detail: [{ loc: ["query", "limit"] }] } });
    expect(await problemOf(await list(key, "?iterator=garbage"))).toMatchObject({ status: 422, body: { code: "invalid_query", detail: [{ loc: ["query", "iterator"] }] } });
  });
});

describe("GET, PUT, PATCH /api/v1/app/{app_id}", () => {
  it("gets an organization by id or uid; 404 for a platform key, 403 for another organization's key", async () => {
    const org = await createOrg();
    const platform = await platformKey();
    for (const app of [org.id, org.slug]) {
      const response = await one("GET", app, platform);
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({ id: org.id, uid: org.slug, name: org.name, metadata: {}, throttleRate: null });
    }
    expect(await problemOf(await one("GET", "no-such-app", platform))).toMatchObject({ status: 404, body: { code: "not_found" } });
    const ownKey = await organizationKey(org.id);
    expect((await one("GET", org.slug, ownKey)).status).toBe(200);
    const other = await createOrg();
    expect(await problemOf(await one("GET", other.slug, ownKey))).toMatchObject({ status: 403, body: { code: "forbidden" } });
    expect(await problemOf(await one("GET", "no-such-app", ownKey))).toMatchObject({ status: 403, body: { code: "forbidden" } });
  });

  it("lets an organization key patch its own name, metadata and uid; the new uid resolves at once and the old one not", async () => {
    const org = await createOrg();
    const key = await organizationKey(org.id);
    expect(await findOrganization(org.slug)).not.toBeNull();
    const uid = uniqueSlug("renamed");
    const response = await one("PATCH", org.slug, key, { name: "Renamed", uid, metadata: { a: "b" } });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ id: org.id, uid, name: "Renamed", metadata: { a: "b" } });
    expect(await findOrganization(org.slug)).toBeNull();
    expect((await findOrganization(uid))?.id).toBe(org.id);
    expect((await one("GET", uid, key)).status).toBe(200);
    // Fields not given are kept.
    expect(await (await one("PATCH", uid, key, { name: "Again" })).json()).toMatchObject({ uid, name: "Again", metadata: { a: "b" } });
    const audit = await db.auditLog.findMany({ where: { organizationId: org.id, action: "organization.updated" }, orderBy: { createdAt: "asc" } });
    expect(audit[0]?.changes).toMatchObject({ slug: { before: org.slug, after: uid }, name: { before: org.name, after: "Renamed" } });
    expect(audit[0]?.actorEmail).toMatch(/^API key "org"/);
  });

  it("refuses a uid another organization has (409) and another organization's app (403)", async () => {
    const org = await createOrg();
    const other = await createOrg();
    const key = await organizationKey(org.id);
    expect(await problemOf(await one("PATCH", org.slug, key, { uid: other.slug }))).toMatchObject({ status: 409, body: { code: "conflict" } });
    expect(await problemOf(await one("PATCH", other.slug, key, { name: "Mine now" }))).toMatchObject({ status: 403, body: { code: "forbidden" } });
    expect(await problemOf(await one("PUT", other.slug, key, { name: "Mine now" }))).toMatchObject({ status: 403, body: { code: "forbidden" } });
    expect(await problemOf(await one("PUT", "no-such-app", key, { name: "Mine now" }))).toMatchObject({ status: 403, body: { code: "forbidden" } });
    expect((await db.organization.findUniqueOrThrow({ where: { id: other.id } })).name).toBe(other.name);
  });

  it("PUT replaces name and metadata, keeps the uid when absent, and creates an organization for a platform key", async () => {
    const org = await createOrg();
    const platform = await platformKey();
    await one("PATCH", org.id, platform, { metadata: { old: "x" } });
    const replaced = await one("PUT", org.id, platform, { name: "Put" });
    expect(replaced.status).toBe(200);
    expect(await replaced.json()).toMatchObject({ uid: org.slug, name: "Put", metadata: {} });
    const uid = uniqueSlug("upsert");
    const created = await one("PUT", uid, platform, { name: "Upserted" });
    expect(created.status).toBe(201);
    expect(await created.json()).toMatchObject({ uid, name: "Upserted" });
    expect(await problemOf(await one("PUT", "Bad Slug!", platform, { name: "x" }))).toMatchObject({ status: 422, body: { detail: [{ loc: ["body", "uid"] }] } });
  });
});

describe("DELETE /api/v1/app/{app_id}", () => {
  it("deletes the organization and everything it owns; its keys stop working; the deletion stays audited", async () => {
    await ensureCatalog();
    const org = await createOrg({ webhooksEnabled: true });
    const user = await createUser();
    const created = await createEndpoint(org.id, endpointConfigSchema.parse({ url: "http://127.0.0.1:9/a", eventTypes: ["contract.created"], rateLimit: "" }), { id: user.id, email: user.email });
    if (!created.ok) throw new Error(created.message);
    const orgKey = await organizationKey(org.id);
    expect((await one("GET", org.slug, orgKey)).status).toBe(200);
    expect(await problemOf(await one("DELETE", org.slug, orgKey))).toMatchObject({ status: 403, body: { code: "forbidden" } });

    const platform = await platformKey();
    const response = await one("DELETE", org.slug, platform);
    expect(response.status).toBe(204);
    expect(await db.organization.count({ where: { id: org.id } })).toBe(0);
    expect(await db.endpoint.count({ where: { organizationId: org.id } })).toBe(0);
    expect(await db.apiKey.count({ where: { organizationId: org.id } })).toBe(0);
    expect(await problemOf(await one("GET", org.slug, orgKey))).toMatchObject({ status: 401 });
    expect(await problemOf(await one("GET", org.id, platform))).toMatchObject({ status: 404 });
    expect(await problemOf(await one("DELETE", org.id, platform))).toMatchObject({ status: 404, body: { code: "not_found" } });
    const audit = await db.auditLog.findFirstOrThrow({ where: { action: "organization.deleted", changes: { path: ["id"], equals: org.id } } });
    expect(audit).toMatchObject({ organizationId: null, changes: { slug: org.slug, name: org.name } });
  });
});
