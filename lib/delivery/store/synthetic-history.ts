import type pg from "pg";
import { ids } from "@/lib/ids";

/**
 * Synthetic delivery history for load tests and benchmarks (`npm run seed:load`,
 * scripts/lib/seed-load.ts): the delivery store's one other writer of deliveries and attempts,
 * which writes finished or scheduled history that is never sent (its endpoints are disabled).
 */

export interface SyntheticBatch {
  organizationId: string;
  /** Messages lo..hi (inclusive) of `total`, one every `intervalMs`, the last one at `now`. */
  lo: number;
  hi: number;
  total: number;
  now: Date;
  intervalMs: number;
  /** 15 event type names. */
  types: string[];
  /** Offset of each attempt from its message under the retry schedule (attempt n at index n - 1). */
  offsetsMs: number[];
}

export async function insertSyntheticHistory(client: Pick<pg.Client, "query">, b: SyntheticBatch): Promise<void> {
  await client.query(BATCH, [b.organizationId, b.lo, b.hi, b.total, b.now, b.intervalMs, b.types, b.offsetsMs]);
}

/**
 * One batch: messages lo..hi, their deliveries (one per subscribed endpoint), their attempts.
 * $1 org, $2 lo, $3 hi, $4 total, $5 now, $6 interval ms, $7 type names, $8 attempt offsets ms.
 * `roll` is a stable pseudo-random 0..99 per delivery that picks its fate.
 */
const BATCH = `
WITH m AS (
  INSERT INTO "Message" (id, "organizationId", "eventType", "eventId", body, "createdAt")
  SELECT 'msg_' || substr(md5($1 || ':' || i), 1, 22), $1, t.name,
         CASE WHEN i % 2 = 0 THEN 'evt-' || i END,
         json_build_object('type', t.name, 'contract', json_build_object('id', 'ctr_' || i, 'customer', json_build_object('id', 'cus_' || (i % 5000)), 'amount', i % 1000),
                           'sequence', i)::text,
         $5::timestamp - make_interval(secs => ($4::bigint - i) * $6::bigint / 1000.0)
    FROM generate_series($2::int, $3::int) i
    CROSS JOIN LATERAL (SELECT ($7::text[])[1 + abs(hashint4(i)::bigint) % 15] AS name) t
  RETURNING id, "eventType", "createdAt"
), d AS (
  INSERT INTO "Delivery" (id, "organizationId", "messageId", "endpointId", status, "attemptCount", "nextAttemptAt", "lastAttemptAt", "failureReason", "createdAt", "updatedAt")
  SELECT '${ids.delivery.prefix}_' || substr(md5(m.id || e.id), 1, 24), $1, m.id, e.id, f.status::"DeliveryStatus", f.attempts,
         CASE WHEN f.status = 'PENDING' THEN m."createdAt" + make_interval(secs => ($8::bigint[])[f.attempts + 1] / 1000.0) END,
         CASE WHEN f.attempts > 0 THEN m."createdAt" + make_interval(secs => ($8::bigint[])[f.attempts] / 1000.0) END,
         CASE WHEN f.status = 'FAILED' THEN 'all 8 attempts failed; last: HTTP 500 Internal Server Error' END,
         m."createdAt", m."createdAt"
    FROM m
    JOIN "Endpoint" e ON e."organizationId" = $1 AND m."eventType" = ANY (e."eventTypes")
    CROSS JOIN LATERAL (SELECT abs(hashtext(m.id || e.id)::bigint) % 100 AS roll, m."createdAt" > $5::timestamp - interval '2 hours' AS recent,
                               m."createdAt" > $5::timestamp - interval '1 minute' AS inflight, e.description = 'billing-failing' AS failing,
                               -- attempts already due by now: a young message cannot have all 8 behind it
                               (SELECT count(*)::int FROM unnest($8::bigint[]) o WHERE o <= extract(epoch FROM $5::timestamp - m."createdAt") * 1000) AS due) r
    CROSS JOIN LATERAL (SELECT CASE
        WHEN r.inflight AND r.roll < 20 THEN 'SENDING'
        WHEN r.failing OR r.roll < 4 THEN CASE WHEN r.due = 8 THEN 'FAILED' ELSE 'PENDING' END
        WHEN r.recent AND r.roll < 10 THEN 'PENDING'
        ELSE 'SUCCEEDED' END AS status) s
    CROSS JOIN LATERAL (SELECT s.status, CASE
        WHEN s.status = 'SENDING' THEN 1
        WHEN r.failing OR r.roll < 4 THEN r.due
        WHEN s.status = 'PENDING' THEN least(1 + r.roll % 3, r.due)
        WHEN r.roll < 7 THEN least(2 + r.roll % 2, r.due)
        ELSE 1 END AS attempts) f
  RETURNING id, "messageId", "endpointId", status, "attemptCount", "createdAt"
)
INSERT INTO "Attempt" (id, "deliveryId", "messageId", "endpointId", "attemptNumber", trigger, url, "startedAt", "durationMs", succeeded,
                       "statusCode", "responseHeaders", "responseBody", "responseBodyTruncated", "errorKind", "errorMessage")
SELECT '${ids.attempt.prefix}_' || substr(md5(d.id || ':' || k), 1, 24), d.id, d."messageId", d."endpointId", k, 'SCHEDULED', e.url,
       d."createdAt" + make_interval(secs => ($8::bigint[])[k] / 1000.0),
       20 + abs(hashtext(d.id)::bigint + k) % 280, ok,
       CASE WHEN ok THEN 200 WHEN k % 3 = 2 THEN NULL ELSE 500 END,
       CASE WHEN k % 3 = 2 AND NOT ok THEN NULL ELSE '{"content-type":"application/json"}'::jsonb END,
       CASE WHEN ok THEN '{"received":true}' WHEN k % 3 = 2 THEN '' ELSE '{"error":"internal"}' END,
       false,
       CASE WHEN ok THEN NULL WHEN k % 3 = 2 THEN 'timeout' ELSE 'http_status' END,
       CASE WHEN ok THEN NULL WHEN k % 3 = 2 THEN 'no complete response within 15000 ms' ELSE 'HTTP 500' END
  FROM d
  JOIN "Endpoint" e ON e.id = d."endpointId"
  -- A delivery in flight has its attempt started but not recorded yet.
  CROSS JOIN LATERAL generate_series(1, CASE WHEN d.status = 'SENDING' THEN 0 ELSE d."attemptCount" END) k
  CROSS JOIN LATERAL (SELECT d.status = 'SUCCEEDED' AND k = d."attemptCount" AS ok) o
`;
