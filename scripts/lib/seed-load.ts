import pg from "pg";
import { SEED_CATALOG } from "../../lib/catalog/seed-catalog";
import { DEFAULT_RETRY_SCHEDULE } from "../../lib/delivery/schedule";
import { publicId } from "../../lib/ids";

/**
 * Fills an organization with N messages for load tests and benchmarks, in set-based statements
 * (INSERT … SELECT over generate_series, BATCH messages with their deliveries and attempts per
 * statement): a million messages load in minutes, not hours.
 *
 * The history is one message a minute ending now, so 10,000 messages cover a week and 1,000,000
 * cover about two years at the same rate: a larger load is a longer history, which is what the
 * benchmark compares. 15 event types, 10 endpoints (two types no endpoint subscribes to). The
 * endpoints point at 127.0.0.1:9 (discard) and are created disabled, and every delivery is already
 * finished or scheduled in the data, so nothing is ever sent.
 *
 * Mix per delivery: ~93 % one successful attempt, ~3 % success on the 2nd or 3rd attempt, ~4 %
 * failed after all 8 attempts; the endpoint "billing-failing" fails every attempt; deliveries of
 * the last two hours include pending retries and a few in flight.
 */

export const LOAD_INTERVAL_MS = 60_000;
const BATCH = 20_000;
const ENDPOINTS = 10;

export interface LoadOptions {
  messages: number;
  orgSlug: string;
  log?: (line: string) => void;
  now?: Date;
}

/** Offsets of each attempt from the message's time under the default schedule (attempt n at index n-1). */
const OFFSETS_MS = DEFAULT_RETRY_SCHEDULE.reduce<number[]>((acc, wait, i) => [...acc, (acc[i - 1] ?? 0) + wait], []);

/** Endpoint k subscribes to three types; types 13 and 14 have no subscriber ("No endpoint subscribed"). */
function subscriptions(k: number, types: string[]): string[] {
  return [types[k]!, types[(k + 1) % 13]!, types[(k + 4) % 13]!];
}

export async function seedLoad(url: string, options: LoadOptions): Promise<{ organizationId: string; messages: number; seconds: number }> {
  const log = options.log ?? (() => {});
  const now = options.now ?? new Date();
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const started = performance.now();
  try {
    const types = SEED_CATALOG.map((t) => t.name);
    if (types.length < 15) throw new Error(`the load needs 15 event types, the seed catalog has ${types.length}`);
    const org = await client.query<{ id: string }>(
      `INSERT INTO "Organization" (id, name, slug, "webhooksEnabled", "createdAt", "updatedAt")
       VALUES ('org_' || replace(gen_random_uuid()::text, '-', ''), $1, $2, true, now(), now())
       ON CONFLICT (slug) DO UPDATE SET slug = EXCLUDED.slug RETURNING id`,
      [`Load ${options.orgSlug}`, options.orgSlug],
    );
    const organizationId = org.rows[0]!.id;
    const existing = await client.query<{ n: number }>(`SELECT count(*)::int AS n FROM "Message" WHERE "organizationId" = $1`, [organizationId]);
    if (existing.rows[0]!.n > 0) throw new Error(`organization ${options.orgSlug} already has ${existing.rows[0]!.n} messages: load into another --org`);

    for (let k = 0; k < ENDPOINTS; k++) {
      const failing = k === ENDPOINTS - 1;
      await client.query(
        `INSERT INTO "Endpoint" (id, "organizationId", url, description, "eventTypes", disabled, "createdAt", "updatedAt")
         VALUES ($1, $2, $3, $4, $5, true, $6, $6)`,
        [publicId("ep"), organizationId, `http://127.0.0.1:9/load/${options.orgSlug}/${k + 1}`, failing ? "billing-failing" : `load endpoint ${k + 1}`, subscriptions(k, types), new Date(now.getTime() - options.messages * LOAD_INTERVAL_MS - 86_400_000)],
      );
    }

    for (let lo = 0; lo < options.messages; lo += BATCH) {
      const hi = Math.min(options.messages, lo + BATCH) - 1;
      await client.query(LOAD_BATCH, [organizationId, lo, hi, options.messages, now, LOAD_INTERVAL_MS, types, OFFSETS_MS]);
      log(`${hi + 1} / ${options.messages} messages (${Math.round((performance.now() - started) / 1000)} s)`);
    }
    log("vacuum analyze (visibility map for index-only scans, fresh statistics)");
    await client.query(`VACUUM ANALYZE "Message", "Delivery", "Attempt"`);
    return { organizationId, messages: options.messages, seconds: Math.round((performance.now() - started) / 1000) };
  } finally {
    await client.end();
  }
}

/**
 * One batch: messages lo..hi, their deliveries (one per subscribed endpoint), their attempts.
 * $1 org, $2 lo, $3 hi, $4 total, $5 now, $6 interval ms, $7 type names, $8 attempt offsets ms.
 * `roll` is a stable pseudo-random 0..99 per delivery that picks its fate.
 */
const LOAD_BATCH = `
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
  SELECT 'dlv_' || substr(md5(m.id || e.id), 1, 24), $1, m.id, e.id, f.status::"DeliveryStatus", f.attempts,
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
SELECT 'att_' || substr(md5(d.id || ':' || k), 1, 24), d.id, d."messageId", d."endpointId", k, 'SCHEDULED', e.url,
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
