import { NextRequest } from "next/server";
import { beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import * as portalAccessRoute from "@/app/api/v1/auth/app-portal-access/[app_id]/route";
import * as expireAllRoute from "@/app/api/v1/auth/app/[app_id]/expire-all/route";
import { createApiKeyAction } from "@/actions/api-keys";
import { setWebhooksEnabledAction } from "@/actions/webhooks";
import { createEndpointAction } from "@/actions/endpoints";
import { revokePortalSessionsAction, setPortalOriginsAction } from "@/actions/portal";
import { POST as openPortalSession } from "@/app/portal/[organization]/session/route";
import { AuthorizationError, requireMember } from "@/lib/auth/session";
import { db } from "@/lib/db";
import { hashPortalToken, PORTAL_EXPIRY_MAX_SECONDS } from "@/lib/portal/access";
import { PORTAL_COOKIE } from "@/lib/portal/cookie";
import { portalSessionPath, webhooksPath } from "@/lib/routes";
import { proxy } from "@/proxy";
import { signInAs } from "@/tests/helpers/auth-mock";
import { callRoute, organizationKey, platformKey, problemOf } from "@/tests/helpers/api-v1";
import { createMember, createOrg } from "@/tests/helpers/factories";
import { endpointInput, ensureCatalog, setTestEncryptionKey } from "@/tests/helpers/webhooks-factories";

/**
 * The browser's side for server code that reads it through `next/headers`: the portal cookie a
 * page, route or action sees. (Server actions run outside a Next request here; the session is the
 * auth mock, everything below it is real.)
 */
const browser = vi.hoisted(() => {
  process.env.AUTH_SECRET ??= "portal-test-secret-portal-test-secret-portal";
  return { cookies: new Map<string, string>() };
});

vi.mock("@/auth", () => import("@/tests/helpers/auth-mock"));
vi.mock("next/cache", () => import("@/tests/helpers/next-mocks"));
vi.mock("next/headers", () => ({
  headers: async () => new Headers({ host: "127.0.0.1:3000", "x-forwarded-proto": "http" }),
  cookies: async () => ({
    get: (name: string) => (browser.cookies.has(name) ? { name, value: browser.cookies.get(name)! } : undefined),
    has: (name: string) => browser.cookies.has(name),
  }),
}));

setTestEncryptionKey();

beforeAll(async () => {
  await ensureCatalog();
});

beforeEach(() => {
  browser.cookies.clear();
  signInAs(null);
});

interface AccessOut {
  url: string;
  token: string;
}

const portalAccess = (app: string, key: string, body?: unknown) => callRoute(portalAccessRoute, "POST", `/api/v1/auth/app-portal-access/${app}`, key, body ?? {});
const expireAll = (app: string, key: string, body?: unknown) => callRoute(expireAllRoute, "POST", `/api/v1/auth/app/${app}/expire-all`, key, body ?? {});

async function newLink(app: string, body: unknown = {}): Promise<AccessOut> {
  const response = await portalAccess(app, await platformKey(), body);
  expect(response.status).toBe(200);
  return (await response.json()) as AccessOut;
}

/** What the link's entry page does with the fragment's token: POST it, get the cookie. */
function enter(organization: string, token: string, proto: "http" | "https" = "http") {
  return openPortalSession(
    new Request(`${proto}://127.0.0.1:3000${portalSessionPath(organization)}`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-forwarded-proto": proto },
      body: JSON.stringify({ token }),
    }),
    { params: Promise.resolve({ organization }) },
  );
}

/** The browser now holds the portal cookie for this token. */
function holdPortalCookie(token: string) {
  browser.cookies.set(PORTAL_COOKIE, token);
}

async function refusal(promise: Promise<unknown>) {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AuthorizationError);
  return error as AuthorizationError;
}

