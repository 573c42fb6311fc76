import { randomUUID } from "node:crypto";
import { db } from "@/lib/db";

/**
 * Sign-out that survives requests in flight. Auth.js re-signs the session cookie on every answer
 * (a rolling expiry), so a request that was under way while the user signed out can answer after
 * the sign-out with a fresh cookie and bring the session back. Each sign-in therefore names its
 * session (`sid`, in the token); signing out records that sid here, and a token carrying a recorded
 * sid is refused wherever Auth.js reads it (the proxy, `auth()`), whatever cookie brought it.
 */

/** Idle lifetime of a session: each answer pushes the cookie's expiry this far ahead. */
export const SESSION_MAX_AGE_SECONDS = 12 * 60 * 60;

/**
 * How long after the sign-out a revocation is kept. The last cookie carrying the sid was signed at
 * about the moment of the sign-out (a request that checked just before it was recorded), so it
 * expires one session lifetime later; the hour covers a request that stalled between its check and
 * signing its cookie, and clock tolerance (Auth.js accepts tokens 15 s past their expiry).
 */
export const REVOCATION_TTL_MS = SESSION_MAX_AGE_SECONDS * 1000 + 60 * 60 * 1000;

export function newSessionId(): string {
  return randomUUID();
}

/**
 * Whether a session may go on: its sid was not signed out, and it was signed in no earlier than
 * the user's `sessionsValidFrom` (set by a password change and by "sign out everywhere"; a token
 * from before sign-in times were recorded counts as signed in at 0). One statement, two
 * primary-key lookups: the proxy and `auth()` run it on every request.
 */
export async function isSessionActive(session: { sid: string; userId: string; signedInAt: number | undefined }): Promise<boolean> {
  // Compared as epoch milliseconds: the column holds UTC without a zone, whatever the server's TimeZone.
  const signedInAt = session.signedInAt ?? 0;
  const rows = await db.$queryRaw<{ active: boolean }[]>`
    SELECT NOT EXISTS (SELECT 1 FROM "RevokedSession" WHERE sid = ${session.sid})
       AND NOT EXISTS (
         SELECT 1 FROM "User"
         WHERE id = ${session.userId} AND EXTRACT(EPOCH FROM "sessionsValidFrom") * 1000 > ${signedInAt}::float8
       ) AS active`;
  return rows[0]?.active === true;
}

/**
 * Records the sign-out of `sid` (idempotent: signing out twice keeps the first record), and deletes
 * the revocations that expired, so the table holds about one session lifetime of sign-outs.
 */
export async function revokeSession(session: { sid: string; userId: string }, now = new Date()): Promise<void> {
  await db.revokedSession.createMany({
    data: [{ ...session, revokedAt: now, expiresAt: new Date(now.getTime() + REVOCATION_TTL_MS) }],
    skipDuplicates: true,
  });
  await db.revokedSession.deleteMany({ where: { expiresAt: { lt: now } } });
}
