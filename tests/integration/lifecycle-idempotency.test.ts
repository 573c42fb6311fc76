import { randomUUID } from "node:crypto";
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from "vitest";
import { POST as createMessage } from "@/app/api/v1/app/[app_id]/msg/route";
import { createApiKey } from "@/lib/api-keys/manage";
import { db } from "@/lib/db";
import { IDEMPOTENCY_WINDOW_MS } from "@/lib/validations/message";
import { contractCreated } from "@/tests/helpers/delivery-harness";
import { createExecutorDatabase, type ExecutorDatabase } from "@/tests/helpers/executor-harness";
import { createOrg, createUser } from "@/tests/helpers/factories";
import { ensureCatalog, setTestEncryptionKey } from "@/tests/helpers/webhooks-factories";

/**
 * docs/api.md § Idempotency: "a 5xx answer is not kept, so the retry runs the request again", and
 * "the same `eventId` within 24 hours is refused with 409 `conflict`" (and accepted again after).
 */
setTestEncryptionKey();

let database: ExecutorDatabase;
// A database of its own: the failure is a trigger on "Message", and creating or dropping one locks
// the table, which must not hold up the files running beside this one.
beforeAll(async () => {
  database = await createExecutorDatabase(inject("adminDatabaseUrl"), "lifecycle_idempotency");
  process.env.DATABASE_URL = database.url;
  await ensureCatalog();
}, 60_000);
afterAll(async () => {
  await db.$disconnect();
  await database?.cleanup();
});

/** Triggers this file creates; each fails inserts of one organization only. */
const triggers: string[] = [];
afterEach(async () => {
  for (const name of triggers.splice(0)) await dropFailure(name);
});

async function orgKey() {
  const org = await createOrg({ webhooksEnabled: true });
  const user = await createUser();
  const { key, summary } = await createApiKey({ name: "lifecycle", scope: "ORGANIZATION", organizationId: org.id, createdById: user.id });
  return { org, key, keyId: summary.id };
}

function send(app: string, key: string, body: unknown, idempotencyKey?: string) {
  return createMessage(
    new Request(`http://127.0.0.1/api/v1/app/${app}/msg`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${key}`, ...(idempotencyKey ? { "idempotency-key": idempotencyKey } : {}) },
      body: JSON.stringify(body),
    }),
  );
}

/**
 * A real server-side failure: PostgreSQL refuses to store a message of `organizationId`, so the
 * request fails inside the handler the way a lost database would, and the API answers 500.
 */
async function failMessagesOf(organizationId: string): Promise<string> {
  const name = `lifecycle_fail_${randomUUID().replaceAll("-", "").slice(0, 12)}`;
  const literal = organizationId.replaceAll("'", "''");
  await db.$executeRawUnsafe(
    `CREATE FUNCTION ${name}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN IF NEW."organizationId" = '${literal}' THEN RAISE EXCEPTION 'lifecycle test: storage refused'; END IF; RETURN NEW; END $$`,
  );
  await db.$executeRawUnsafe(`CREATE TRIGGER ${name} BEFORE INSERT ON "Message" FOR EACH ROW EXECUTE FUNCTION ${name}()`);
  triggers.push(name);
  return name;
}

async function dropFailure(name: string) {
  await db.$executeRawUnsafe(`DROP TRIGGER IF EXISTS ${name} ON "Message"`);
  await db.$executeRawUnsafe(`DROP FUNCTION IF EXISTS ${name}()`);
}

describe("idempotency-key and a 5xx", () => {
  it("does not keep a 5xx: the retry with the same key runs the request again, and that answer is kept", async () => {
    const { org, key, keyId } = await orgKey();
    const body = contractCreated(1);
    const trigger = await failMessagesOf(org.id);

    const failed = await send(org.slug, key, body, "retry-after-5xx");
    expect(failed.status).toBe(500);
    expect(await failed.json()).toMatchObject({ code: "internal" });
    expect(await db.message.count({ where: { organizationId: org.id } })).toBe(0);
    expect(await db.idempotencyRecord.findUnique({ where: { apiKeyId_key: { apiKeyId: keyId, key: "retry-after-5xx" } } })).toBeNull();

    await dropFailure(trigger);
    const retried = await send(org.slug, key, body, "retry-after-5xx");
    expect(retried.status).toBe(202);
    expect(retried.headers.get("idempotent-replayed")).toBeNull();
    const created = (await retried.json()) as { id: string };
    expect(await db.message.findMany({ where: { organizationId: org.id }, select: { id: true } })).toEqual([{ id: created.id }]);

    // The success is kept: a third try gets it back and records nothing.
    const replayed = await send(org.slug, key, body, "retry-after-5xx");
    expect(replayed.status).toBe(202);
    expect(replayed.headers.get("idempotent-replayed")).toBe("true");
    expect(((await replayed.json()) as { id: string }).id).toBe(created.id);
    expect(await db.message.count({ where: { organizationId: org.id } })).toBe(1);
  });
});

describe("eventId de-duplication window", () => {
  // The window is IDEMPOTENCY_WINDOW_MS (24 hours, lib/validations/message.ts); no setting changes it.
  const backdate = (id: string, ageMs: number) => db.message.update({ where: { id }, data: { createdAt: new Date(Date.now() - ageMs) } });

  it("refuses a repeated eventId inside the window (409 naming the original) and accepts it as a new message once the original is older", async () => {
    const { org, key } = await orgKey();
    const body = { ...contractCreated(2), eventId: `evt-${randomUUID()}` };
    const first = await send(org.slug, key, body);
    expect(first.status).toBe(202);
    const original = (await first.json()) as { id: string };

    const repeated = await send(org.slug, key, body);
    expect(repeated.status).toBe(409);
    expect(JSON.stringify(await repeated.json())).toContain(original.id);

    // A minute short of the window's end: still the same event.
    await backdate(original.id, IDEMPOTENCY_WINDOW_MS - 60_000);
    expect((await send(org.slug, key, body)).status).toBe(409);
    expect(await db.message.count({ where: { organizationId: org.id } })).toBe(1);

    // A second past it: a new message, delivered like any other.
    await backdate(original.id, IDEMPOTENCY_WINDOW_MS + 1_000);
    const after = await send(org.slug, key, body);
    expect(after.status).toBe(202);
    const second = (await after.json()) as { id: string; eventId: string };
    expect(second.id).not.toBe(original.id);
    expect(second.eventId).toBe(body.eventId);
    expect(await db.message.count({ where: { organizationId: org.id, eventId: body.eventId } })).toBe(2);

    // The new message opens a window of its own.
    expect((await send(org.slug, key, body)).status).toBe(409);
  });

  it("counts the window per organization: another organization's eventId is its own", async () => {
    const a = await orgKey();
    const b = await orgKey();
    const body = { ...contractCreated(3), eventId: `evt-${randomUUID()}` };
    expect((await send(a.org.slug, a.key, body)).status).toBe(202);
    expect((await send(b.org.slug, b.key, body)).status).toBe(202);
  });
});