describe("POST /api/v1/auth/app-portal-access/{app_id}", () => {
  it("answers Svix's { url, token }: the token in the URL fragment, stored only as its hash, valid 7 days by default, audited with the key", async () => {
    const org = await createOrg();
    const before = Date.now();
    const out = await newLink(org.slug);
    expect(out.token).toMatch(/^hrp_[A-Za-z0-9_-]{43}$/);
    expect(out.url).toMatch(new RegExp(`^http://[^/]+/portal/${org.id}#key=${out.token}$`));
    const stored = await db.portalAccess.findUniqueOrThrow({ where: { tokenHash: hashPortalToken(out.token) } });
    expect(stored).toMatchObject({ organizationId: org.id, readOnly: false, revokedAt: null, createdBy: expect.stringMatching(/^API key "platform"/) });
    expect(JSON.stringify(stored)).not.toContain(out.token);
    const lifetime = stored.expiresAt.getTime() - before;
    expect(lifetime).toBeGreaterThanOrEqual(PORTAL_EXPIRY_MAX_SECONDS * 1000 - 1000);
    expect(lifetime).toBeLessThanOrEqual(PORTAL_EXPIRY_MAX_SECONDS * 1000 + 60_000);
    const audit = await db.auditLog.findFirstOrThrow({ where: { organizationId: org.id, action: "portal.access_created" } });
    expect(audit).toMatchObject({ actorId: null, actorEmail: expect.stringMatching(/^API key "platform"/) });
  });

  it("takes expiry in seconds within 1 hour and 7 days, and readOnly (or capabilities without ManageEndpoint) for the viewer experience", async () => {
    const org = await createOrg();
    const before = Date.now();
    const hour = await newLink(org.id, { expiry: 3600, readOnly: true, featureFlags: ["beta"], sessionId: "user_1" });
    const stored = await db.portalAccess.findUniqueOrThrow({ where: { tokenHash: hashPortalToken(hour.token) } });
    expect(stored.readOnly).toBe(true);
    expect(stored.expiresAt.getTime() - before).toBeGreaterThanOrEqual(3600_000 - 1000);
    expect(stored.expiresAt.getTime() - before).toBeLessThanOrEqual(3600_000 + 60_000);

    const viewer = await newLink(org.id, { capabilities: ["ViewBase", "ViewEndpointSecret"] });
    expect((await db.portalAccess.findUniqueOrThrow({ where: { tokenHash: hashPortalToken(viewer.token) } })).readOnly).toBe(true);
    const manager = await newLink(org.id, { capabilities: ["ViewBase", "ManageEndpoint"] });
    expect((await db.portalAccess.findUniqueOrThrow({ where: { tokenHash: hashPortalToken(manager.token) } })).readOnly).toBe(false);

    const key = await platformKey();
    for (const body of [{ expiry: 60 }, { expiry: PORTAL_EXPIRY_MAX_SECONDS + 1 }, { expiry: 3600.5 }, { readOnly: "yes" }, { capabilities: ["ManageEndpoint"] }]) {
      const problem = await problemOf(await portalAccess(org.id, key, body));
      expect(problem.status, JSON.stringify(body)).toBe(422);
      expect(problem.body.code).toBe("invalid_body");
    }
    const tooLong = await problemOf(await portalAccess(org.id, key, { expiry: 8 * 24 * 3600 }));
    expect(JSON.stringify(tooLong.body.detail)).toContain("from 3600 (1 hour) to 604800 (7 days)");
    expect(await db.portalAccess.count({ where: { organizationId: org.id } })).toBe(3);
  });

  it("takes the organization's own key, refuses another organization's key (403) and answers 404 for an unknown app", async () => {
    const org = await createOrg();
    const other = await createOrg();
    expect((await portalAccess(org.slug, await organizationKey(org.id))).status).toBe(200);
    expect((await problemOf(await portalAccess(org.slug, await organizationKey(other.id)))).status).toBe(403);
    expect((await problemOf(await portalAccess("no-such-org", await platformKey()))).status).toBe(404);
    expect(await db.portalAccess.count({ where: { organizationId: org.id } })).toBe(1);
  });
});

