import { db } from "@/lib/db";
import { hashApiKey, looksLikeApiKey, type KeyScope } from "@/lib/api-keys/key";

export interface ApiPrincipal {
  keyId: string;
  scope: KeyScope;
  /** The only organization an ORGANIZATION key may act on; null for PLATFORM keys. */
  organizationId: string | null;
}

export type ApiAuthResult = { ok: true; principal: ApiPrincipal } | { ok: false; message: string };

/** How stale `lastUsedAt` may get before a request refreshes it (saves a write per request). */
const LAST_USED_RESOLUTION_MS = 60_000;

export async function authenticateApiKey(authorization: string | null, now = new Date()): Promise<ApiAuthResult> {
  const match = authorization?.match(/^Bearer\s+(\S+)$/i);
  if (!match) return { ok: false, message: "Send an API key as `Authorization: Bearer <key>`." };
  const key = match[1]!;
  if (!looksLikeApiKey(key)) return { ok: false, message: "The API key is malformed." };
  const row = await db.apiKey.findUnique({
    where: { hash: hashApiKey(key) },
    select: { id: true, scope: true, organizationId: true, revokedAt: true, lastUsedAt: true },
  });
  if (!row) return { ok: false, message: "The API key is not valid." };
  if (row.revokedAt) return { ok: false, message: "The API key was revoked." };
  if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() > LAST_USED_RESOLUTION_MS) {
    await db.apiKey.update({ where: { id: row.id }, data: { lastUsedAt: now } });
  }
  return { ok: true, principal: { keyId: row.id, scope: row.scope, organizationId: row.organizationId } };
}

/** Whether the principal may act on the organization. */
export function mayActOn(principal: ApiPrincipal, organizationId: string): boolean {
  return principal.scope === "PLATFORM" || principal.organizationId === organizationId;
}
