import { NextRequest } from "next/server";
import { describe, expect, it, vi } from "vitest";
import { changePasswordAction, signOutEverywhereAction } from "@/actions/account";
import { db } from "@/lib/db";
import { verifyCredentials } from "@/lib/auth/credentials";
import { currentUser } from "@/lib/auth/session";
import { proxy } from "@/proxy";
import { AUTH_HOST, cookieHeader, requestHeaders, signInWithPassword } from "@/tests/helpers/auth-http";
import { createUser, TEST_PASSWORD } from "@/tests/helpers/factories";

/**
 * One's own account, with the real Auth.js (handlers, `auth()`, the proxy, `signIn`/`signOut` in the
 * actions) and a browser's cookies: `next/headers` gives the code the request's headers and
 * collects the cookies the answer sets.
 */
const browser = vi.hoisted(() => {
  process.env.AUTH_SECRET ??= "account-test-secret-account-test-secret!";
  return { headers: new Headers(), setCookies: [] as { name: string; value: string }[] };
});

vi.mock("next/headers", () => ({
  headers: async () => browser.headers,
  cookies: async () => ({ set: (name: string, value: string) => browser.setCookies.push({ name, value }) }),
}));
vi.mock("next/cache", () => import("@/tests/helpers/next-mocks"));

const NEW_PASSWORD = "violet tractor umbrella 42";
const PAGE = `http://${AUTH_HOST}/some-org/settings/integrations/webhooks`;

async function signedIn(email: string, password = TEST_PASSWORD) {
  const setCookie = await signInWithPassword({ email, password });
  if (!setCookie) throw new Error("signing in set no session cookie");
  return cookieHeader([setCookie]);
}

/** Who the server code (pages, actions: all through `currentUser`) sees with this cookie. */
async function userSeenBy(cookie: string) {
  browser.headers = new Headers(requestHeaders("http", cookie));
  return currentUser();
}

async function proxyLetsIn(cookie: string) {
  const response = await proxy(new NextRequest(PAGE, { headers: requestHeaders("http", cookie) }), { params: Promise.resolve({}) });
  return !response?.headers.get("location");
}

/** Runs an action as the browser holding `cookie`; returns its result and the session cookie it set. */
async function asBrowser<T>(cookie: string, action: () => Promise<T>) {
  browser.headers = new Headers(requestHeaders("http", cookie));
  browser.setCookies = [];
  const result = await action();
  const session = browser.setCookies.filter((c) => c.name === "authjs.session-token").at(-1);
  return { result, cookie: session?.value ? `${session.name}=${session.value}` : undefined };
}

describe("signing in", () => {
  it("records the time of the last successful sign-in, not of a failed one", async () => {
    const user = await createUser();
    expect(user.lastSignInAt).toBeNull();
    await verifyCredentials({ email: user.email, password: "wrong password" }, "127.0.0.9");
    expect((await db.user.findUniqueOrThrow({ where: { id: user.id } })).lastSignInAt).toBeNull();
    const before = Date.now();
    await signedIn(user.email);
    const { lastSignInAt } = await db.user.findUniqueOrThrow({ where: { id: user.id } });
    expect(lastSignInAt!.getTime()).toBeGreaterThanOrEqual(before - 1000);
  });
});

