/**
 * The Content-Security-Policy of the dashboard's pages, with a fresh nonce per request. Next puts
 * the nonce on its own scripts when it finds it in the request's policy; `strict-dynamic` lets
 * those scripts load the chunks they need, and nothing else runs.
 *
 * `style-src` keeps 'unsafe-inline': Radix positions popovers and menus with inline `style`
 * attributes and sonner inserts its stylesheet at run time, and neither can carry a nonce
 * (nonces cover `<style>` elements only, not attributes). Styles cannot run script; what they could
 * leak is bounded by `img-src`, `font-src` and `connect-src` allowing this origin only.
 */
export function contentSecurityPolicy(nonce: string, options: { dev: boolean; https: boolean; frameAncestors?: readonly string[] }): string {
  const directives = [
    "default-src 'self'",
    // React's development build evaluates code for its debugging aids; production never does.
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${options.dev ? " 'unsafe-eval'" : ""}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' blob: data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    // No page may be framed, except a portal's by the origins its organization lists (lib/portal/frame.ts).
    `frame-ancestors ${options.frameAncestors?.length ? options.frameAncestors.join(" ") : "'none'"}`,
    // Only over HTTPS: on plain HTTP (local use) it would send every asset to a port nobody serves.
    ...(options.https ? ["upgrade-insecure-requests"] : []),
  ];
  return directives.join("; ");
}

/** 128 random bits, as the CSP specification asks of a nonce. */
export function newNonce(): string {
  return Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString("base64");
}
