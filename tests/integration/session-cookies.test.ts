import { describe, expect, it, vi } from "vitest";
import { signInWithPassword } from "@/tests/helpers/auth-http";
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
  return signInWithPassword({ email: user.email, password: TEST_PASSWORD }, proto);
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
