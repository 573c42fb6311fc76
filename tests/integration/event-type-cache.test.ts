import { randomUUID } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { getEventType, setEventTypeArchived, updateEventType } from "@/lib/catalog/event-types";
import { db } from "@/lib/db";
import { EventTypeCache, eventTypeCache, TTL_MS } from "@/lib/messages/event-type-cache";
import { sendEvent } from "@/lib/messages/send-event";
import type { Prisma } from "@/lib/generated/prisma/client";
import { createOrg, createUser } from "@/tests/helpers/factories";

const schemaV1 = { type: "object", required: ["n"], properties: { n: { type: "integer" } } };
const schemaV2 = { type: "object", required: ["n", "m"], properties: { n: { type: "integer" }, m: { type: "string" } } };

async function newType() {
  const name = `cache.t${randomUUID().slice(0, 8)}`;
  await db.eventType.create({
    data: { name, group: "cache", description: "cache test", schema: schemaV1 as Prisma.InputJsonObject, examples: [{ name: "one", payload: { n: 1 } }] },
  });
  return name;
}

/**
 * The cache of "another process": its own LISTEN connection, and a loader that counts database
 * reads so the test can see it really serves from memory before the change.
 */
const caches: EventTypeCache[] = [];
afterEach(async () => Promise.all(caches.splice(0).map((c) => c.close())));
async function otherProcessCache() {
  const reads = { count: 0 };
  const cache = new EventTypeCache({
    databaseUrl: () => process.env.DATABASE_URL,
    load: (name) => {
      reads.count++;
      return getEventType(name);
    },
  });
  caches.push(cache);
  await cache.start();
  return { cache, reads };
}

// Far below the backstop TTL: only the change signal can make these pass.
const soon = { timeout: TTL_MS / 20, interval: 20 };

describe("the per-process event type cache", () => {
  it("serves a type from memory until any process changes it", async () => {
    const name = await newType();
    const { cache, reads } = await otherProcessCache();
    expect(await cache.get(name)).toMatchObject({ archived: false });
    expect(await cache.get(name)).toMatchObject({ archived: false });
    expect(reads.count).toBe(1);
  });

  it("refuses a type archived by another process at once, and accepts it again once un-archived", async () => {
    const name = await newType();
    const { cache } = await otherProcessCache();
    const actor = await createUser();
    expect(await cache.get(name)).toMatchObject({ archived: false });

    await setEventTypeArchived(name, true, actor);
    await expect.poll(async () => (await cache.get(name))?.archived, soon).toBe(true);

    await setEventTypeArchived(name, false, actor);
    await expect.poll(async () => (await cache.get(name))?.archived, soon).toBe(false);
  });

  it("validates with a schema edited by another process", async () => {
    const name = await newType();
    const { cache } = await otherProcessCache();
    const actor = await createUser();
    expect((await cache.get(name))?.schema).toEqual(schemaV1);
    const edited = await updateEventType(
      { name, description: "cache test", deprecated: false, schema: schemaV2, examples: [{ name: "one", payload: { n: 1, m: "x" } }] },
      actor,
    );
    expect(edited).toBe("updated");
    await expect.poll(async () => (await cache.get(name))?.schema, soon).toEqual(schemaV2);
  });

  it("ingestion refuses events of a type once it is archived", async () => {
    await eventTypeCache.start();
    const name = await newType();
    const org = await createOrg({ webhooksEnabled: true });
    const actor = await createUser();
    expect(await sendEvent(org, { eventType: name, payload: { n: 1 } })).toMatchObject({ ok: true });
    await setEventTypeArchived(name, true, actor);
    await expect.poll(async () => (await sendEvent(org, { eventType: name, payload: { n: 2 } })).ok, soon).toBe(false);
    expect(await sendEvent(org, { eventType: name, payload: { n: 3 } })).toMatchObject({ ok: false, code: "archived_event_type" });
  });
});
