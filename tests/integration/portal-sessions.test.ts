import { beforeEach, describe, expect, it, vi } from "vitest";
import * as portalAccessRoute from "@/app/api/v1/auth/app-portal-access/[app_id]/route";
import * as expireAllRoute from "@/app/api/v1/auth/app/[app_id]/expire-all/route";
import * as logoutRoute from "@/app/api/v1/auth/logout/route";
import { portalSignOutAction } from "@/actions/portal";
import { setWebhooksEnabledAction } from "@/actions/webhooks";
import { POST as openPortalSession } from "@/app/portal/[organization]/session/route";
import { AuthorizationError, requireMember } from "@/lib/auth/session";
import { db } from "@/lib/db";
import { hashPortalToken } from "@/lib/portal/access";
import { PORTAL_COOKIE } from "@/lib/portal/cookie";
import { portalSessionPath, portalSignedOutPath, webhooksPath } from "@/lib/routes";
import { signInAs } from "@/tests/helpers/auth-mock";
import { callRoute, organizationKey, platformKey, problemOf } from "@/tests/helpers/api-v1";
import { createMember, createOrg } from "@/tests/helpers/factories";

/**
 * A portal session's end: Svix's `authentication.logout` with the link's own token, the portal's
 * "Sign out", `expire-all` by session id, and the link's expiry as the session's limit. The
 * browser's portal cookie is what `next/headers` gives the server code; what the code sets on it
 * is recorded.
 */
const browser = vi.hoisted(() => ({
  cookies: new Map<string, string>(),
  set: [] as { name: string; value: string; options: Record<string, unknown> }[],
  https: false,
}));

vi.mock("@/auth", () => import("@/tests/helpers/auth-mock"));
vi.mock("next/cache", () => import("@/tests/helpers/next-mocks"));
vi.mock("next/headers", () => ({
  headers: async () => new Headers({ host: "127.0.0.1:3000", "x-forwarded-proto": browser.https ? "https" : "http" }),
  cookies: async () => ({
    get: (name: string) => (browser.cookies.has(name) ? { name, value: browser.cookies.get(name)! } : undefined),
    has: (name: string) => browser.cookies.has(name),
    set: (name: string, value: string, options: Record<string, unknown> = {}) => browser.set.push({ name, value, options }),
  }),
}));

beforeEach(() => {
  browser.cookies.clear();
  browser.set = [];
  browser.https = false;
  signInAs(null);
});

const portalAccess = (app: string, key: string, body: unknown = {}) => callRoute(portalAccessRoute, "POST", `/api/v1/auth/app-portal-access/${app}`, key, body);
const expireAll = (app: string, key: string, body: unknown = {}) => callRoute(expireAllRoute, "POST", `/api/v1/auth/app/${app}/expire-all`, key, body);
const logout = (bearer?: string) => callRoute(logoutRoute, "POST", "/api/v1/auth/logout", bearer);

async function newLink(app: string, body: unknown = {}): Promise<string> {
  const response = await portalAccess(app, await platformKey(), body);
  expect(response.status).toBe(200);
  return ((await response.json()) as { token: string }).token;
}