describe("opening a link", () => {
  it("trades the token for an HttpOnly cookie scoped to the organization's webhook screens, lasting until the access expires", async () => {
    const org = await createOrg();
    const { token } = await newLink(org.id, { expiry: 7200 });
    const response = await enter(org.id, token);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ location: webhooksPath(org.slug) });
    const cookie = response.headers.get("set-cookie") ?? "";
    expect(cookie).toContain(`${PORTAL_COOKIE}=${token}`);
    expect(cookie).toContain(`Path=${webhooksPath(org.slug)};`);
    expect(cookie).toMatch(/Max-Age=(71\d\d|7200);/);
    expect(cookie).toContain("HttpOnly");
    expect(cookie).toContain("SameSite=Lax");
    expect(cookie).not.toContain("Secure");

    const overHttps = (await enter(org.id, token, "https")).headers.get("set-cookie") ?? "";
    expect(overHttps).toContain("SameSite=None; Secure");
  });

  it("refuses a link for another organization, an expired or revoked one and a malformed one, with the reason", async () => {
    const org = await createOrg();
    const other = await createOrg();
    const { token } = await newLink(org.id);
    const elsewhere = await enter(other.id, token);
    expect(elsewhere.status).toBe(404);
    expect(elsewhere.headers.get("set-cookie")).toBeNull();

    expect(((await (await enter(org.id, "hrp_short")).json()) as { code: string }).code).toBe("invalid_link");

    await db.portalAccess.update({ where: { tokenHash: hashPortalToken(token) }, data: { expiresAt: new Date(Date.now() - 1000) } });
    const expired = await enter(org.id, token);
    expect(expired.status).toBe(410);
    expect(await expired.json()).toMatchObject({ code: "link_expired", message: expect.stringMatching(/expired/) });

    const revoked = (await newLink(org.id)).token;
    await expireAll(org.id, await platformKey());
    expect(await (await enter(org.id, revoked)).json()).toMatchObject({ code: "link_revoked" });
  });

  it("refuses anything but JSON (a cross-site form cannot post it)", async () => {
    const org = await createOrg();
    const { token } = await newLink(org.id);
    const response = await openPortalSession(
      new Request(`http://127.0.0.1:3000${portalSessionPath(org.id)}`, { method: "POST", headers: { "content-type": "text/plain" }, body: JSON.stringify({ token }) }),
      { params: Promise.resolve({ organization: org.id }) },
    );
    expect(response.status).toBe(415);
  });
});