describe("changing the password", () => {
  it("ends every other session; this browser stays signed in with a fresh session; only the new password signs in", async () => {
    const user = await createUser();
    const laptop = await signedIn(user.email);
    const phone = await signedIn(user.email);
    expect(await userSeenBy(phone)).toMatchObject({ id: user.id });

    const change = await asBrowser(laptop, () => changePasswordAction({ currentPassword: TEST_PASSWORD, password: NEW_PASSWORD, confirmPassword: NEW_PASSWORD }));
    expect(change.result).toEqual({ ok: true, data: { changed: true } });
    expect(change.cookie).toBeDefined();

    // This browser's new cookie works; every token signed in before the change is refused, its own old one included.
    expect(await userSeenBy(change.cookie!)).toMatchObject({ id: user.id });
    expect(await proxyLetsIn(change.cookie!)).toBe(true);
    expect(await userSeenBy(phone)).toBeNull();
    expect(await proxyLetsIn(phone)).toBe(false);
    expect(await userSeenBy(laptop)).toBeNull();

    expect(await signInWithPassword({ email: user.email, password: TEST_PASSWORD })).toBeUndefined();
    const again = await signedIn(user.email, NEW_PASSWORD);
    expect(await userSeenBy(again)).toMatchObject({ id: user.id });
  });

  it("needs the current password, and refuses a short or weak new one, changing nothing", async () => {
    const user = await createUser();
    const cookie = await signedIn(user.email);
    const attempts = [
      [{ currentPassword: "not my password", password: NEW_PASSWORD, confirmPassword: NEW_PASSWORD }, { code: "wrong_password", fieldErrors: { currentPassword: ["That is not your current password."] } }],
      [{ currentPassword: TEST_PASSWORD, password: "short", confirmPassword: "short" }, { code: "invalid_input", fieldErrors: { password: ["Use at least 12 characters"] } }],
      [{ currentPassword: TEST_PASSWORD, password: "qwertyuiop123", confirmPassword: "qwertyuiop123" }, { code: "weak_password", fieldErrors: { password: [expect.stringMatching(/too easy to guess/)] } }],
      [{ currentPassword: TEST_PASSWORD, password: `${user.email}!!`, confirmPassword: `${user.email}!!` }, { code: "weak_password", error: expect.stringMatching(/your name or e-mail address/) }],
      [{ currentPassword: TEST_PASSWORD, password: NEW_PASSWORD, confirmPassword: "something else entirely" }, { code: "invalid_input", fieldErrors: { confirmPassword: ["The two passwords differ"] } }],
    ] as const;
    const before = await db.user.findUniqueOrThrow({ where: { id: user.id } });
    for (const [input, refusal] of attempts) {
      const { result, cookie: set } = await asBrowser(cookie, () => changePasswordAction(input));
      expect(result).toMatchObject({ ok: false, ...refusal });
      expect(set).toBeUndefined();
    }
    const after = await db.user.findUniqueOrThrow({ where: { id: user.id } });
    expect(after.passwordHash).toBe(before.passwordHash);
    expect(after.sessionsValidFrom).toBeNull();
    expect(await userSeenBy(cookie)).toMatchObject({ id: user.id });
  });

  it("is audited as a platform entry (no organization): who, when, from which address and browser; never the password; a refused change is not", async () => {
    const user = await createUser();
    const cookie = await signedIn(user.email);
    const from = { "x-forwarded-for": "203.0.113.7", "user-agent": "Mozilla/5.0 (X11; Linux x86_64) TestBrowser/1.0" };
    browser.headers = new Headers({ ...requestHeaders("http", cookie), ...from });
    expect(await changePasswordAction({ currentPassword: "not my password", password: NEW_PASSWORD, confirmPassword: NEW_PASSWORD })).toMatchObject({ ok: false });
    expect(await db.auditLog.count({ where: { actorId: user.id } })).toBe(0);

    const before = Date.now();
    browser.headers = new Headers({ ...requestHeaders("http", cookie), ...from });
    expect(await changePasswordAction({ currentPassword: TEST_PASSWORD, password: NEW_PASSWORD, confirmPassword: NEW_PASSWORD })).toMatchObject({ ok: true });
    const entries = await db.auditLog.findMany({ where: { actorId: user.id } });
    expect(entries).toEqual([
      expect.objectContaining({
        action: "account.password_changed",
        organizationId: null,
        endpointId: null,
        actorEmail: user.email,
        changes: { ip: "203.0.113.7", userAgent: from["user-agent"] },
      }),
    ]);
    expect(entries[0]!.createdAt.getTime()).toBeGreaterThanOrEqual(before - 1000);
    const stored = JSON.stringify(entries[0]);
    for (const secret of [NEW_PASSWORD, TEST_PASSWORD, (await db.user.findUniqueOrThrow({ where: { id: user.id } })).passwordHash]) expect(stored).not.toContain(secret);
  });

  it("is refused when signed out", async () => {
    browser.headers = new Headers(requestHeaders("http"));
    await expect(changePasswordAction({ currentPassword: TEST_PASSWORD, password: NEW_PASSWORD, confirmPassword: NEW_PASSWORD })).resolves.toMatchObject({ ok: false, code: "unauthenticated" });
  });
});

describe("signing out everywhere", () => {
  it("ends every session of the user, this one included, and only that user's", async () => {
    const user = await createUser();
    const other = await createUser();
    const here = await signedIn(user.email);
    const elsewhere = await signedIn(user.email);
    const someoneElse = await signedIn(other.email);
    browser.headers = new Headers(requestHeaders("http", here));
    browser.setCookies = [];
    await expect(signOutEverywhereAction({})).rejects.toMatchObject({ digest: expect.stringMatching(/^NEXT_REDIRECT;.*\/sign-in/) });
    expect(browser.setCookies).toContainEqual({ name: "authjs.session-token", value: "" });
    for (const cookie of [here, elsewhere]) {
      expect(await userSeenBy(cookie)).toBeNull();
      expect(await proxyLetsIn(cookie)).toBe(false);
    }
    expect(await userSeenBy(someoneElse)).toMatchObject({ id: other.id });
    // Signing in again works at once.
    expect(await userSeenBy(await signedIn(user.email))).toMatchObject({ id: user.id });
  });
});
