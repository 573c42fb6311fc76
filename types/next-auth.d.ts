import "next-auth/jwt";

declare module "next-auth/jwt" {
  interface JWT {
    /** Names one sign-in, so that signing out can revoke it (lib/auth/revoked-sessions.ts). */
    sid?: string;
    /** When this session signed in (ms since the epoch): refused if before the user's `sessionsValidFrom`. */
    signedInAt?: number;
  }
}