describe("the webhook screens through a portal session", () => {
  it("admits the link's holder to its own organization as Admin, named by the link in the audit log", async () => {
    const org = await createOrg();
    const { token } = await newLink(org.id);
    holdPortalCookie(token);
    const context = await requireMember(org.slug, "ADMIN", { portal: true });
    expect(context).toMatchObject({ portal: true, user: null, role: "ADMIN", organization: { id: org.id } });

    const created = await createEndpointAction(endpointInput(org.slug));
    expect(created).toMatchObject({ ok: true });
    const audit = await db.auditLog.findFirstOrThrow({ where: { organizationId: org.id, action: "endpoint.created" } });
    expect(audit.actorId).toBeNull();
    expect(audit.actorEmail).toMatch(/^Portal link \(from API key "platform"/);
  });

  it("answers not found for another organization's screens and actions (a link is scoped to one)", async () => {
    const org = await createOrg();
    const other = await createOrg();
    holdPortalCookie((await newLink(org.id)).token);
    expect((await refusal(requireMember(other.slug, "VIEWER", { portal: true }))).code).toBe("not_found");
    expect(await setWebhooksEnabledAction({ org: other.slug, enabled: true })).toMatchObject({ ok: false, code: "not_found" });
    expect(await createEndpointAction(endpointInput(other.slug))).toMatchObject({ ok: false, code: "not_found" });
    expect((await db.organization.findUniqueOrThrow({ where: { id: other.id } })).webhooksEnabled).toBe(false);
    expect(await db.endpoint.count({ where: { organizationId: other.id } })).toBe(0);
  });

  it("gives a read-only link the viewer's access: it reads, every change is refused", async () => {
    const org = await createOrg();
    holdPortalCookie((await newLink(org.id, { readOnly: true })).token);
    expect(await requireMember(org.slug, "VIEWER", { portal: true })).toMatchObject({ portal: true, role: "VIEWER" });
    const refused = await setWebhooksEnabledAction({ org: org.slug, enabled: true });
    expect(refused).toMatchObject({ ok: false, code: "forbidden", error: expect.stringMatching(/read-only/) });
    expect(await createEndpointAction(endpointInput(org.slug))).toMatchObject({ ok: false, code: "forbidden" });
    expect((await db.organization.findUniqueOrThrow({ where: { id: org.id } })).webhooksEnabled).toBe(false);
    expect(await db.endpoint.count({ where: { organizationId: org.id } })).toBe(0);
  });

  it("never opens what is not a webhook screen: API keys and the portal settings refuse a portal session", async () => {
    const org = await createOrg();
    holdPortalCookie((await newLink(org.id)).token);
    expect((await refusal(requireMember(org.slug, "VIEWER"))).code).toBe("unauthenticated");
    expect(await createApiKeyAction({ org: org.slug, name: "from the portal", scope: "ORGANIZATION" })).toMatchObject({ ok: false, code: "unauthenticated" });
    expect(await setPortalOriginsAction({ org: org.slug, origins: ["https://evil.example"] })).toMatchObject({ ok: false, code: "unauthenticated" });
    expect(await revokePortalSessionsAction({ org: org.slug })).toMatchObject({ ok: false, code: "unauthenticated" });
    expect(await db.apiKey.count({ where: { organizationId: org.id } })).toBe(0);
    expect((await db.organization.findUniqueOrThrow({ where: { id: org.id } })).portalOrigins).toEqual([]);
  });

  it("refuses an expired link, a revoked one and one whose organization was disabled, on the next request", async () => {
    const org = await createOrg();
    const { token } = await newLink(org.id);
    holdPortalCookie(token);
    await expect(requireMember(org.slug, "ADMIN", { portal: true })).resolves.toMatchObject({ portal: true });

    await db.organization.update({ where: { id: org.id }, data: { disabledAt: new Date() } });
    expect((await refusal(requireMember(org.slug, "VIEWER", { portal: true }))).message).toMatch(/expired or was revoked/);
    await db.organization.update({ where: { id: org.id }, data: { disabledAt: null } });
    await expect(requireMember(org.slug, "ADMIN", { portal: true })).resolves.toMatchObject({ portal: true });

    await db.portalAccess.update({ where: { tokenHash: hashPortalToken(token) }, data: { expiresAt: new Date(Date.now() - 1) } });
    expect((await refusal(requireMember(org.slug, "VIEWER", { portal: true }))).code).toBe("unauthenticated");
    expect(await setWebhooksEnabledAction({ org: org.slug, enabled: true })).toMatchObject({ ok: false, code: "unauthenticated", error: expect.stringMatching(/expired/) });
  });

  it("keeps a signed-in member's own role: the membership wins over a portal cookie", async () => {
    const org = await createOrg();
    holdPortalCookie((await newLink(org.id)).token);
    const viewer = await createMember(org.id, "VIEWER");
    signInAs(viewer.id);
    expect(await requireMember(org.slug, "VIEWER", { portal: true })).toMatchObject({ portal: false, role: "VIEWER" });
    expect(await setWebhooksEnabledAction({ org: org.slug, enabled: true })).toMatchObject({ ok: false, code: "forbidden" });
  });
});

describe("revoking every portal session", () => {
  it("expire-all ends every open link of the organization at once (204), audited; other organizations keep theirs", async () => {
    const org = await createOrg();
    const other = await createOrg();
    const first = await newLink(org.id);
    const second = await newLink(org.id, { readOnly: true });
    const elsewhere = await newLink(other.id);
    const response = await expireAll(org.slug, await organizationKey(org.id));
    expect(response.status).toBe(204);
    for (const token of [first.token, second.token]) {
      holdPortalCookie(token);
      expect((await refusal(requireMember(org.slug, "VIEWER", { portal: true }))).code).toBe("unauthenticated");
    }
    holdPortalCookie(elsewhere.token);
    await expect(requireMember(other.slug, "ADMIN", { portal: true })).resolves.toMatchObject({ portal: true });
    const audit = await db.auditLog.findFirstOrThrow({ where: { organizationId: org.id, action: "portal.sessions_revoked" } });
    expect(audit.changes).toEqual({ count: 2 });
  });

  // sessionIds (expire-all by session): tests/integration/portal-sessions.test.ts.
  it("expire-all with expiry shortens open links to that many seconds", async () => {
    const org = await createOrg();
    const { token } = await newLink(org.id);
    const key = await platformKey();
    expect((await expireAll(org.id, key, { expiry: 60 })).status).toBe(204);
    const stored = await db.portalAccess.findUniqueOrThrow({ where: { tokenHash: hashPortalToken(token) } });
    expect(stored.revokedAt).toBeNull();
    expect(stored.expiresAt.getTime() - Date.now()).toBeLessThanOrEqual(60_000);
    expect((await problemOf(await expireAll(org.id, await organizationKey((await createOrg()).id)))).status).toBe(403);
  });

  it("the settings screen's action revokes them for an owner or admin, not a viewer", async () => {
    const org = await createOrg();
    const { token } = await newLink(org.id);
    signInAs((await createMember(org.id, "VIEWER")).id);
    expect(await revokePortalSessionsAction({ org: org.slug })).toMatchObject({ ok: false, code: "forbidden" });
    signInAs((await createMember(org.id, "ADMIN")).id);
    expect(await revokePortalSessionsAction({ org: org.slug })).toEqual({ ok: true, data: { revoked: 1 } });
    signInAs(null);
    holdPortalCookie(token);
    expect((await refusal(requireMember(org.slug, "VIEWER", { portal: true }))).code).toBe("unauthenticated");
  });
});

describe("who may frame the portal", () => {
  it("saves validated origins (normalised, deduplicated), audited; refuses paths, wildcards and other schemes, changing nothing", async () => {
    const org = await createOrg();
    const owner = await createMember(org.id, "OWNER");
    signInAs(owner.id);
    const saved = await setPortalOriginsAction({ org: org.slug, origins: ["https://App.Example.com/", "http://127.0.0.1:8080", "https://app.example.com"] });
    expect(saved).toEqual({ ok: true, data: { origins: ["https://app.example.com", "http://127.0.0.1:8080"], changed: true } });
    const audit = await db.auditLog.findFirstOrThrow({ where: { organizationId: org.id, action: "portal.origins_changed" } });
    expect(audit).toMatchObject({ actorId: owner.id });
    for (const bad of ["https://app.example.com/settings", "https://*.example.com", "ftp://files.example.com", "app.example.com", "https://a.example; script-src *"]) {
      const result = await setPortalOriginsAction({ org: org.slug, origins: [bad] });
      expect(result, bad).toMatchObject({ ok: false, code: "invalid_input", fieldErrors: { "origins.0": [expect.stringMatching(/scheme:\/\/host\[:port\]/)] } });
    }
    expect((await db.organization.findUniqueOrThrow({ where: { id: org.id } })).portalOrigins).toEqual(["https://app.example.com", "http://127.0.0.1:8080"]);
  });

  it("the proxy lets a portal cookie's requests through and lets only the organization's origins frame them; everything else stays unframeable", async () => {
    const org = await createOrg();
    await db.organization.update({ where: { id: org.id }, data: { portalOrigins: ["https://app.example.com", "http://127.0.0.1:8080"] } });
    const { token } = await newLink(org.id);
    const through = async (path: string, cookie?: string) => {
      const response = await proxy(new NextRequest(`http://127.0.0.1:3000${path}`, { headers: { host: "127.0.0.1:3000", ...(cookie ? { cookie } : {}) } }), { params: Promise.resolve({}) });
      if (!response) throw new Error("the proxy answered nothing");
      return { location: response.headers.get("location"), csp: response.headers.get("content-security-policy") ?? "" };
    };
    const allowed = "frame-ancestors https://app.example.com http://127.0.0.1:8080";
    const screens = await through(webhooksPath(org.slug), `${PORTAL_COOKIE}=${token}`);
    expect(screens.location).toBeNull();
    expect(screens.csp).toContain(allowed);
    expect((await through(`/portal/${org.id}`)).csp).toContain(allowed);

    const signedOut = await through(webhooksPath(org.slug));
    expect(signedOut.location).toMatch(/\/sign-in/);
    expect(signedOut.csp).toContain("frame-ancestors 'none'");
    const apiKeys = await through(`/${org.slug}/settings/api-keys`, `${PORTAL_COOKIE}=${token}`);
    expect(apiKeys.location).toMatch(/\/sign-in/);
    expect(apiKeys.csp).toContain("frame-ancestors 'none'");
  });
});
