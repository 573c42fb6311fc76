/**
 * Paths reachable without a dashboard session. Each authenticates differently or not at all:
 * Inngest signs its requests, the public API takes API keys, /test-receiver (and its old address /play) is a built-in test receiver,
 * /invite/<token> is opened by people who may have no account yet (the token is the credential);
 * /portal/ trades a portal link's token for its cookie (lib/portal).
 */
const PUBLIC_PREFIXES = ["/api/auth/", "/api/inngest", "/api/v1/", "/test-receiver/", "/play/", "/invite/", "/portal/"];
// The favicon (app/icon.svg) is shown on the sign-in page too.
const PUBLIC_EXACT = new Set(["/sign-in", "/api/health", "/icon.svg"]);

export function isPublicPath(pathname: string): boolean {
  if (PUBLIC_EXACT.has(pathname)) return true;
  return PUBLIC_PREFIXES.some((p) => pathname.startsWith(p) || pathname === p.replace(/\/$/, ""));
}

/** Only same-site paths are followed after sign-in (no open redirect). */
export function safeCallbackPath(value: string | null | undefined): string {
  if (!value) return "/";
  let candidate = value;
  // Auth.js writes absolute callback URLs; keep only path and query.
  if (/^https?:\/\//i.test(candidate)) {
    try {
      const url = new URL(candidate);
      candidate = url.pathname + url.search;
    } catch {
      return "/";
    }
  }
  if (!candidate.startsWith("/") || candidate.startsWith("//") || candidate.startsWith("/\\")) return "/";
  if (candidate.startsWith("/sign-in")) return "/";
  return candidate;
}
