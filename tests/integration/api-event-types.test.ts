import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import * as typeRoute from "@/app/api/v1/event-type/[event_type_name]/route";
import * as typesRoute from "@/app/api/v1/event-type/route";
import { db } from "@/lib/db";
import { cachedEventType } from "@/lib/messages/event-type-cache";
import { callRoute, organizationKey, platformKey, problemOf } from "@/tests/helpers/api-v1";
import { createOrg } from "@/tests/helpers/factories";

interface EventTypeOut {
  name: string;
  description: string;
  archived: boolean;
  deprecated: boolean;
  schemas: Record<string, Record<string, unknown>> | null;
  createdAt: string;
  updatedAt: string;
  groupName: string;
  featureFlags: null;
}

interface ListOut {
  data: EventTypeOut[];
  iterator: string | null;
  prevIterator: string | null;
  done: boolean;
}

const uniqueName = (action = "created") => `apitest${randomUUID().replace(/-/g, "").slice(0, 10)}.${action}`;

const schema = { type: "object", properties: { id: { type: "string" }, amount: { type: "number" } }, required: ["id"], additionalProperties: false };
const schemas = (examples: unknown[] = [{ id: "a1" }], extra: Record<string, unknown> = {}) => ({ "1": { ...schema, ...extra, examples } });

const list = (key: string, query = "") => callRoute(typesRoute, "GET", `/api/v1/event-type${query}`, key);
const create = (key: string, body: unknown) => callRoute(typesRoute, "POST", "/api/v1/event-type", key, body);
const one = (method: "GET" | "PUT" | "PATCH" | "DELETE", name: string, key: string, body?: unknown, query = "") =>
  callRoute(typeRoute, method, `/api/v1/event-type/${name}${query}`, key, body);

async function created(key: string, name = uniqueName(), body: Record<string, unknown> = {}): Promise<EventTypeOut> {
  const response = await create(key, { name, description: "Something happened", schemas: schemas(), ...body });
  expect(response.status).toBe(201);
  return (await response.json()) as EventTypeOut;
}

