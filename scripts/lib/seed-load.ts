import pg from "pg";
import { SEED_CATALOG } from "../../lib/catalog/seed-catalog";
import { DEFAULT_RETRY_SCHEDULE } from "../../lib/delivery/schedule";
import { insertSyntheticHistory } from "../../lib/delivery/store/synthetic-history";
import { ids } from "../../lib/ids";

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
        [ids.endpoint.generate(), organizationId, `http://127.0.0.1:9/load/${options.orgSlug}/${k + 1}`, failing ? "billing-failing" : `load endpoint ${k + 1}`, subscriptions(k, types), new Date(now.getTime() - options.messages * LOAD_INTERVAL_MS - 86_400_000)],
      );
    }

    for (let lo = 0; lo < options.messages; lo += BATCH) {
      const hi = Math.min(options.messages, lo + BATCH) - 1;
      await insertSyntheticHistory(client, { organizationId, lo, hi, total: options.messages, now, intervalMs: LOAD_INTERVAL_MS, types, offsetsMs: OFFSETS_MS });
      log(`${hi + 1} / ${options.messages} messages (${Math.round((performance.now() - started) / 1000)} s)`);
    }
    log("vacuum analyze (visibility map for index-only scans, fresh statistics)");
    await client.query(`VACUUM ANALYZE "Message", "Delivery", "Attempt"`);
    return { organizationId, messages: options.messages, seconds: Math.round((performance.now() - started) / 1000) };
  } finally {
    await client.end();
  }
}
