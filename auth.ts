import NextAuth, { CredentialsSignin } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import { authConfig } from "@/auth.config";
import { verifyCredentials } from "@/lib/auth/credentials";
import { clientIp } from "@/lib/auth/client-ip";
import { revokeSession } from "@/lib/auth/revoked-sessions";
import { signInSchema } from "@/lib/validations/auth";
import { errorFields, loggerFor } from "@/lib/observability/log";

class InvalidCredentials extends CredentialsSignin {
  code = "invalid_credentials";
}

class TooManyAttempts extends CredentialsSignin {
  code = "too_many_attempts";
}

export const { handlers, auth, signIn, signOut } = NextAuth({
  ...authConfig,
  logger: {
    // A wrong password is an expected outcome, shown to the user; not a server error.
    error(error) {
      if (error instanceof CredentialsSignin || (error as { type?: string }).type === "CredentialsSignin") return;
      loggerFor("[auth]").error(errorFields(error), "Auth.js reported an error");
    },
  },
  events: {
    // Every way out (the dashboard's sign-out action, POST /api/auth/signout) passes here with the
    // cookie's token. Auth.js logs a failure here (through `logger.error`) and still clears the cookie.
    async signOut(message) {
      const token = "token" in message ? message.token : null;
      if (token?.sid && token.sub) await revokeSession({ sid: token.sid, userId: token.sub });
    },
  },
  providers: [
    Credentials({
      credentials: { email: { label: "Email" }, password: { label: "Password", type: "password" } },
      async authorize(raw, request) {
        const parsed = signInSchema.safeParse(raw);
        if (!parsed.success) throw new InvalidCredentials();
        const outcome = await verifyCredentials(parsed.data, clientIp(request.headers));
        if (outcome.ok) return { id: outcome.user.id, email: outcome.user.email, name: outcome.user.name };
        if (outcome.reason === "throttled") throw new TooManyAttempts();
        throw new InvalidCredentials();
      },
    }),
  ],
});
