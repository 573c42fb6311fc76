import { randomUUID } from "node:crypto";
import { type ApplicationOut, type EventTypeOut } from "svix";
import { expect, test } from "./fixtures";
import { apiFailure, createKey, svix } from "./sdk";

/** The HTTP status of the SDK's ApiException a call throws (fails the spec if it does not throw one). */
const statusOf = async (call: Promise<unknown>) => (await apiFailure(call)).code;

const uid = () => `sdk-${randomUUID().slice(0, 8)}`;
const typeName = () => `sdktest${randomUUID().replace(/-/g, "").slice(0, 8)}.happened`;
const schema = { type: "object", properties: { id: { type: "string" } }, required: ["id"] };

test.describe("applications and event types through the svix SDK", () => {
  test("a platform key creates, reads, lists, updates, get-or-creates and deletes applications", async ({ data }) => {
    const client = svix(await createKey(data, null));
    const appUid = uid();
    const app = await client.application.create({ name: "SDK app", uid: appUid, metadata: { tier: "gold" } });
    expect(app).toMatchObject({ uid: appUid, name: "SDK app", metadata: { tier: "gold" }, throttleRate: null });
    expect(app.createdAt).toBeInstanceOf(Date);

    expect((await client.application.get(appUid)).id).toBe(app.id);
    expect((await client.application.get(app.id)).uid).toBe(appUid);

    // Pages: every application exactly once, this one among them.
    await client.application.create({ name: "SDK app 2", uid: uid() });
    const seen: ApplicationOut[] = [];
    let iterator: string | null = null;
    for (let pages = 0; pages < 1000; pages++) {
      const page = await client.application.list({ limit: 1, iterator });
      expect(page.data.length).toBeLessThanOrEqual(1);
      seen.push(...page.data);
      if (page.done) break;
      iterator = page.iterator ?? null;
    }
    expect(seen.map((a) => a.id)).toContain(app.id);
    expect(new Set(seen.map((a) => a.id)).size).toBe(seen.length);

    const patched = await client.application.patch(appUid, { name: "SDK app renamed" });
    expect(patched).toMatchObject({ name: "SDK app renamed", metadata: { tier: "gold" } });
    const newUid = uid();
    const updated = await client.application.upsert(app.id, { name: "SDK app put", uid: newUid });
    expect(updated).toMatchObject({ id: app.id, uid: newUid, name: "SDK app put", metadata: {} });
    expect(await statusOf(client.application.get(appUid))).toBe(404);

    const again = await client.application.getOrCreate({ name: "ignored", uid: newUid });
    expect(again.id).toBe(app.id);
    expect(again.name).toBe("SDK app put");
    const fresh = await client.application.getOrCreate({ name: "Fresh", uid: uid() });
    expect(fresh.id).not.toBe(app.id);

    expect(await statusOf(client.application.create({ name: "Dup", uid: newUid }))).toBe(409);
    expect(await statusOf(client.application.create({ name: "", uid: "Bad Uid" }))).toBe(422);

    await client.application.delete(newUid);
    expect(await statusOf(client.application.get(app.id))).toBe(404);
    expect(await statusOf(client.application.delete(app.id))).toBe(404);
  });

  test("a platform key creates, gets, updates, patches and archives an event type", async ({ data }) => {
    const client = svix(await createKey(data, null));
    const name = typeName();
    const created: EventTypeOut = await client.eventType.create({ name, description: "It happened", schemas: { "1": { ...schema, examples: [{ id: "e1" }] } } });
    expect(created).toMatchObject({ name, archived: false, deprecated: false, groupName: name.split(".")[0], schemas: { "1": { ...schema, examples: [{ id: "e1" }] } } });
    expect((await client.eventType.get(name)).description).toBe("It happened");

    const updated = await client.eventType.upsert(name, { description: "It happened again", deprecated: true });
    expect(updated).toMatchObject({ description: "It happened again", deprecated: true, schemas: created.schemas });
    const patched = await client.eventType.patch(name, { schemas: { "1": { ...schema, examples: [{ id: "e2" }] } } });
    expect(patched.schemas).toEqual({ "1": { ...schema, examples: [{ id: "e2" }] } });
    expect(patched.deprecated).toBe(true);

    expect(await statusOf(client.eventType.create({ name, description: "Dup", schemas: created.schemas }))).toBe(409);
    expect(await statusOf(client.eventType.create({ name: typeName(), description: "No schema" }))).toBe(422);
    expect(await statusOf(client.eventType.patch(name, { schemas: { "1": { ...schema, examples: [{ nope: 1 }] } } }))).toBe(422);

    await client.eventType.delete(name);
    expect((await client.eventType.get(name)).archived).toBe(true);
    expect(await statusOf(client.eventType.delete(name, { expunge: true }))).toBe(422);

    async function listAll(includeArchived: boolean): Promise<EventTypeOut[]> {
      const out: EventTypeOut[] = [];
      let iterator: string | null = null;
      for (let pages = 0; pages < 1000; pages++) {
        const page = await client.eventType.list({ includeArchived, withContent: true, limit: 5, iterator });
        out.push(...page.data);
        if (page.done) return out;
        iterator = page.iterator ?? null;
      }
      throw new Error("too many pages");
    }
    expect((await listAll(false)).map((t) => t.name)).not.toContain(name);
    expect((await listAll(true)).find((t) => t.name === name)).toMatchObject({ archived: true, schemas: patched.schemas });
    expect(await statusOf(client.eventType.get("no.such_type"))).toBe(404);
  });

  test("an organization key reads its own application and the catalog, and is refused everything else", async ({ data }) => {
    const own = await data.createOrg();
    const other = await data.createOrg();
    const client = svix(await createKey(data, own.id));

    expect((await client.application.get(own.slug)).id).toBe(own.id);
    const list = await client.application.list();
    expect(list.data.map((a) => a.id)).toEqual([own.id]);
    expect((await client.application.patch(own.slug, { metadata: { from: "org key" } })).metadata).toEqual({ from: "org key" });

    expect(await statusOf(client.application.create({ name: "Mine", uid: uid() }))).toBe(403);
    expect(await statusOf(client.application.get(other.slug))).toBe(403);
    expect(await statusOf(client.application.patch(other.slug, { name: "Taken" }))).toBe(403);
    expect(await statusOf(client.application.delete(own.slug))).toBe(403);

    expect((await client.eventType.list({ limit: 1 })).data).toHaveLength(1);
    expect(await statusOf(client.eventType.create({ name: typeName(), description: "x", schemas: { "1": { ...schema, examples: [{ id: "1" }] } } }))).toBe(403);
    expect(await statusOf(client.eventType.delete("contract.created"))).toBe(403);
    expect(await statusOf(svix("hr_org_nope").application.list())).toBe(401);
  });
});
