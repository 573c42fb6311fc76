import bcrypt from "bcryptjs";
import { db } from "@/lib/db";

/** Failed sign-ins allowed per account and per client address within the window. */
export const SIGN_IN_LIMIT = 10;
export const SIGN_IN_WINDOW_MS = 15 * 60 * 1000;

// Compared against when the account does not exist, so both paths cost one bcrypt check.
const DUMMY_HASH = "$2b$10$CwTycUXWue0Thq9StjUM0uJ8.xXbmV1W3h8Lh5p6k8YBkeGq6wZ5e";

export type CredentialsOutcome =
  | { ok: true; user: { id: string; email: string; name: string | null } }
  | { ok: false; reason: "invalid" | "throttled" };

export async function isThrottled(email: string, ip: string, now = new Date()): Promise<boolean> {
  const since = new Date(now.getTime() - SIGN_IN_WINDOW_MS);
  const [byEmail, byIp] = await Promise.all([
    db.failedSignIn.count({ where: { email, createdAt: { gt: since } } }),
    ip === "unknown" ? Promise.resolve(0) : db.failedSignIn.count({ where: { ip, createdAt: { gt: since } } }),
  ]);
  return byEmail >= SIGN_IN_LIMIT || byIp >= SIGN_IN_LIMIT;
}

export async function verifyCredentials(
  input: { email: string; password: string },
  ip: string,
): Promise<CredentialsOutcome> {
  const email = input.email.trim().toLowerCase();
  if (await isThrottled(email, ip)) return { ok: false, reason: "throttled" };
  const user = await db.user.findUnique({ where: { email } });
  const matches = await bcrypt.compare(input.password, user?.passwordHash ?? DUMMY_HASH);
  if (!user || !matches) {
    await db.failedSignIn.create({ data: { email, ip } });
    return { ok: false, reason: "invalid" };
  }
  // A successful sign-in clears the account's record; the address keeps its count.
  await db.failedSignIn.deleteMany({ where: { email } });
  await db.user.update({ where: { id: user.id }, data: { lastSignInAt: new Date() } });
  return { ok: true, user: { id: user.id, email: user.email, name: user.name } };
}

export function hashPassword(password: string): Promise<string> {
  return bcrypt.hash(password, 10);
}
