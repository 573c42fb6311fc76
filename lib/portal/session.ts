import { cookies } from "next/headers";
import { cache } from "react";
import { resolvePortalToken, type PortalGrant } from "@/lib/portal/access";
import { webhooksPath } from "@/lib/routes";

/**
 * The portal session: the token itself, in an HttpOnly cookie whose Path is the organization's
 * webhook screens, so the browser sends it nowhere else. Every request re-reads the access
 * (`resolvePortalToken`: one indexed query), so expiry and "revoke all" count at once.
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

export type PortalLookup =
  | { status: "none" }
  /** The cookie's access expired or was revoked (or its organization was disabled): the portal page says so. */
  | { status: "ended" }
  /** A valid access to another organization: that organization is not found for it. */
  | { status: "other_organization" }
  | { status: "ok"; grant: PortalGrant };

/** Whether the request carries a portal cookie at all (no database read): anonymous callers without one are refused early. */
export async function hasPortalCookie(): Promise<boolean> {
  return (await cookies()).has(PORTAL_COOKIE);
}

/** The portal access the request's cookie grants on `orgSlug`'s screens (read once per request). */
export const portalAccessFor = cache(async (orgSlug: string): Promise<PortalLookup> => {
  const token = (await cookies()).get(PORTAL_COOKIE)?.value;
  if (!token) return { status: "none" };
  const resolved = await resolvePortalToken(token);
  if (!resolved.ok) return resolved.reason === "unknown" ? { status: "none" } : { status: "ended" };
  if (resolved.grant.organization.slug !== orgSlug) return { status: "other_organization" };
  return { status: "ok", grant: resolved.grant };
});
