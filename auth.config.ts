import type { NextAuthConfig } from "next-auth";

/**
 * The part of the Auth.js configuration that needs no database: shared by `auth.ts` (the full
 * configuration with the Credentials provider) and `proxy.ts` (which only reads the JWT).
 */
export const authConfig = {
  pages: { signIn: "/sign-in" },
  session: { strategy: "jwt", maxAge: 12 * 60 * 60 },
  trustHost: true,
  providers: [],
  callbacks: {
    jwt({ token, user }) {
      if (user?.id) token.sub = user.id;
      return token;
    },
    session({ session, token }) {
      if (token.sub) session.user.id = token.sub;
      return session;
    },
  },
} satisfies NextAuthConfig;
