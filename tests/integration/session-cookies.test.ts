import { describe, expect, it, vi } from "vitest";
import { handlers } from "@/auth";
import { createUser, TEST_PASSWORD } from "@/tests/helpers/factories";

// Read by Auth.js when `@/auth` is loaded; `npm start` provides it.
vi.hoisted(() => {
  process.env.AUTH_SECRET ??= "session-cookie-test-secret-session-cookie-test";
});

/**
 * Auth.js decides `Secure` cookies from the request URL's protocol, and Next builds that URL from
 * X-Forwarded-Proto: the header `scripts/serve.ts` sets from the socket or a trusted proxy. The
 * requests here are built the way Next builds them.
 */
async function signIn(proto: "http" | "https") {
  const user = await createUser();
  const base = `${proto}://127.0.0.1:3000/api/auth`;
  const headers = { "x-forwarded-proto": proto, host: "127.0.0.1:3000" };
  const csrf = await handlers.GET(new Request(`${base}/csrf`, { headers }) as never);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const jar = new Map(csrf.headers.getSetCookie().map((c) => c.split(";")[0]!.split(/=(.*)/s) as [string, string]));
  const response = await handlers.POST(
    new Request(`${base}/callback/credentials`, {
      method: "POST",
      headers: { ...headers, cookie: [...jar].map(([k, v]) => `${k}=${v}`).join("; "), "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ csrfToken, email: user.email, password: TEST_PASSWORD }).toString(),
    }) as never,
  );
  return response.headers.getSetCookie().find((c) => c.includes("session-token"));
}

describe("session cookies", () => {
  it("are Secure, with the __Secure- prefix, when the request came over HTTPS", async () => {
    const cookie = await signIn("https");
    expect(cookie).toMatch(/^__Secure-authjs\.session-token=/);
    expect(cookie).toMatch(/; Secure/i);
  });

  it("are plain over HTTP (local use), where a Secure cookie would never be sent back", async () => {
    const cookie = await signIn("http");
    expect(cookie).toMatch(/^authjs\.session-token=/);
    expect(cookie).not.toMatch(/; Secure/i);
  });
});
