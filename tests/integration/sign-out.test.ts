import { NextRequest } from "next/server";
import { encode } from "next-auth/jwt";
import { describe, expect, it, vi } from "vitest";
import { signOutAction } from "@/actions/auth";
import { db } from "@/lib/db";
import { currentUser } from "@/lib/auth/session";
import { REVOCATION_TTL_MS, revokeSession, SESSION_MAX_AGE_SECONDS } from "@/lib/auth/revoked-sessions";
import { proxy } from "@/proxy";
import { AUTH_HOST, cookieHeader, requestHeaders, sessionSetCookie, signInWithPassword } from "@/tests/helpers/auth-http";
import { createUser, TEST_PASSWORD } from "@/tests/helpers/factories";

/**
 * The browser's side of a request, for the code that reads it through `next/headers` (`auth()`
 * in `currentUser`, Auth.js's sign-out action): the request's headers, and the cookies the answer sets.
 */
const browser = vi.hoisted(() => {
  // Read by Auth.js when `@/auth` is loaded; `npm start` provides it.
  process.env.AUTH_SECRET ??= "sign-out-test-secret-sign-out-test-secret";
  return { headers: new Headers(), setCookies: [] as { name: string; value: string }[] };
});

vi.mock("next/headers", () => ({
  headers: async () => browser.headers,
  cookies: async () => ({ set: (name: string, value: string) => browser.setCookies.push({ name, value }) }),
}));

const PAGE = `http://${AUTH_HOST}/some-org/settings/integrations/webhooks`;

async function newSession() {
  const user = await createUser();
  const setCookie = await signInWithPassword({ email: user.email, password: TEST_PASSWORD });
  if (!setCookie) throw new Error("signing in set no session cookie");
  return { user, cookie: cookieHeader([setCookie]) };
}

/** A page request through the proxy, the code that re-signs the session cookie on every answer. */
async function throughProxy(cookie: string) {
  const response = await proxy(new NextRequest(PAGE, { headers: requestHeaders("http", cookie) }), { params: Promise.resolve({}) });
  if (!response) throw new Error("the proxy answered nothing");
  const setCookie = sessionSetCookie(response.headers.getSetCookie());
  return {
    signedIn: !response.headers.get("location"),
    location: response.headers.get("location"),
    setCookie,
    cookie: setCookie ? cookieHeader([setCookie]) : undefined,
  };
}

/** Who the server code (pages, actions, API routes: all through `currentUser`) sees with this cookie. */
async function userSeenBy(cookie: string) {
  browser.headers = new Headers(requestHeaders("http", cookie));
  return currentUser();
}

/** The dashboard's sign-out, as the account menu submits it. */
async function signOutInDashboard(cookie: string) {
  browser.headers = new Headers(requestHeaders("http", cookie));
  browser.setCookies = [];
  // It ends with Next's redirect to the sign-in page, which is thrown.
  await expect(signOutAction()).rejects.toMatchObject({ digest: expect.stringMatching(/^NEXT_REDIRECT;.*\/sign-in/) });
  return browser.setCookies;
}

describe("signing out", () => {
  it("refuses the cookie that a request in flight during the sign-out answered with", async () => {
    const { user, cookie } = await newSession();
    // A request is under way: the proxy has let it through and re-signed the session cookie...
    const inFlight = await throughProxy(cookie);
    expect(inFlight.signedIn).toBe(true);
    expect(inFlight.cookie).toBeDefined();
    // ...when the user signs out: the browser's cookie is cleared...
    const cleared = await signOutInDashboard(cookie);
    expect(cleared).toContainEqual({ name: "authjs.session-token", value: "" });
    // ...and then the late answer arrives and puts the re-signed cookie back. It no longer signs anyone in.
    const afterwards = await throughProxy(inFlight.cookie!);
    expect(afterwards.signedIn).toBe(false);
    expect(afterwards.location).toMatch(/\/sign-in\?callbackUrl=/);
    expect(afterwards.setCookie).toMatch(/^authjs\.session-token=;/);
    expect(await userSeenBy(inFlight.cookie!)).toBeNull();
    expect(await userSeenBy(cookie)).toBeNull();
    expect(await db.revokedSession.findMany({ where: { userId: user.id } })).toHaveLength(1);
  });

  it("refuses it through the Auth.js routes too (POST /api/auth/signout, GET /api/auth/session)", async () => {
    const { handlers } = await import("@/auth");
    const { cookie } = await newSession();
    const inFlight = await throughProxy(cookie);
    const base = `http://${AUTH_HOST}/api/auth`;
    const csrf = await handlers.GET(new Request(`${base}/csrf`, { headers: requestHeaders("http", cookie) }) as never);
    const { csrfToken } = (await csrf.json()) as { csrfToken: string };
    await handlers.POST(
      new Request(`${base}/signout`, {
        method: "POST",
        headers: { ...requestHeaders("http", `${cookie}; ${cookieHeader(csrf.headers.getSetCookie())}`), "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ csrfToken }).toString(),
      }) as never,
    );
    const session = await handlers.GET(new Request(`${base}/session`, { headers: requestHeaders("http", inFlight.cookie) }) as never);
    expect(await session.json()).toBeNull();
  });

  it("ends only the session signed out of: the same user signed in elsewhere stays signed in", async () => {
    const { user, cookie: laptop } = await newSession();
    const phoneCookie = await signInWithPassword({ email: user.email, password: TEST_PASSWORD });
    const phone = cookieHeader([phoneCookie!]);
    await signOutInDashboard(laptop);
    expect(await userSeenBy(phone)).toMatchObject({ id: user.id });
    expect((await throughProxy(phone)).signedIn).toBe(true);
    expect(await userSeenBy(laptop)).toBeNull();
  });

  it("signs out a session issued before sessions had an id, clearing its cookie", async () => {
    const user = await createUser();
    const name = "authjs.session-token";
    const token = await encode({ token: { sub: user.id, email: user.email }, secret: process.env.AUTH_SECRET!, salt: name });
    const legacy = `${name}=${token}`;
    const visit = await throughProxy(legacy);
    expect(visit.signedIn).toBe(false);
    expect(visit.setCookie).toMatch(/^authjs\.session-token=;/);
    expect(await userSeenBy(legacy)).toBeNull();
  });
});

describe("revoked sessions", () => {
  it("are kept longer than any cookie carrying them can live, then deleted by a later sign-out", async () => {
    expect(REVOCATION_TTL_MS).toBeGreaterThan(SESSION_MAX_AGE_SECONDS * 1000);
    const user = await createUser();
    const longAgo = new Date(Date.now() - REVOCATION_TTL_MS - 1000);
    await revokeSession({ sid: `old-${user.id}`, userId: user.id }, longAgo);
    await revokeSession({ sid: `recent-${user.id}`, userId: user.id }, new Date(Date.now() - REVOCATION_TTL_MS + 60_000));
    await revokeSession({ sid: `now-${user.id}`, userId: user.id });
    const left = await db.revokedSession.findMany({ where: { userId: user.id }, orderBy: { revokedAt: "asc" } });
    expect(left.map((r) => r.sid)).toEqual([`recent-${user.id}`, `now-${user.id}`]);
  });

  it("keep the first sign-out when the same session signs out twice", async () => {
    const user = await createUser();
    const first = new Date(Date.now() - 60_000);
    await revokeSession({ sid: `twice-${user.id}`, userId: user.id }, first);
    await revokeSession({ sid: `twice-${user.id}`, userId: user.id });
    expect(await db.revokedSession.findUnique({ where: { sid: `twice-${user.id}` } })).toMatchObject({ revokedAt: first });
  });
});