describe("POST /api/v1/event-type", () => {
  it("adds a type to the catalog: schema version 1 is the schema, its examples the catalog's examples", async () => {
    const key = await platformKey();
    const name = uniqueName();
    const out = await created(key, name, { schemas: schemas([{ id: "a1" }, { id: "a2", amount: 3 }]), deprecated: true });
    expect(out).toMatchObject({ name, description: "Something happened", archived: false, deprecated: true, groupName: name.split(".")[0], featureFlags: null });
    expect(out.schemas).toEqual(schemas([{ id: "a1" }, { id: "a2", amount: 3 }]));
    const row = await db.eventType.findUniqueOrThrow({ where: { name } });
    expect(row.schema).toEqual(schema);
    expect(row.examples).toEqual([
      { name: "Example 1", payload: { id: "a1" } },
      { name: "Example 2", payload: { id: "a2", amount: 3 } },
    ]);
    const audit = await db.auditLog.findFirstOrThrow({ where: { action: "event_type.created", changes: { path: ["name"], equals: name } } });
    expect(audit.actorEmail).toMatch(/^API key "platform"/);
    // Ingestion sees it at once.
    expect((await cachedEventType(name))?.name).toBe(name);
  });

  it("applies the staff catalog's rules, each failure on its field (422)", async () => {
    const key = await platformKey();
    const cases: [unknown, (string | number)[]][] = [
      [{ name: "NoDot", description: "x", schemas: schemas() }, ["body", "name"]],
      [{ name: uniqueName(), description: "", schemas: schemas() }, ["body", "description"]],
      [{ name: uniqueName(), description: "x" }, ["body", "schemas"]],
      [{ name: uniqueName(), description: "x", schemas: { "1": { type: "object", properties: { a: { type: "nope" } }, examples: [{}] } } }, ["body", "schemas", "1"]],
      [{ name: uniqueName(), description: "x", schemas: { "1": { type: "array", examples: [{}] } } }, ["body", "schemas", "1"]],
      [{ name: uniqueName(), description: "x", schemas: schemas([{ amount: 1 }]) }, ["body", "schemas", "1", "examples", 0]],
      [{ name: uniqueName(), description: "x", schemas: schemas([]) }, ["body", "schemas", "1", "examples"]],
      [{ name: uniqueName(), description: "x", schemas: { ...schemas(), "2": schema } }, ["body", "schemas", "2"]],
      [{ name: uniqueName(), description: "x", schemas: schemas(), featureFlags: ["beta"] }, ["body", "featureFlags"]],
      [{ name: uniqueName(), description: "x", schemas: schemas(), groupName: "other" }, ["body", "groupName"]],
    ];
    for (const [body, loc] of cases) {
      const { status, body: problem } = await problemOf(await create(key, body));
      expect({ status, code: problem.code }, JSON.stringify(body)).toEqual({ status: 422, code: "invalid_body" });
      expect((problem.detail as { loc: unknown }[]).map((d) => d.loc), JSON.stringify(body)).toContainEqual(loc);
    }
  });

  it("refuses an existing name (409) but brings an archived type back with the new content", async () => {
    const key = await platformKey();
    const out = await created(key);
    expect(await problemOf(await create(key, { name: out.name, description: "Again", schemas: schemas() }))).toMatchObject({ status: 409, body: { code: "conflict" } });
    expect((await one("DELETE", out.name, key)).status).toBe(204);
    const back = await create(key, { name: out.name, description: "Back", schemas: schemas([{ id: "z" }]) });
    expect(back.status).toBe(201);
    expect(await back.json()).toMatchObject({ archived: false, description: "Back", schemas: schemas([{ id: "z" }]) });
  });

  it("is for platform keys only", async () => {
    const key = await organizationKey((await createOrg()).id);
    const name = uniqueName();
    expect(await problemOf(await create(key, { name, description: "x", schemas: schemas() }))).toMatchObject({ status: 403, body: { code: "forbidden" } });
    expect(await db.eventType.count({ where: { name } })).toBe(0);
  });
});

describe("GET /api/v1/event-type", () => {
  it("lists without archived types and schemas unless asked, for any key, in pages", async () => {
    const platform = await platformKey();
    const active = await created(platform);
    const archived = await created(platform);
    await one("DELETE", archived.name, platform);
    const key = await organizationKey((await createOrg()).id);

    async function all(query: string): Promise<EventTypeOut[]> {
      const out: EventTypeOut[] = [];
      let iterator = "";
      for (let pages = 0; pages < 1000; pages++) {
        const response = await list(key, `?limit=3&${query}${iterator ? `&iterator=${iterator}` : ""}`);
        expect(response.status).toBe(200);
        const page = (await response.json()) as ListOut;
        expect(page.data.length).toBeLessThanOrEqual(3);
        out.push(...page.data);
        if (page.done) return out;
        iterator = page.iterator!;
      }
      throw new Error("too many pages");
    }

    const plain = await all("");
    expect(plain.map((t) => t.name)).toContain(active.name);
    expect(plain.map((t) => t.name)).not.toContain(archived.name);
    expect(plain.every((t) => t.schemas === null && !t.archived)).toBe(true);
    expect(new Set(plain.map((t) => t.name)).size).toBe(plain.length);

    const full = await all("include_archived=true&with_content=true");
    expect(full.find((t) => t.name === archived.name)).toMatchObject({ archived: true, schemas: schemas() });
    expect(full.find((t) => t.name === active.name)?.schemas).toEqual(schemas());
  });

  it("refuses a parameter that is not true or false (422)", async () => {
    const key = await platformKey();
    expect(await problemOf(await list(key, "?include_archived=yes"))).toMatchObject({ status: 422, body: { code: "invalid_query", detail: [{ loc: ["query", "include_archived"] }] } });
  });
});

