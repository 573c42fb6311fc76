import { db } from "@/lib/db";
import { NotifiedCache } from "@/lib/db/notified-cache";

/**
 * Keys by hash, per process: every API call needs its key, and keys change rarely. A revocation
 * by any process reaches every cache through the `api_key_changed` trigger (its migration).
 */
export const apiKeyCache = new NotifiedCache({
  channel: "api_key_changed",
  databaseUrl: () => process.env.DATABASE_URL,
  load: (hash: string) =>
    db.apiKey.findUnique({ where: { hash }, select: { id: true, name: true, prefix: true, scope: true, organizationId: true, revokedAt: true, lastUsedAt: true } }),
});
