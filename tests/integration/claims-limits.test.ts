import { describe, expect, it } from "vitest";
import { verifyCredentials } from "@/lib/auth/credentials";
import { passwordProblem } from "@/lib/auth/password-policy";
import { db } from "@/lib/db";
import { secretKey } from "@/lib/delivery/sign";
import { createInvite, findInvite } from "@/lib/members/invites";
import { parseRecoveryConfig } from "@/lib/recovery/config";
import { windowSchema } from "@/lib/validations/recovery";
import { findUnstorableJson } from "@/lib/validations/storable-json";
import { createOrg, createUser, TEST_PASSWORD } from "@/tests/helpers/factories";

/**
 * The numbers README.md and docs/*.md promise, written here as the literals the documents state.
 * The other tests of these rules read the product's own constants (SIGN_IN_LIMIT, INVITE_TTL_MS,
 * MAX_JSON_DEPTH...), so a changed constant would pass them while the documents went wrong.
 */

const MINUTE = 60_000;
const DAY = 86_400_000;

function randomIp(prefix: string) {
  return `${prefix}.${Math.floor(Math.random() * 250) + 1}.${Math.floor(Math.random() * 250) + 1}`;
}

describe("README: failed sign-ins are throttled, 10 per 15 minutes per account and per client address", () => {
  async function failures(rows: { email: string; ip: string; createdAt: Date }[]) {
    await db.failedSignIn.createMany({ data: rows });
  }

  it("lets an account in after 9 recent failures and locks it after 10, the oldest 14 minutes old", async () => {
    const user = await createUser();
    const fourteenMinutesAgo = new Date(Date.now() - 14 * MINUTE);
    // Each failure from its own address: only the account's count is reached.
    await failures(Array.from({ length: 9 }, () => ({ email: user.email, ip: randomIp("10.61"), createdAt: fourteenMinutesAgo })));
    await expect(verifyCredentials({ email: user.email, password: TEST_PASSWORD }, randomIp("10.62"))).resolves.toMatchObject({ ok: true });

    // A success clears the account's failures: record ten this time.
    await failures(Array.from({ length: 10 }, () => ({ email: user.email, ip: randomIp("10.61"), createdAt: fourteenMinutesAgo })));
    await expect(verifyCredentials({ email: user.email, password: TEST_PASSWORD }, randomIp("10.62"))).resolves.toEqual({ ok: false, reason: "throttled" });
  });

  it("counts no failure older than 15 minutes against an account", async () => {
    const user = await createUser();
    await failures(Array.from({ length: 10 }, () => ({ email: user.email, ip: randomIp("10.63"), createdAt: new Date(Date.now() - 15 * MINUTE - 5_000) })));
    await expect(verifyCredentials({ email: user.email, password: TEST_PASSWORD }, randomIp("10.64"))).resolves.toMatchObject({ ok: true });
  });

  it("locks a client address after 10 failures across accounts within 15 minutes, and not after 9", async () => {
    const ip = randomIp("10.65");
    const user = await createUser();
    const recent = new Date(Date.now() - 14 * MINUTE);
    await failures(Array.from({ length: 9 }, (_, i) => ({ email: `claims-nobody-${i}-${ip}@example.test`, ip, createdAt: recent })));
    // Failures past the window from the same address do not count.
    await failures(Array.from({ length: 5 }, (_, i) => ({ email: `claims-old-${i}-${ip}@example.test`, ip, createdAt: new Date(Date.now() - 16 * MINUTE) })));
    await expect(verifyCredentials({ email: user.email, password: TEST_PASSWORD }, ip)).resolves.toMatchObject({ ok: true });

    await failures([{ email: `claims-nobody-9-${ip}@example.test`, ip, createdAt: recent }]);
    await expect(verifyCredentials({ email: user.email, password: TEST_PASSWORD }, ip)).resolves.toEqual({ ok: false, reason: "throttled" });
  });
});