describe("GET, PUT, PATCH, DELETE /api/v1/event-type/{event_type_name}", () => {
  it("gets a type by name for any key; 404 for an unknown one", async () => {
    const out = await created(await platformKey());
    const key = await organizationKey((await createOrg()).id);
    const response = await one("GET", out.name, key);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual(out);
    expect(await problemOf(await one("GET", "no.such_type", key))).toMatchObject({ status: 404, body: { code: "not_found" } });
  });

  it("PATCH changes only the fields given; examples that stay keep their names", async () => {
    const key = await platformKey();
    const out = await created(key);
    await db.eventType.update({ where: { name: out.name }, data: { examples: [{ name: "Small one", payload: { id: "a1" } }] } });
    const patched = await one("PATCH", out.name, key, { deprecated: true });
    expect(patched.status).toBe(200);
    expect(await patched.json()).toMatchObject({ deprecated: true, description: out.description, schemas: out.schemas });
    const withSchema = await one("PATCH", out.name, key, { schemas: schemas([{ id: "b" }, { id: "a1" }], { description: "v2" }) });
    expect(withSchema.status).toBe(200);
    const row = await db.eventType.findUniqueOrThrow({ where: { name: out.name } });
    expect(row.examples).toEqual([
      { name: "Example 1", payload: { id: "b" } },
      { name: "Small one", payload: { id: "a1" } },
    ]);
    expect(row.schema).toEqual({ ...schema, description: "v2" });
    // A schema without `examples` keeps the examples, which must still match it.
    const stricter = { "1": { ...schema, required: ["id", "amount"] } };
    expect(await problemOf(await one("PATCH", out.name, key, { schemas: stricter }))).toMatchObject({
      status: 422,
      body: { detail: expect.arrayContaining([expect.objectContaining({ loc: ["body", "schemas", "1", "examples", 0] })]) },
    });
    expect(await problemOf(await one("PATCH", "no.such_type", key, { deprecated: true }))).toMatchObject({ status: 404 });
  });

  it("PUT replaces the fields, un-archives, and creates a missing type (201)", async () => {
    const key = await platformKey();
    const out = await created(key, uniqueName(), { deprecated: true });
    await one("DELETE", out.name, key);
    const put = await one("PUT", out.name, key, { description: "Replaced" });
    expect(put.status).toBe(200);
    expect(await put.json()).toMatchObject({ description: "Replaced", deprecated: false, archived: false, schemas: out.schemas });
    const name = uniqueName();
    const made = await one("PUT", name, key, { description: "Made", schemas: schemas() });
    expect(made.status).toBe(201);
    expect(await made.json()).toMatchObject({ name, description: "Made", archived: false });
    expect(await problemOf(await one("PUT", "Bad", key, { description: "x", schemas: schemas() }))).toMatchObject({ status: 422, body: { detail: [{ loc: ["path", "event_type_name"] }] } });
  });

  it("DELETE archives (ingestion refuses the type at once), expunge is refused, writes are platform-only", async () => {
    const key = await platformKey();
    const out = await created(key);
    expect((await cachedEventType(out.name))?.archived).toBe(false);
    expect(await problemOf(await one("DELETE", out.name, key, undefined, "?expunge=true"))).toMatchObject({
      status: 422,
      body: { code: "invalid_query", detail: [{ loc: ["query", "expunge"] }] },
    });
    const orgKey = await organizationKey((await createOrg()).id);
    for (const [method, body] of [["DELETE", undefined], ["PATCH", { deprecated: true }], ["PUT", { description: "x" }]] as const) {
      expect(await problemOf(await one(method, out.name, orgKey, body)), method).toMatchObject({ status: 403, body: { code: "forbidden" } });
    }
    expect((await one("DELETE", out.name, key)).status).toBe(204);
    expect((await cachedEventType(out.name))?.archived).toBe(true);
    expect(await (await one("GET", out.name, key)).json()).toMatchObject({ archived: true });
    expect(await problemOf(await one("DELETE", "no.such_type", key))).toMatchObject({ status: 404, body: { code: "not_found" } });
  });
});
