import { createHash } from "node:crypto";
import { problem } from "@/lib/api/problem";
import { sqlPool } from "@/lib/db/pool";
import type { Prisma } from "@/lib/generated/prisma/client";
import { errorFields, loggerFor } from "@/lib/observability/log";

/**
 * `idempotency-key` on POSTs, as Svix has it (its SDKs send one on every POST and retry a 5xx
 * with the same key): the first answer to a key is kept 24 hours per API key; the same key with
 * the same method, path and body gets that answer again (with `idempotent-replayed: true`), the
 * same key with anything else is refused, and a key whose first request is still running answers
 * 409. A 5xx is not kept, so the retry runs the request again.
 */

export const IDEMPOTENCY_TTL_HOURS = 24;
export const IDEMPOTENCY_TTL_MS = IDEMPOTENCY_TTL_HOURS * 3_600_000;
const MAX_KEY_LENGTH = 255;
const ABANDONED_AFTER_SECONDS = 60;

export interface IdempotencyClaim {
  apiKeyId: string;
  key: string;
}

export type IdempotencyStart = { kind: "claimed"; claim: IdempotencyClaim } | { kind: "replay"; response: Response } | { kind: "refused"; response: Response };

const CLAIM_SQL = `
INSERT INTO "IdempotencyRecord" ("apiKeyId", "key", "requestHash") VALUES ($1, $2, $3)
ON CONFLICT ("apiKeyId", "key") DO UPDATE SET "requestHash" = EXCLUDED."requestHash", "status" = NULL, "responseBody" = NULL, "createdAt" = now()
  WHERE "IdempotencyRecord"."createdAt" < now() - make_interval(hours => ${IDEMPOTENCY_TTL_HOURS})
     -- A first request that never finished (its process died) frees the key after a minute.
     OR ("IdempotencyRecord"."status" IS NULL AND "IdempotencyRecord"."createdAt" < now() - interval '${ABANDONED_AFTER_SECONDS} seconds')
RETURNING 1`;

const READ_SQL = `SELECT "requestHash", "status", "responseBody" FROM "IdempotencyRecord" WHERE "apiKeyId" = $1 AND "key" = $2`;

export async function beginIdempotent(apiKeyId: string, key: string, request: string): Promise<IdempotencyStart> {
  if (key.length > MAX_KEY_LENGTH) {
    return { kind: "refused", response: problem("invalid_body", `The idempotency-key header is longer than ${MAX_KEY_LENGTH} characters.`, [{ loc: ["header", "idempotency-key"], msg: `At most ${MAX_KEY_LENGTH} characters`, type: "too_big" }]) };
  }
  const hash = createHash("sha256").update(request).digest("hex");
  const pool = sqlPool();
  // Twice at most: the first answer may be deleted (a 5xx) between the insert and the read.
  for (let i = 0; i < 2; i++) {
    const claimed = await pool.query(CLAIM_SQL, [apiKeyId, key, hash]);
    if (claimed.rowCount) return { kind: "claimed", claim: { apiKeyId, key } };
    const { rows } = await pool.query<{ requestHash: string; status: number | null; responseBody: string | null }>(READ_SQL, [apiKeyId, key]);
    const row = rows[0];
    if (!row) continue;
    if (row.status === null) {
      return { kind: "refused", response: problem("idempotency_key_in_use", "A request with this idempotency-key is still being handled: retry in a moment to get its answer.", null, { headers: { "retry-after": "1" } }) };
    }
    if (row.requestHash !== hash) {
      return {
        kind: "refused",
        response: problem("idempotency_key_reused", "This idempotency-key was already used with a different request in the last 24 hours: use a new key for a new request.", [
          { loc: ["header", "idempotency-key"], msg: "Already used with a different method, path or body", type: "idempotency_key_reused" },
        ]),
      };
    }
    const headers = { "content-type": "application/json", "cache-control": "no-store", "idempotent-replayed": "true" };
    return { kind: "replay", response: new Response(row.status === 204 ? null : row.responseBody, { status: row.status, headers }) };
  }
  throw new Error("idempotency record changed twice while it was read");
}

/** Keeps the answer of a claimed key (or frees the key after a 5xx) and returns the response to send. */
export async function finishIdempotent(claim: IdempotencyClaim, response: Response): Promise<Response> {
  const pool = sqlPool();
  try {
    if (response.status >= 500) {
      await pool.query(`DELETE FROM "IdempotencyRecord" WHERE "apiKeyId" = $1 AND "key" = $2`, [claim.apiKeyId, claim.key]);
      return response;
    }
    const text = response.status === 204 ? "" : await response.clone().text();
    await pool.query(`UPDATE "IdempotencyRecord" SET "status" = $3, "responseBody" = $4 WHERE "apiKeyId" = $1 AND "key" = $2`, [claim.apiKeyId, claim.key, response.status, text]);
  } catch (error) {
    // The request itself is done: answer it. The key stays "in progress" and frees itself after a minute.
    loggerFor("[api]").error(errorFields(error), "could not record the answer of an idempotency-key");
  }
  return response;
}

/** Deletes up to `batchSize` records created before `cutoff` (the retention function passes 24 hours ago); returns how many. */
export async function deleteIdempotencyRecordsBefore(cutoff: Date, batchSize: number): Promise<number> {
  const result = await sqlPool().query(
    `DELETE FROM "IdempotencyRecord" WHERE ctid = ANY(ARRAY(SELECT ctid FROM "IdempotencyRecord" WHERE "createdAt" < $1 ORDER BY "createdAt" LIMIT $2 FOR UPDATE SKIP LOCKED))`,
    [cutoff, batchSize],
  );
  return result.rowCount ?? 0;
}

/** How far from a message's time the answer that created it was kept: the key is claimed just before the message is recorded. */
const ANSWER_WINDOW_MS = { before: 10 * 60_000, after: 60_000 };

/**
 * A message's content expunged (lib/messages/expunge.ts): the answer of the POST that created it
 * (kept here for 24 hours with its payload) keeps its id and fields, its payload becomes what an
 * expunged message's is. A replay of that POST then answers the same message without its content.
 * Only the records of the minutes around the message's creation are read.
 */
export async function expungeKeptAnswers(tx: Pick<Prisma.TransactionClient, "$executeRaw">, message: { id: string; createdAt: Date }, expiredPayload: string): Promise<number> {
  const from = new Date(message.createdAt.getTime() - ANSWER_WINDOW_MS.before);
  const to = new Date(message.createdAt.getTime() + ANSWER_WINDOW_MS.after);
  // LIKE narrows to answers naming the id (its `_` escaped); the JSON check then reads only those.
  const naming = `%"id":"${message.id.replaceAll("\\", "\\\\").replaceAll("%", "\\%").replaceAll("_", "\\_")}"%`;
  return tx.$executeRaw`
    UPDATE "IdempotencyRecord" SET "responseBody" = jsonb_set("responseBody"::jsonb, '{payload}', ${expiredPayload}::jsonb)::text
     WHERE "createdAt" >= ${from} AND "createdAt" <= ${to} AND "status" IS NOT NULL
       AND CASE WHEN "responseBody" LIKE ${naming} THEN ("responseBody"::jsonb ->> 'id') = ${message.id} AND ("responseBody"::jsonb -> 'payload') IS NOT NULL ELSE false END`;
}
