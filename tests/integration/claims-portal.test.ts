import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import * as portalAccessRoute from "@/app/api/v1/auth/app-portal-access/[app_id]/route";
import * as expireAllRoute from "@/app/api/v1/auth/app/[app_id]/expire-all/route";
import { db } from "@/lib/db";
import { callRoute, platformKey, problemOf } from "@/tests/helpers/api-v1";
import { createOrg } from "@/tests/helpers/factories";

/**
 * docs/portal.md's bounds as the literals it states (portal.test.ts reads the product's
 * PORTAL_EXPIRY_* constants, and nothing tested the expire-all bounds).
 */

const DAY_S = 86_400;

const portalAccess = (app: string, key: string, body: unknown) => callRoute(portalAccessRoute, "POST", `/api/v1/auth/app-portal-access/${app}`, key, body);
const expireAll = (app: string, key: string, body: unknown) => callRoute(expireAllRoute, "POST", `/api/v1/auth/app/${app}/expire-all`, key, body);

async function lifetimeSeconds(app: string, key: string, body: unknown): Promise<number> {
  const before = Date.now();
  const response = await portalAccess(app, key, body);
  expect(response.status).toBe(200);
  const { token } = (await response.json()) as { token: string };
  const row = await db.portalAccess.findUniqueOrThrow({ where: { tokenHash: createHash("sha256").update(token).digest("hex") } });
  return (row.expiresAt.getTime() - before) / 1000;
}

describe("docs/portal.md: app-portal-access takes expiry 3600 to 604800 seconds, default 7 days", () => {
  it("makes a link of 7 days without expiry, takes both bounds and refuses one second beyond each", async () => {
    const org = await createOrg();
    const key = await platformKey();
    expect(await lifetimeSeconds(org.id, key, {})).toBeCloseTo(7 * DAY_S, -2);
    expect(await lifetimeSeconds(org.id, key, { expiry: 604_800 })).toBeCloseTo(604_800, -2);
    expect(await lifetimeSeconds(org.id, key, { expiry: 3600 })).toBeCloseTo(3600, -2);
    for (const expiry of [3599, 604_801]) {
      expect(await problemOf(await portalAccess(org.id, key, { expiry }))).toMatchObject({ status: 422, body: { detail: [expect.objectContaining({ loc: ["body", "expiry"] })] } });
    }
  });
});

describe("docs/portal.md: expire-all takes expiry 0 to 259200 seconds and at most 1000 session ids; a session id is 1 to 64 characters", () => {
  it("accepts the bounds and refuses beyond them, at the field", async () => {
    const org = await createOrg();
    const key = await platformKey();
    expect((await expireAll(org.id, key, { expiry: 259_200 })).status).toBe(204);
    expect((await expireAll(org.id, key, { expiry: 0 })).status).toBe(204);
    expect(await problemOf(await expireAll(org.id, key, { expiry: 259_201 }))).toMatchObject({ status: 422, body: { detail: [expect.objectContaining({ loc: ["body", "expiry"] })] } });

    const ids = (n: number) => Array.from({ length: n }, (_, i) => `user_${i}`);
    expect((await expireAll(org.id, key, { sessionIds: ids(1000) })).status).toBe(204);
    expect(await problemOf(await expireAll(org.id, key, { sessionIds: ids(1001) }))).toMatchObject({ status: 422, body: { detail: [expect.objectContaining({ loc: ["body", "sessionIds"] })] } });

    expect((await portalAccess(org.id, key, { sessionId: "x".repeat(64) })).status).toBe(200);
    expect((await portalAccess(org.id, key, { sessionId: "a" })).status).toBe(200);
  });
});
