import { beforeAll, describe, expect, it } from "vitest";
import { POST as createMessage } from "@/app/api/v1/app/[app_id]/msg/route";
import { GET as health, POST as postHealth } from "@/app/api/v1/health/route";
import { createApiKey } from "@/lib/api-keys/manage";
import { deleteIdempotencyRecordsBefore, IDEMPOTENCY_TTL_MS } from "@/lib/api/v1/idempotency";
import { rateChunk, takeRateToken } from "@/lib/api/v1/rate-limit";
import { apiConfig } from "@/lib/api/v1/config";
import { db } from "@/lib/db";
import { contractCreated } from "@/tests/helpers/delivery-harness";
import { createOrg, createUser } from "@/tests/helpers/factories";
import { ensureCatalog, setTestEncryptionKey } from "@/tests/helpers/webhooks-factories";

/** The request pipeline every `/api/v1` operation runs through: idempotency-key, the per-key rate limit, its answers. */
setTestEncryptionKey();

beforeAll(async () => {
  await ensureCatalog();
});

async function orgKey() {
  const org = await createOrg({ webhooksEnabled: true });
  const user = await createUser();
  const { key, summary } = await createApiKey({ name: "pipeline", scope: "ORGANIZATION", organizationId: org.id, createdById: user.id });
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

describe("idempotency-key on POST", () => {
  it("answers a repeat of the same key and body with the first answer, and records the message once", async () => {
    const { org, key } = await orgKey();
    const first = await send(org.slug, key, contractCreated(1), "retry-1");
    expect(first.status).toBe(202);
    const firstBody = await first.json();
    const again = await send(org.slug, key, contractCreated(1), "retry-1");
    expect(again.status).toBe(202);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect(await again.json()).toEqual(firstBody);
    expect(await db.message.count({ where: { organizationId: org.id } })).toBe(1);
    // Without the header, or with another key, it is a new request.
    expect((await send(org.slug, key, contractCreated(1), "retry-2")).status).toBe(202);
    expect((await send(org.slug, key, contractCreated(1))).status).toBe(202);
    expect(await db.message.count({ where: { organizationId: org.id } })).toBe(3);
  });

  it("refuses the same key with a different body (422), and keeps a 4xx answer like a success", async () => {
    const { org, key } = await orgKey();
    expect((await send(org.slug, key, contractCreated(1), "k")).status).toBe(202);
    const reused = await send(org.slug, key, contractCreated(2), "k");
    expect(reused.status).toBe(422);
    expect(await reused.json()).toMatchObject({ code: "idempotency_key_reused", detail: [{ loc: ["header", "idempotency-key"] }] });
    // A refused body is answered the same way again (not re-run).
    const bad = { eventType: "no.such.type", payload: {} };
    const firstBad = await send(org.slug, key, bad, "bad");
    expect(firstBad.status).toBe(422);
    const againBad = await send(org.slug, key, bad, "bad");
    expect(againBad.headers.get("idempotent-replayed")).toBe("true");
    expect(await againBad.json()).toEqual(await firstBad.json());
  });

  it("keys are per API key: the same idempotency-key from two API keys are two requests", async () => {
    const a = await orgKey();
    const user = await createUser();
    const { key: second } = await createApiKey({ name: "second", scope: "ORGANIZATION", organizationId: a.org.id, createdById: user.id });
    expect((await send(a.org.slug, a.key, contractCreated(1), "shared")).status).toBe(202);
    expect((await send(a.org.slug, second, contractCreated(1), "shared")).headers.get("idempotent-replayed")).toBeNull();
    expect(await db.message.count({ where: { organizationId: a.org.id } })).toBe(2);
  });

  it("answers 409 while the first request is in flight, frees a key abandoned for a minute, and forgets keys after 24 hours", async () => {
    const { org, key, keyId } = await orgKey();
    await db.idempotencyRecord.create({ data: { apiKeyId: keyId, key: "in-flight", requestHash: "x" } });
    const busy = await send(org.slug, key, contractCreated(1), "in-flight");
    expect(busy.status).toBe(409);
    expect(busy.headers.get("retry-after")).toBe("1");
    expect(await busy.json()).toMatchObject({ code: "idempotency_key_in_use" });

    await db.idempotencyRecord.update({ where: { apiKeyId_key: { apiKeyId: keyId, key: "in-flight" } }, data: { createdAt: new Date(Date.now() - 61_000) } });
    expect((await send(org.slug, key, contractCreated(1), "in-flight")).status).toBe(202);

    await db.idempotencyRecord.update({ where: { apiKeyId_key: { apiKeyId: keyId, key: "in-flight" } }, data: { createdAt: new Date(Date.now() - 25 * 3_600_000) } });
    const fresh = await send(org.slug, key, contractCreated(2), "in-flight");
    expect(fresh.status).toBe(202);
    expect(fresh.headers.get("idempotent-replayed")).toBeNull();

    await db.idempotencyRecord.create({ data: { apiKeyId: keyId, key: "old", requestHash: "x", status: 202, responseBody: "{}", createdAt: new Date(Date.now() - 25 * 3_600_000) } });
    await deleteIdempotencyRecordsBefore(new Date(Date.now() - IDEMPOTENCY_TTL_MS), 1000);
    expect(await db.idempotencyRecord.findUnique({ where: { apiKeyId_key: { apiKeyId: keyId, key: "old" } } })).toBeNull();
    expect(await db.idempotencyRecord.count({ where: { apiKeyId: keyId } })).toBe(1);
  });
});

describe("per-key rate limit", () => {
  it("lets `limit` requests through in a one-second window and refuses the rest with retry-after", async () => {
    const limit = 5; // a chunk of one: every request asks the database
    expect(rateChunk(limit)).toBe(1);
    // A burst must fall inside one second of both clocks: try again if it straddled two.
    for (let attempt = 0; attempt < 5; attempt++) {
      const { keyId } = await orgKey();
      const second = Math.floor(Date.now() / 1000);
      const decisions = [];
      for (let i = 0; i < limit + 3; i++) decisions.push(await takeRateToken(keyId, limit));
      const row = await db.apiRateWindow.findUniqueOrThrow({ where: { apiKeyId: keyId } });
      // The refused reservation is counted once; later requests of that second do not ask again.
      if (Math.floor(Date.now() / 1000) !== second || row.count !== limit + 1) continue;
      expect(decisions.filter((d) => d.ok)).toHaveLength(limit);
      expect(decisions.slice(limit)).toEqual(Array(3).fill({ ok: false, limit, retryAfterSeconds: 1 }));
      return;
    }
    throw new Error("five bursts of 8 requests each straddled a second boundary");
  });

  it("reserves in chunks: 100 concurrent requests under a limit of 1000 take two reservations of 50, not 100 statements", async () => {
    const limit = 1000;
    for (let attempt = 0; attempt < 5; attempt++) {
      const { keyId } = await orgKey();
      const second = Math.floor(Date.now() / 1000);
      const decisions = await Promise.all(Array.from({ length: 100 }, () => takeRateToken(keyId, limit)));
      const row = await db.apiRateWindow.findUniqueOrThrow({ where: { apiKeyId: keyId } });
      if (Math.floor(Date.now() / 1000) !== second) continue;
      expect(decisions.every((d) => d.ok)).toBe(true);
      // Two chunks of 50 reserved, not 100 statements.
      expect(row.count).toBe(100);
      return;
    }
    throw new Error("five bursts straddled a second boundary");
  });

  it("answers 429 in the API's shape with retry-after, counted per key", async () => {
    const limit = apiConfig().API_RATE_LIMIT_PER_SECOND;
    for (let attempt = 0; attempt < 5; attempt++) {
      // A fresh key each try: a try whose second ended in between was let through on a chunk this
      // process reserved in the new second, and the next tries of that second would spend it.
      const { org, key, keyId } = await orgKey();
      // Fill this key's current window, then ask once more in the same second.
      await db.$executeRaw`INSERT INTO "ApiRateWindow" ("apiKeyId", "windowStart", "count") VALUES (${keyId}, date_trunc('second', clock_timestamp()), ${limit})
        ON CONFLICT ("apiKeyId") DO UPDATE SET "windowStart" = EXCLUDED."windowStart", "count" = EXCLUDED."count"`;
      const response = await send(org.slug, key, contractCreated(1));
      if (response.status === 202) continue; // the second ended in between
      expect(response.status).toBe(429);
      expect(response.headers.get("retry-after")).toBe("1");
      expect(await response.json()).toMatchObject({ code: "rate_limited", detail: expect.stringContaining(`limit ${limit} per second`) });
      // Another key of the same organization is not affected.
      const other = await orgKey();
      expect((await send(other.org.slug, other.key, contractCreated(1))).status).toBe(202);
      return;
    }
    throw new Error("the window rolled over five times between two statements");
  });

  it("has a default of 1000 per second, 0 turning it off, and refuses a bad setting", () => {
    expect(apiConfig({}).API_RATE_LIMIT_PER_SECOND).toBe(1000);
    expect(apiConfig({ API_RATE_LIMIT_PER_SECOND: "0" }).API_RATE_LIMIT_PER_SECOND).toBe(0);
    expect(() => apiConfig({ API_RATE_LIMIT_PER_SECOND: "-1" })).toThrow(/cannot be negative/);
    expect(() => apiConfig({ API_RATE_LIMIT_PER_SECOND: "fast" })).toThrow(/whole number/);
  });
});

describe("the pipeline's answers", () => {
  it("health is 204 with no key; other methods are 405 with Allow", async () => {
    expect((await health(new Request("http://127.0.0.1/api/v1/health"))).status).toBe(204);
    const wrong = await postHealth(new Request("http://127.0.0.1/api/v1/health", { method: "POST" }));
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get("allow")).toBe("GET, OPTIONS");
    expect(await wrong.json()).toMatchObject({ code: "method_not_allowed", detail: expect.stringContaining("GET") });
  });

  it("a malformed escape in a path parameter reads as an unknown application (403 to an organization key, as any other), not a crash", async () => {
    const { key } = await orgKey();
    const response = await createMessage(
      new Request("http://127.0.0.1/api/v1/app/%E0%A4%A/msg", { method: "POST", headers: { authorization: `Bearer ${key}`, "content-type": "application/json" }, body: "{}" }),
    );
    expect(response.status).toBe(403);
    expect(await response.json()).toMatchObject({ code: "forbidden" });
  });
});
