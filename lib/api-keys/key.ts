import { createHash, randomBytes } from "node:crypto";

/** Keys look like `hr_org_<43 chars>` or `hr_plat_<43 chars>`: recognisable in logs and by secret scanners. */
export const KEY_PREFIX = { ORGANIZATION: "hr_org_", PLATFORM: "hr_plat_" } as const;
export type KeyScope = keyof typeof KEY_PREFIX;

const KEY_PATTERN = /^hr_(org|plat)_[A-Za-z0-9_-]{43}$/;

export function generateApiKey(scope: KeyScope): { key: string; prefix: string; hash: string } {
  const key = KEY_PREFIX[scope] + randomBytes(32).toString("base64url");
  return { key, prefix: key.slice(0, KEY_PREFIX[scope].length + 4), hash: hashApiKey(key) };
}

/** SHA-256 suffices: keys carry 256 random bits, so there is nothing to brute-force. */
export function hashApiKey(key: string): string {
  return createHash("sha256").update(key).digest("hex");
}

export function looksLikeApiKey(value: string): boolean {
  return KEY_PATTERN.test(value);
}
