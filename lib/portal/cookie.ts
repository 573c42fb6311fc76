import { webhooksPath } from "@/lib/routes";

/**
 * The portal session: the token itself, in an HttpOnly cookie whose Path is the organization's
 * webhook screens, so the browser sends it nowhere else. The proxy only looks at whether it is
 * there (to let the request through and write the frame policy); the pages and actions read the
 * access it names on every request (`lib/portal/session.ts`).
 */
export const PORTAL_COOKIE = "hookrelay-portal";

/**
 * The Set-Cookie value. A framed portal is a third-party context for the framing page: over HTTPS
 * the cookie is `SameSite=None; Secure` so the frame keeps its session; over plain HTTP (local use)
 * `None` is refused by browsers without `Secure`, so it is `Lax`, which works when the framing page
 * is same-site (docs/portal.md).
 */
export function portalSetCookie(token: string, options: { slug: string; expiresAt: Date; https: boolean; now?: Date }): string {
  const maxAge = Math.max(0, Math.floor((options.expiresAt.getTime() - (options.now ?? new Date()).getTime()) / 1000));
  const sameSite = options.https ? "SameSite=None; Secure" : "SameSite=Lax";
  return `${PORTAL_COOKIE}=${token}; Path=${webhooksPath(options.slug)}; Max-Age=${maxAge}; HttpOnly; ${sameSite}`;
}

/**
 * How the portal cookie is removed (Next's `cookies().set` options, `maxAge: 0`). Path and SameSite
 * repeat the cookie's own: inside a frame from another site, browsers ignore a Set-Cookie that is
 * not `SameSite=None; Secure`, a removal included.
 */
export function portalCookieRemoval(options: { slug: string; https: boolean }) {
  return { path: webhooksPath(options.slug), maxAge: 0, httpOnly: true, sameSite: options.https ? "none" : "lax", secure: options.https } as const;
}
