import NextAuth from "next-auth";
import { NextResponse } from "next/server";
import { authConfig } from "@/auth.config";
import { isPublicPath } from "@/lib/auth/public-paths";

const { auth } = NextAuth(authConfig);

/**
 * Coarse guard: anonymous visitors of private pages go to sign-in and come back afterwards.
 * Pages, server actions and API routes still check the session and role themselves.
 */
export const proxy = auth((req) => {
  const { pathname, search } = req.nextUrl;
  if (isPublicPath(pathname) || req.auth) return NextResponse.next();
  const signIn = new URL("/sign-in", req.nextUrl.origin);
  // A path, never an absolute URL: the sign-in action only follows same-site paths.
  if (pathname !== "/") signIn.searchParams.set("callbackUrl", pathname + search);
  return NextResponse.redirect(signIn);
});

export const config = {
  // Paths that authenticate on their own (API keys, Inngest, the test receiver, health) skip the
  // session guard entirely: no cookie work on the hot paths, and nothing of Auth.js leaks into them.
  matcher: ["/((?!_next/static|_next/image|favicon.ico|robots.txt|api/v1/|api/inngest|api/health|play/).*)"],
};
