import { beforeAll, describe, expect, it, vi } from "vitest";
import { db } from "@/lib/db";
import { SIGN_IN_LIMIT, verifyCredentials } from "@/lib/auth/credentials";
import type { Role } from "@/lib/auth/roles";
import { AuthorizationError, requireMember } from "@/lib/auth/session";
import { signInAs } from "@/tests/helpers/auth-mock";
import { createMember, createOrg, createUser, TEST_PASSWORD } from "@/tests/helpers/factories";

vi.mock("@/auth", () => import("@/tests/helpers/auth-mock"));

const ROLES: Role[] = ["VIEWER", "ADMIN", "OWNER"];

describe("requireMember", () => {
  let org: Awaited<ReturnType<typeof createOrg>>;
  const members: Partial<Record<Role, string>> = {};

  beforeAll(async () => {
    org = await createOrg();
    for (const role of ROLES) members[role] = (await createMember(org.id, role)).id;
  });

  /** Written out by hand, not derived from `hasRole`: a wrong rank order in the product must fail here. */
  const PASSES: Record<Role, Record<Role, boolean>> = {
    VIEWER: { VIEWER: true, ADMIN: false, OWNER: false },
    ADMIN: { VIEWER: true, ADMIN: true, OWNER: false },
    OWNER: { VIEWER: true, ADMIN: true, OWNER: true },
  };

  for (const actual of ROLES) {
    for (const required of ROLES) {
      const allowed = PASSES[actual][required];
      it(`${actual} ${allowed ? "passes" : "is refused"} when ${required} is required`, async () => {
        signInAs(members[actual]!);
        const attempt = requireMember(org.slug, required);
        if (allowed) {
          await expect(attempt).resolves.toMatchObject({ role: actual, organization: { id: org.id } });
        } else {
          await expect(attempt).rejects.toMatchObject({ code: "forbidden" });
        }
      });
    }
  }

  it("refuses anonymous callers", async () => {
    signInAs(null);
    await expect(requireMember(org.slug)).rejects.toMatchObject({ code: "unauthenticated" });
  });

  it("hides organizations the user does not belong to", async () => {
    const outsider = await createUser();
    signInAs(outsider.id);
    const error = await requireMember(org.slug).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthorizationError);
    expect((error as AuthorizationError).code).toBe("not_found");
  });

  it("refuses a user whose account was deleted after signing in", async () => {
    const user = await createMember(org.id, "OWNER");
    signInAs(user.id);
    await db.user.delete({ where: { id: user.id } });
    await expect(requireMember(org.slug)).rejects.toMatchObject({ code: "unauthenticated" });
  });
});

describe("sign-in throttling", () => {
  it("accepts the right password and refuses a wrong one", async () => {
    const user = await createUser();
    await expect(verifyCredentials({ email: user.email, password: TEST_PASSWORD }, "10.9.0.1")).resolves.toMatchObject({ ok: true });
    await expect(verifyCredentials({ email: user.email, password: "nope" }, "10.9.0.1")).resolves.toEqual({ ok: false, reason: "invalid" });
  });

  it(`locks an account after ${SIGN_IN_LIMIT} failures, even with the right password`, async () => {
    const user = await createUser();
    for (let i = 0; i < SIGN_IN_LIMIT; i++) {
      // Different addresses: the per-account limit applies on its own.
      await verifyCredentials({ email: user.email, password: "wrong" }, `10.8.0.${i}`);
    }
    await expect(verifyCredentials({ email: user.email, password: TEST_PASSWORD }, "10.8.1.1")).resolves.toEqual({
      ok: false,
      reason: "throttled",
    });
  });

  it(`locks a client address after ${SIGN_IN_LIMIT} failures across accounts`, async () => {
    const ip = `10.7.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`;
    for (let i = 0; i < SIGN_IN_LIMIT; i++) {
      await verifyCredentials({ email: `nobody-${i}-${ip}@example.test`, password: "wrong" }, ip);
    }
    const user = await createUser();
    await expect(verifyCredentials({ email: user.email, password: TEST_PASSWORD }, ip)).resolves.toEqual({
      ok: false,
      reason: "throttled",
    });
  });

  it("forgets failures older than the window", async () => {
    const user = await createUser();
    const old = new Date(Date.now() - 16 * 60 * 1000);
    await db.failedSignIn.createMany({
      data: Array.from({ length: SIGN_IN_LIMIT }, () => ({ email: user.email, ip: "10.6.0.1", createdAt: old })),
    });
    await expect(verifyCredentials({ email: user.email, password: TEST_PASSWORD }, "10.6.0.2")).resolves.toMatchObject({ ok: true });
  });
});
