import { recordAudit } from "@/lib/audit/record";
import { hashPassword, verifyCredentials } from "@/lib/auth/credentials";
import { passwordProblem } from "@/lib/auth/password-policy";
import { db } from "@/lib/db";

/**
 * A person's own account: changing the password and ending every session. Both move the user's
 * `sessionsValidFrom` to now, which refuses every session signed in before it (the `jwt` callback
 * in auth.config.ts); the caller signs the current browser in again after a password change.
 *
 * A password change is audited as a platform entry (no organization: an account belongs to none),
 * naming the user, the time and where the request came from; never the password or its hash.
 */

/** Where a request came from, for the audit log: the client's address and its browser. */
export interface RequestOrigin {
  ip: string;
  userAgent: string | null;
}

/** Enough of a User-Agent to tell browsers apart; the header itself has no length limit. */
const USER_AGENT_MAX = 256;

export type ChangePasswordResult =
  | { ok: true }
  | { ok: false; code: "wrong_password" | "throttled" | "weak_password"; field: "currentPassword" | "password"; message: string };

export async function changePassword(
  user: { id: string; email: string; name: string | null },
  input: { currentPassword: string; password: string },
  from: RequestOrigin,
): Promise<ChangePasswordResult> {
  // The same check (and the same throttle on failures) as signing in: a stolen session cannot guess its way to a new password.
  const verified = await verifyCredentials({ email: user.email, password: input.currentPassword }, from.ip);
  if (!verified.ok) {
    return verified.reason === "throttled"
      ? { ok: false, code: "throttled", field: "currentPassword", message: "Too many wrong passwords. Wait a few minutes and try again." }
      : { ok: false, code: "wrong_password", field: "currentPassword", message: "That is not your current password." };
  }
  if (input.password === input.currentPassword) {
    return { ok: false, code: "weak_password", field: "password", message: "Choose a password different from the current one." };
  }
  const problem = await passwordProblem(input.password, user);
  if (problem) return { ok: false, code: "weak_password", field: "password", message: problem };
  const passwordHash = await hashPassword(input.password);
  await db.$transaction(async (tx) => {
    // Taken after the slow checks, so no session signed in while they ran survives.
    await tx.user.update({ where: { id: user.id }, data: { passwordHash, sessionsValidFrom: new Date() } });
    await recordAudit(tx, {
      actor: { id: user.id, email: user.email },
      action: "account.password_changed",
      organizationId: null,
      changes: { ip: from.ip, userAgent: from.userAgent?.slice(0, USER_AGENT_MAX) ?? null },
    });
  });
  return { ok: true };
}

/** Every session of the user signed in until now is refused from its next request on. */
export async function endAllSessions(userId: string, now = new Date()): Promise<void> {
  await db.user.update({ where: { id: userId }, data: { sessionsValidFrom: now } });
}
