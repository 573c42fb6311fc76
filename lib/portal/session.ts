import { cookies, headers } from "next/headers";
import { unstable_rethrow } from "next/navigation";
import { cache } from "react";
import { isHttps } from "@/lib/http/forwarded";
import { logoutPortalAccess, resolvePortalToken, type PortalGrant } from "@/lib/portal/access";
import { PORTAL_COOKIE, portalCookieRemoval } from "@/lib/portal/cookie";

/** Who the request's portal cookie (lib/portal/cookie.ts) lets in: read once per request, on every request. */
export type PortalLookup =
  | { status: "none" }
  /** The cookie's access expired or was revoked (or its organization was disabled): the portal page says so. */
  | { status: "ended" }
  /** A valid access to another organization: that organization is not found for it. */
  | { status: "other_organization" }
  | { status: "ok"; grant: PortalGrant };

/** The request's portal cookie. Server code run outside a request (scripts, tests calling it directly) has none. */
async function portalCookie(): Promise<string | undefined> {
  let jar: Awaited<ReturnType<typeof cookies>>;
  try {
    jar = await cookies();
  } catch (error) {
    // Next's own signals (dynamic rendering) go on; "called outside a request scope" means no cookie.
    unstable_rethrow(error);
    return undefined;
  }
  return jar.get(PORTAL_COOKIE)?.value;
}

/** Whether the request carries a portal cookie at all (no database read): anonymous callers without one are refused early. */
export async function hasPortalCookie(): Promise<boolean> {
  return (await portalCookie()) !== undefined;
}

/** The portal access the request's cookie grants on `orgSlug`'s screens (read once per request). */
export const portalAccessFor = cache(async (orgSlug: string): Promise<PortalLookup> => {
  const token = await portalCookie();
  if (!token) return { status: "none" };
  const resolved = await resolvePortalToken(token);
  if (!resolved.ok) return resolved.reason === "unknown" ? { status: "none" } : { status: "ended" };
  if (resolved.grant.organization.slug !== orgSlug) return { status: "other_organization" };
  return { status: "ok", grant: resolved.grant };
});

/**
 * The portal's own sign-out: the cookie's token is logged out (as Svix's `authentication.logout`,
 * so the link no longer opens either) and the cookie removed from the browser.
 */
export async function endPortalSession(orgSlug: string): Promise<void> {
  const token = await portalCookie();
  if (token) await logoutPortalAccess(token);
  (await cookies()).set(PORTAL_COOKIE, "", portalCookieRemoval({ slug: orgSlug, https: isHttps(await headers()) }));
}
