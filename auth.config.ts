import type { NextAuthConfig } from "next-auth";
import { isSessionActive, newSessionId, SESSION_MAX_AGE_SECONDS } from "@/lib/auth/revoked-sessions";

/**
 * The part of the Auth.js configuration shared by `auth.ts` (the full configuration with the
 * Credentials provider) and `proxy.ts` (which only reads the JWT). Both read sessions, so both
 * refuse a signed-out one: the proxy is what re-signs the cookie on every answer.
 */
export const authConfig = {
  pages: { signIn: "/sign-in" },
  session: { strategy: "jwt", maxAge: SESSION_MAX_AGE_SECONDS },
  trustHost: true,
  providers: [],
  callbacks: {
    async jwt({ token, user }) {
      // `user` is there only at sign-in: the new session gets its own id and its sign-in time.
      if (user?.id) return { ...token, sub: user.id, sid: newSessionId(), signedInAt: Date.now() };
      // Null ends the session and clears its cookie. A token without a sid predates revocable
      // sessions and could not be revoked, so it is signed out too (once: the next sign-in has one).
      // So is one signed out, or signed in before the user's password change or "sign out everywhere".
      if (!token.sid || !token.sub) return null;
      if (!(await isSessionActive({ sid: token.sid, userId: token.sub, signedInAt: token.signedInAt }))) return null;
      return token;
    },
    session({ session, token }) {
      if (token.sub) session.user.id = token.sub;
      return session;
    },
  },
} satisfies NextAuthConfig;
