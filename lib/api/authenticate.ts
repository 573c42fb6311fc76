import { apiKeyCache } from "@/lib/api-keys/cache";
import { hashApiKey, looksLikeApiKey, type KeyScope } from "@/lib/api-keys/key";
import { db } from "@/lib/db";

export interface ApiPrincipal {
  keyId: string;
  scope: KeyScope;
  /** The only organization an ORGANIZATION key may act on; null for PLATFORM keys. */
  organizationId: string | null;
  /** How the audit log names the key: its name and prefix. */
  label: string;
}

export type ApiAuthResult = { ok: true; principal: ApiPrincipal } | { ok: false; message: string };

/** How stale `lastUsedAt` may get before a request refreshes it (saves a write per request). */
const LAST_USED_RESOLUTION_MS = 60_000;

/** When this process last wrote each key's `lastUsedAt` (the cached row's value goes stale). */
const lastUsedWritten = new Map<string, number>();

/** The credential of an `Authorization: Bearer <credential>` header, or null. */
export function bearerOf(authorization: string | null): string | null {
  return authorization?.match(/^Bearer\s+(\S+)$/i)?.[1] ?? null;
}

export async function authenticateApiKey(authorization: string | null, now = new Date()): Promise<ApiAuthResult> {
  const key = bearerOf(authorization);
  if (!key) return { ok: false, message: "Send an API key as `Authorization: Bearer <key>`." };
  if (!looksLikeApiKey(key)) return { ok: false, message: "The API key is malformed." };
  const row = await apiKeyCache.get(hashApiKey(key), now.getTime());
  if (!row) return { ok: false, message: "The API key is not valid." };
  if (row.revokedAt) return { ok: false, message: "The API key was revoked." };
  const lastUsed = Math.max(row.lastUsedAt?.getTime() ?? 0, lastUsedWritten.get(row.id) ?? 0);
  if (now.getTime() - lastUsed > LAST_USED_RESOLUTION_MS) {
    lastUsedWritten.set(row.id, now.getTime());
    await db.apiKey.update({ where: { id: row.id }, data: { lastUsedAt: now } });
  }
  return { ok: true, principal: { keyId: row.id, scope: row.scope, organizationId: row.organizationId, label: `API key "${row.name}" (${row.prefix}…)` } };
}

/** Whether the principal may act on the organization. */
export function mayActOn(principal: ApiPrincipal, organizationId: string): boolean {
  return principal.scope === "PLATFORM" || principal.organizationId === organizationId;
}
