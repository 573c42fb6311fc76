import { handlers } from "@/auth";

/**
 * Drives the real Auth.js handlers the way a browser does, with requests built the way Next builds
 * them (X-Forwarded-Proto from `scripts/serve.ts`). Files that use it load the real `@/auth`, so
 * they set AUTH_SECRET first (in `vi.hoisted`).
 */
export const AUTH_HOST = "127.0.0.1:3000";

export function requestHeaders(proto: "http" | "https", cookie?: string): Record<string, string> {
  return { "x-forwarded-proto": proto, host: AUTH_HOST, ...(cookie ? { cookie } : {}) };
}

/** Signs in with a password; returns the Set-Cookie line of the session cookie, if any. */
export async function signInWithPassword(account: { email: string; password: string }, proto: "http" | "https" = "http") {
  const base = `${proto}://${AUTH_HOST}/api/auth`;
  const csrf = await handlers.GET(new Request(`${base}/csrf`, { headers: requestHeaders(proto) }) as never);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const response = await handlers.POST(
    new Request(`${base}/callback/credentials`, {
      method: "POST",
      headers: { ...requestHeaders(proto, cookieHeader(csrf.headers.getSetCookie())), "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ csrfToken, email: account.email, password: account.password }).toString(),
    }) as never,
  );
  return sessionSetCookie(response.headers.getSetCookie());
}

/** The session cookie among Set-Cookie lines. */
export function sessionSetCookie(lines: string[]): string | undefined {
  return lines.find((c) => c.includes("session-token="));
}

/** What a browser sends back for these Set-Cookie lines: `name=value; name=value`. */
export function cookieHeader(lines: string[]): string {
  return lines.map((c) => c.split(";")[0]!).join("; ");
}