describe("README: an invite is a one-time link valid 7 days", () => {
  it("opens until 7 days after it was made, and not from then on", async () => {
    const org = await createOrg();
    const owner = await createUser();
    const made = new Date(Date.now() - 60 * MINUTE);
    const created = await createInvite({ organizationId: org.id, email: `claims-invite-${org.slug}@example.test`, role: "ADMIN" }, owner, made);
    if (!created.ok) throw new Error(`setup failed: ${created.code}`);

    await expect(findInvite(created.token, new Date(made.getTime() + 7 * DAY - MINUTE))).resolves.toMatchObject({ ok: true });
    await expect(findInvite(created.token, new Date(made.getTime() + 7 * DAY))).resolves.toMatchObject({ ok: false, code: "invite_expired" });
  });
});

describe("README: passwords need 12+ characters", () => {
  it("refuses 11 characters of a password the estimator would accept at 12", async () => {
    const strong = "qv7#Lm2$Zt9!";
    expect(strong).toHaveLength(12);
    await expect(passwordProblem(strong)).resolves.toBeNull();
    await expect(passwordProblem(strong.slice(0, 11))).resolves.toBe("Use at least 12 characters");
  });
});

describe("docs/recovery.md: windows and batches", () => {
  const now = new Date("2026-12-07T12:00:00Z");
  const schema = windowSchema(() => now);

  it("takes a window of exactly 14 days and refuses a longer one", () => {
    expect(schema.safeParse({ since: new Date(now.getTime() - 14 * DAY).toISOString() }).success).toBe(true);
    const longer = schema.safeParse({ since: new Date(now.getTime() - 14 * DAY - 1_000).toISOString() });
    expect(longer.success).toBe(false);
    expect(longer.error?.issues[0]).toMatchObject({ path: ["since"], message: expect.stringContaining("longer than 14 days") });
  });

  it("sends 250 messages per step with 32 requests in flight by default, 1 to 1000 and 1 to 64 allowed", () => {
    expect(parseRecoveryConfig({})).toEqual({ batchSize: 250, parallel: 32 });
    expect(parseRecoveryConfig({ RECOVERY_BATCH_SIZE: "1000", RECOVERY_PARALLEL: "64" })).toEqual({ batchSize: 1000, parallel: 64 });
    expect(parseRecoveryConfig({ RECOVERY_BATCH_SIZE: "1", RECOVERY_PARALLEL: "1" })).toEqual({ batchSize: 1, parallel: 1 });
    expect(() => parseRecoveryConfig({ RECOVERY_BATCH_SIZE: "1001" })).toThrow(/RECOVERY_BATCH_SIZE: must be at most 1000/);
    expect(() => parseRecoveryConfig({ RECOVERY_PARALLEL: "65" })).toThrow(/RECOVERY_PARALLEL: must be at most 64/);
    expect(() => parseRecoveryConfig({ RECOVERY_BATCH_SIZE: "0" })).toThrow(/RECOVERY_BATCH_SIZE: must be at least 1/);
  });
});

describe("docs/api.md: a body nested deeper than 128 levels is refused", () => {
  function nested(depth: number): unknown {
    let value: unknown = 1;
    for (let i = 0; i < depth; i++) value = { d: value };
    return value;
  }

  it("stores 128 levels and refuses 129", () => {
    expect(findUnstorableJson(nested(128))).toBeNull();
    expect(findUnstorableJson(nested(129))).toMatchObject({ msg: "is nested deeper than 128 levels" });
  });
});

describe("docs/delivery.md: a secret's key is 24 to 64 bytes", () => {
  it("accepts 24 and 64 bytes and refuses 23 and 65", () => {
    const secret = (bytes: number) => `whsec_${Buffer.alloc(bytes, 3).toString("base64")}`;
    expect(secretKey(secret(24))).toHaveLength(24);
    expect(secretKey(secret(64))).toHaveLength(64);
    expect(() => secretKey(secret(23))).toThrow(/24 to 64 bytes, got 23/);
    expect(() => secretKey(secret(65))).toThrow(/24 to 64 bytes, got 65/);
  });
});
