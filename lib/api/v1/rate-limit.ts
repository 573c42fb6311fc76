import { sqlPool } from "@/lib/db/pool";
import { apiConfig } from "@/lib/api/v1/config";

/**
 * Per-API-key request limit, shared by every process: at most N requests in each one-second
 * window of the database clock. One statement per request upserts the key's window and returns
 * its count, so processes agree without a lock beyond the row's.
 */
const TAKE_SQL = `
INSERT INTO "ApiRateWindow" ("apiKeyId", "windowStart", "count")
VALUES ($1, date_trunc('second', clock_timestamp()), 1)
ON CONFLICT ("apiKeyId") DO UPDATE SET
  "count" = CASE WHEN "ApiRateWindow"."windowStart" = EXCLUDED."windowStart" THEN "ApiRateWindow"."count" + 1 ELSE 1 END,
  "windowStart" = EXCLUDED."windowStart"
RETURNING "count"`;

export type RateDecision = { ok: true } | { ok: false; limit: number; retryAfterSeconds: number };

export async function takeRateToken(apiKeyId: string, limit = apiConfig().API_RATE_LIMIT_PER_SECOND): Promise<RateDecision> {
  if (limit === 0) return { ok: true };
  const { rows } = await sqlPool().query<{ count: number }>(TAKE_SQL, [apiKeyId]);
  const count = rows[0]?.count ?? 0;
  // The window is one second: whatever part of it is left, the next one starts within a second.
  return count <= limit ? { ok: true } : { ok: false, limit, retryAfterSeconds: 1 };
}
