import NextAuth from "next-auth";
import { NextResponse, type NextRequest } from "next/server";
import { authConfig } from "@/auth.config";
import { isPublicPath } from "@/lib/auth/public-paths";
import { contentSecurityPolicy, newNonce } from "@/lib/http/content-security-policy";
import { isHttps } from "@/lib/http/forwarded";
import { PORTAL_COOKIE } from "@/lib/portal/cookie";
import { portalFrameAncestors, portalOrganizationOf } from "@/lib/portal/frame";

const { auth } = NextAuth(authConfig);

/**
 * Coarse guard: anonymous visitors of private pages go to sign-in and come back afterwards.
 * Pages, server actions and API routes still check the session and role themselves.
 * Every answer also carries the page's Content-Security-Policy; its nonce reaches the page
 * through the request headers (`x-nonce`, and the policy itself, which Next reads).
 */
export const proxy = auth(async (req) => {
  const { pathname, search } = req.nextUrl;
  const nonce = newNonce();
  // A portal link's pages (its entry page, and the webhook screens with a portal cookie) may be framed by
  // the organization's own origins; the pages check the portal access itself.
  const portal = portalOrganizationOf(pathname, req.cookies.has(PORTAL_COOKIE));
  const frameAncestors = portal ? await portalFrameAncestors(portal) : undefined;
  const policy = contentSecurityPolicy(nonce, { dev: process.env.NODE_ENV === "development", https: isHttps(req.headers), frameAncestors });
  const response = isPublicPath(pathname) || req.auth || portal ? withNonce(req, nonce, policy) : redirectToSignIn(req, pathname, search);
  response.headers.set("content-security-policy", policy);
  return response;
});

function withNonce(req: NextRequest, nonce: string, policy: string): NextResponse {
  const headers = new Headers(req.headers);
  headers.set("x-nonce", nonce);
  headers.set("content-security-policy", policy);
  return NextResponse.next({ request: { headers } });
}

function redirectToSignIn(req: NextRequest, pathname: string, search: string): NextResponse {
  const signIn = new URL("/sign-in", req.nextUrl.origin);
  // A path, never an absolute URL: the sign-in action only follows same-site paths.
  if (pathname !== "/") signIn.searchParams.set("callbackUrl", pathname + search);
  return NextResponse.redirect(signIn);
}

export const config = {
  // Paths that authenticate on their own (API keys, Inngest, the test receiver, health) skip the
  // session guard entirely: no cookie work on the hot paths, and nothing of Auth.js leaks into them.
  // They serve no HTML, so they need no script policy; next.config's headers cover them.
  matcher: ["/((?!_next/static|_next/image|favicon.ico|robots.txt|api/v1/|api/inngest|api/health|play/|test-receiver/).*)"],
};