function enter(organization: string, token: string) {
  return openPortalSession(
    new Request(`http://127.0.0.1:3000${portalSessionPath(organization)}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ token }),
    }),
    { params: Promise.resolve({ organization }) },
  );
}

/** Whether the browser holding this token as its portal cookie still gets in. */
async function sessionOpen(orgSlug: string, token: string): Promise<boolean> {
  browser.cookies.set(PORTAL_COOKIE, token);
  try {
    await requireMember(orgSlug, "VIEWER", { portal: true });
    return true;
  } catch (error) {
    if (error instanceof AuthorizationError) return false;
    throw error;
  } finally {
    browser.cookies.delete(PORTAL_COOKIE);
  }
}

const access = (token: string) => db.portalAccess.findUniqueOrThrow({ where: { tokenHash: hashPortalToken(token) } });

describe("POST /api/v1/auth/logout (Svix's authentication.logout)", () => {
  it("ends the bearer portal token: its link no longer opens, its portal session ends, the organization's other links stay; audited with the link as actor", async () => {
    const org = await createOrg();
    const token = await newLink(org.id);
    const other = await newLink(org.id);
    expect((await enter(org.id, token)).status).toBe(200);
    expect(await sessionOpen(org.slug, token)).toBe(true);

    const response = await logout(token);
    expect(response.status).toBe(204);
    expect(await sessionOpen(org.slug, token)).toBe(false);
    expect(await (await enter(org.id, token)).json()).toMatchObject({ code: "link_revoked" });
    expect(await sessionOpen(org.slug, other)).toBe(true);

    const audit = await db.auditLog.findMany({ where: { organizationId: org.id, action: "portal.logged_out" } });
    expect(audit).toEqual([expect.objectContaining({ actorId: null, actorEmail: expect.stringMatching(/^Portal link \(from API key "platform"/), changes: { accessId: (await access(token)).id } })]);
  });

  it("answers 204 again for a token that already ended (a retried call), and audits only the first", async () => {
    const org = await createOrg();
    const token = await newLink(org.id);
    expect((await logout(token)).status).toBe(204);
    expect((await logout(token)).status).toBe(204);
    const expired = await newLink(org.id);
    await db.portalAccess.update({ where: { tokenHash: hashPortalToken(expired) }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect((await logout(expired)).status).toBe(204);
    expect(await db.auditLog.count({ where: { organizationId: org.id, action: "portal.logged_out" } })).toBe(1);
  });

  it("refuses an API key (403: only a portal token logs out), and no bearer, a malformed token or one never issued (401)", async () => {
    const org = await createOrg();
    const token = await newLink(org.id);
    for (const key of [await platformKey(), await organizationKey(org.id)]) {
      const refused = await problemOf(await logout(key));
      expect(refused).toMatchObject({ status: 403, body: { code: "forbidden", detail: expect.stringMatching(/portal token/) } });
    }
    expect((await problemOf(await logout())).status).toBe(401);
    expect((await problemOf(await logout("hrp_short"))).status).toBe(401);
    const unknown = await problemOf(await logout(`hrp_${"A".repeat(43)}`));
    expect(unknown).toMatchObject({ status: 401, body: { code: "unauthorized" } });
    expect(await sessionOpen(org.slug, token)).toBe(true);
  });
});

describe("the portal's own sign-out", () => {
  it("ends the visitor's session and link, removes the cookie with its own Path and SameSite, and lands on the signed-out page", async () => {
    const org = await createOrg();
    const token = await newLink(org.id);
    browser.cookies.set(PORTAL_COOKIE, token);
    browser.https = true;
    await expect(portalSignOutAction({ org: org.slug })).rejects.toMatchObject({ digest: expect.stringContaining(portalSignedOutPath(org.slug)) });
    expect(browser.set).toEqual([
      { name: PORTAL_COOKIE, value: "", options: expect.objectContaining({ path: webhooksPath(org.slug), maxAge: 0, httpOnly: true, sameSite: "none", secure: true }) },
    ]);
    expect((await access(token)).revokedAt).not.toBeNull();
    expect(await sessionOpen(org.slug, token)).toBe(false);
    expect(await db.auditLog.count({ where: { organizationId: org.id, action: "portal.logged_out" } })).toBe(1);
  });

  it("is for portal visitors only: a member is told to use the account menu, and nothing is revoked", async () => {
    const org = await createOrg();
    const token = await newLink(org.id);
    browser.cookies.set(PORTAL_COOKIE, token);
    signInAs((await createMember(org.id, "VIEWER")).id);
    expect(await portalSignOutAction({ org: org.slug })).toMatchObject({ ok: false, code: "not_portal" });
    expect((await access(token)).revokedAt).toBeNull();
    signInAs(null);
    browser.cookies.clear();
    expect(await portalSignOutAction({ org: org.slug })).toMatchObject({ ok: false, code: "unauthenticated" });
  });
});

describe("expire-all by session id (Svix's sessionId and sessionIds)", () => {
  it("stores a link's sessionId and ends only the links of the listed session ids; an empty list ends all", async () => {
    const org = await createOrg();
    const alice = [await newLink(org.id, { sessionId: "user_alice" }), await newLink(org.id, { sessionId: "user_alice", readOnly: true })];
    const bob = await newLink(org.id, { sessionId: "bob@acme_2-b" });
    const anonymous = await newLink(org.id);
    expect((await access(bob)).sessionId).toBe("bob@acme_2-b");

    expect((await expireAll(org.slug, await organizationKey(org.id), { sessionIds: ["user_alice", "nobody"] })).status).toBe(204);
    for (const token of alice) expect(await sessionOpen(org.slug, token)).toBe(false);
    expect(await sessionOpen(org.slug, bob)).toBe(true);
    expect(await sessionOpen(org.slug, anonymous)).toBe(true);
    const audit = await db.auditLog.findFirstOrThrow({ where: { organizationId: org.id, action: "portal.sessions_revoked" } });
    expect(audit.changes).toEqual({ count: 2, sessionIds: ["user_alice", "nobody"] });

    expect((await expireAll(org.slug, await platformKey(), { sessionIds: [] })).status).toBe(204);
    expect(await sessionOpen(org.slug, bob)).toBe(false);
    expect(await sessionOpen(org.slug, anonymous)).toBe(false);
  });

  it("with expiry, shortens only those sessions' links", async () => {
    const org = await createOrg();
    const shortened = await newLink(org.id, { sessionId: "s1" });
    const kept = await newLink(org.id, { sessionId: "s2" });
    const keptExpiry = (await access(kept)).expiresAt;
    expect((await expireAll(org.id, await platformKey(), { expiry: 60, sessionIds: ["s1"] })).status).toBe(204);
    expect((await access(shortened)).expiresAt.getTime() - Date.now()).toBeLessThanOrEqual(60_000);
    expect((await access(kept)).expiresAt).toEqual(keptExpiry);
    expect(await sessionOpen(org.slug, shortened)).toBe(true);
  });

  it("refuses malformed session ids with Svix's 422 and a field path, on both calls", async () => {
    const org = await createOrg();
    const key = await platformKey();
    for (const sessionId of ["", "has space", "x".repeat(65), "semi;colon"]) {
      const refused = await problemOf(await portalAccess(org.id, key, { sessionId }));
      expect(refused.status, sessionId).toBe(422);
      expect(refused.body.detail).toContainEqual(expect.objectContaining({ loc: ["body", "sessionId"] }));
    }
    const refused = await problemOf(await expireAll(org.id, key, { sessionIds: ["ok", "not ok"] }));
    expect(refused).toMatchObject({ status: 422, body: { detail: [expect.objectContaining({ loc: ["body", "sessionIds", 1] })] } });
    expect(await db.portalAccess.count({ where: { organizationId: org.id } })).toBe(0);
  });
});

describe("a portal session never outlives its link", () => {
  it("expire-all's grace never lengthens a link that expires sooner, and the cookie ends when the link does", async () => {
    const org = await createOrg();
    const token = await newLink(org.id, { expiry: 3600, sessionId: "s" });
    const expiresAt = (await access(token)).expiresAt;
    expect((await expireAll(org.id, await platformKey(), { expiry: 259_200, sessionIds: ["s"] })).status).toBe(204);
    expect((await access(token)).expiresAt).toEqual(expiresAt);

    const cookie = (await enter(org.id, token)).headers.get("set-cookie") ?? "";
    const maxAge = Number(/Max-Age=(\d+)/.exec(cookie)?.[1]);
    expect(maxAge).toBeGreaterThan(3500);
    expect(maxAge).toBeLessThanOrEqual(3600);

    await db.portalAccess.update({ where: { tokenHash: hashPortalToken(token) }, data: { expiresAt: new Date(Date.now() - 1) } });
    expect(await sessionOpen(org.slug, token)).toBe(false);
  });
});

describe("a portal session and the organization's webhooks switch", () => {
  it("is refused switching webhooks off or on (the portal has no such switch); a member admin still switches them", async () => {
    const org = await createOrg({ webhooksEnabled: true });
    browser.cookies.set(PORTAL_COOKIE, await newLink(org.id));
    for (const enabled of [false, true]) {
      const refused = await setWebhooksEnabledAction({ org: org.slug, enabled });
      expect(refused).toMatchObject({ ok: false, code: "forbidden", error: expect.stringMatching(/portal link cannot switch/) });
    }
    expect((await db.organization.findUniqueOrThrow({ where: { id: org.id } })).webhooksEnabled).toBe(true);

    browser.cookies.clear();
    signInAs((await createMember(org.id, "ADMIN")).id);
    expect(await setWebhooksEnabledAction({ org: org.slug, enabled: false })).toEqual({ ok: true, data: { enabled: false } });
  });
});
