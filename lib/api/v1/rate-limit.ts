import { sqlPool } from "@/lib/db/pool";
import { apiConfig } from "@/lib/api/v1/config";

/**
 * Per-API-key request limit, shared by every process: at most N requests in each one-second
 * window. The count lives in PostgreSQL (`ApiRateWindow`, one unlogged row per key, windows of the
 * database clock); a process reserves requests from it in chunks of 5% of the limit and spends
 * them locally, so a busy key costs one statement per chunk rather than one per request (the
 * statement per request took a fifth of the message API's throughput: docs/benchmarks.md). A
 * chunk reserved but not spent by the end of its second is lost; with several API processes a key
 * can therefore be refused slightly before N (at most one chunk per process).
 */
const RESERVE_SQL = `
INSERT INTO "ApiRateWindow" ("apiKeyId", "windowStart", "count")
VALUES ($1, date_trunc('second', clock_timestamp()), $2)
ON CONFLICT ("apiKeyId") DO UPDATE SET
  "count" = CASE WHEN "ApiRateWindow"."windowStart" = EXCLUDED."windowStart" THEN "ApiRateWindow"."count" + EXCLUDED."count" ELSE EXCLUDED."count" END,
  "windowStart" = EXCLUDED."windowStart"
RETURNING "count"`;

export type RateDecision = { ok: true } | { ok: false; limit: number; retryAfterSeconds: number };

interface Budget {
  /** The second (this process's clock) the reservation is spent in. */
  second: number;
  left: number;
  /** The database said the window is full: refuse until the next second without asking again. */
  full: boolean;
}

const budgets = new Map<string, Budget>();
const MAX_PASSES = 20;
const reserving = new Map<string, Promise<void>>();

export function rateChunk(limit: number): number {
  return Math.max(1, Math.ceil(limit * 0.05));
}

async function reserve(apiKeyId: string, limit: number): Promise<void> {
  const chunk = rateChunk(limit);
  const { rows } = await sqlPool().query<{ count: number }>(RESERVE_SQL, [apiKeyId, chunk]);
  const counted = rows[0]?.count ?? chunk;
  const granted = Math.max(0, Math.min(chunk, limit - (counted - chunk)));
  budgets.set(apiKeyId, { second: Math.floor(Date.now() / 1000), left: granted, full: granted === 0 });
}

export async function takeRateToken(apiKeyId: string, limit = apiConfig().API_RATE_LIMIT_PER_SECOND): Promise<RateDecision> {
  if (limit === 0) return { ok: true };
  // More waiters than a chunk serves ask again; a reservation made just before the second turned
  // is spent in the old second. Each pass either spends, or reserves (granted or "full").
  for (let i = 0; i < MAX_PASSES; i++) {
    const budget = budgets.get(apiKeyId);
    if (budget && budget.second === Math.floor(Date.now() / 1000)) {
      if (budget.left > 0) {
        budget.left--;
        return { ok: true };
      }
      if (budget.full) break;
    }
    // Requests arriving while a reservation is under way wait for it instead of making their own.
    let pending = reserving.get(apiKeyId);
    if (!pending) {
      pending = reserve(apiKeyId, limit).finally(() => reserving.delete(apiKeyId));
      reserving.set(apiKeyId, pending);
    }
    await pending;
  }
  // The window is one second: whatever part of it is left, the next one starts within a second.
  return { ok: false, limit, retryAfterSeconds: 1 };
}
