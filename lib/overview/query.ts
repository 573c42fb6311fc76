import { db } from "@/lib/db";
import { Prisma } from "@/lib/generated/prisma/client";
import { isPlatformOrganization } from "@/lib/operational/platform";
import { overviewWindow, type OverviewRange } from "@/lib/overview/range";
import type { FailingEndpoint, Overview, OverviewBucket } from "@/lib/overview/wire";
import { endpointPath, operatorEndpointPath } from "@/lib/routes";

/**
 * The delivery overview of the platform (every organization, the platform organization's operator
 * endpoints included) or of one organization, over a range of clock-aligned buckets.
 *
 * Backlog history is computed from timestamps the delivery store already keeps, not sampled: a
 * delivery waits from when it is due (created, or its message's `deliverAt`) until its first
 * scheduled attempt starts (attempt 1's `startedAt`). So the history needs no sampler, no table and
 * no purge, is exact for any past bucket, and a new range or bucket size needs no migration. Left
 * out: a delivery that ended without any attempt (its endpoint disabled or deleted before its turn),
 * and one whose first attempt is in flight (for at most the attempt timeout) until it is recorded.
 */
export type OverviewScope = { organizationId: string } | "platform";

const TOP_FAILING = 5;
/** date_bin's origin: any midnight UTC; buckets then start on whole minutes and hours UTC. */
const ORIGIN = Prisma.sql`TIMESTAMP '2001-01-01 00:00:00'`;

/** Attempts of the scope: every attempt, or those to the organization's endpoints (deleted ones included). */
function attemptsOf(scope: OverviewScope): Prisma.Sql {
  return scope === "platform" ? Prisma.empty : Prisma.sql`AND a."endpointId" IN (SELECT id FROM "Endpoint" WHERE "organizationId" = ${scope.organizationId})`;
}

function endpointsOf(scope: OverviewScope): Prisma.Sql {
  return scope === "platform" ? Prisma.empty : Prisma.sql`WHERE e."organizationId" = ${scope.organizationId}`;
}

/** Deliveries due by `before` that no attempt has started yet (PENDING with no attempt made). */
function waiting(scope: OverviewScope, before: Date): Prisma.Sql {
  // From the endpoints: each probe reads one range of (endpointId, status, createdAt, id).
  return Prisma.sql`
    SELECT coalesce(d."nextAttemptAt", d."createdAt") AS due
      FROM "Endpoint" e
      JOIN "Delivery" d ON d."endpointId" = e.id AND d.status = 'PENDING' AND d."attemptCount" = 0
           AND coalesce(d."nextAttemptAt", d."createdAt") <= ${before}::timestamp
     ${endpointsOf(scope)}`;
}

const epochMs = (column: Prisma.Sql) => Prisma.sql`(extract(epoch FROM ${column}) * 1000)::float8`;

interface AttemptRow {
  bin: number;
  succeeded: number;
  failed: number;
}

interface FirstAttemptRow {
  kind: "in" | "out" | "p95" | "p95-all";
  bin: number | null;
  value: number | null;
}

export async function readOverview(scope: OverviewScope, range: OverviewRange, now: Date = new Date()): Promise<Overview> {
  const { start, end, bucketMs, buckets: count } = overviewWindow(range, now);
  const interval = Prisma.sql`${`${bucketMs / 1000} seconds`}::interval`;
  const from = Prisma.sql`${start}::timestamp`;
  const to = Prisma.sql`${end}::timestamp`;

  const [attempts, firsts, backlogNow, failing] = await Promise.all([
    db.$queryRaw<AttemptRow[]>`
      SELECT ${epochMs(Prisma.sql`date_bin(${interval}, a."startedAt", ${ORIGIN})`)} AS bin,
             count(*) FILTER (WHERE a.succeeded)::int AS succeeded, count(*) FILTER (WHERE NOT a.succeeded)::int AS failed
        FROM "Attempt" a
       WHERE a."startedAt" >= ${from} AND a."startedAt" < ${to} ${attemptsOf(scope)}
       GROUP BY 1`,
    // One pass over the window's first attempts gives both the backlog's departures and the
    // accept → first attempt wait; the deliveries still waiting are the rest of the backlog. Each
    // row's bins are computed once, and the moves are counted per bin, not listed.
    db.$queryRaw<FirstAttemptRow[]>`
      WITH first AS MATERIALIZED (
        SELECT date_bin(${interval}, greatest(f.due, ${from}), ${ORIGIN}) AS joined, date_bin(${interval}, f.left_at, ${ORIGIN}) AS left_bin,
               ${epochMs(Prisma.sql`greatest(f.left_at - f.due, '0'::interval)`)} AS wait
          FROM (
            SELECT greatest(d."createdAt", coalesce(m."deliverAt", d."createdAt")) AS due, a."startedAt" AS left_at
              FROM "Attempt" a
              JOIN "Delivery" d ON d.id = a."deliveryId"
              JOIN "Message" m ON m.id = a."messageId"
             WHERE a."startedAt" >= ${from} AND a."startedAt" < ${to}
               AND a.trigger = 'SCHEDULED' AND a."attemptNumber" = 1 ${attemptsOf(scope)}) f
      )
      SELECT 'in' AS kind, ${epochMs(Prisma.sql`joined`)} AS bin, count(*)::float8 AS value FROM first GROUP BY joined
      UNION ALL
      SELECT 'in', ${epochMs(Prisma.sql`date_bin(${interval}, greatest(s.due, ${from}), ${ORIGIN})`)}, count(*)::float8 FROM (${waiting(scope, end)}) s GROUP BY 2
      UNION ALL
      SELECT 'out', ${epochMs(Prisma.sql`left_bin`)}, count(*)::float8 FROM first GROUP BY left_bin
      UNION ALL
      SELECT 'p95', ${epochMs(Prisma.sql`left_bin`)}, percentile_cont(0.95) WITHIN GROUP (ORDER BY wait) FROM first GROUP BY left_bin
      UNION ALL
      SELECT 'p95-all', NULL, percentile_cont(0.95) WITHIN GROUP (ORDER BY wait) FROM first`,
    db.$queryRaw<{ count: number; oldest: number | null }[]>`
      SELECT count(*)::int AS count, ${epochMs(Prisma.sql`min(w.due)`)} AS oldest FROM (${waiting(scope, end)}) w`,
    db.$queryRaw<{ endpointId: string; attempts: number; failed: number }[]>`
      SELECT a."endpointId", count(*)::int AS attempts, count(*) FILTER (WHERE NOT a.succeeded)::int AS failed
        FROM "Attempt" a
       WHERE a."startedAt" >= ${from} AND a."startedAt" < ${to} ${attemptsOf(scope)}
       GROUP BY 1
      HAVING count(*) FILTER (WHERE NOT a.succeeded) > 0
       ORDER BY 3 DESC, 1
       LIMIT ${TOP_FAILING}`,
  ]);

  const buckets: OverviewBucket[] = Array.from({ length: count }, (_, i) => ({
    start: start.getTime() + i * bucketMs,
    succeeded: 0,
    failed: 0,
    failureRate: null,
    backlog: 0,
    p95FirstAttemptMs: null,
  }));
  const at = (bin: number) => buckets[Math.round((bin - start.getTime()) / bucketMs)];
  for (const row of attempts) {
    const bucket = at(row.bin);
    if (!bucket) continue;
    bucket.succeeded = row.succeeded;
    bucket.failed = row.failed;
    bucket.failureRate = row.failed / (row.succeeded + row.failed);
  }
  const moves = new Array<number>(count).fill(0);
  let p95All: number | null = null;
  for (const row of firsts) {
    if (row.kind === "p95-all") p95All = row.value;
    else if (row.bin !== null) {
      const index = Math.round((row.bin - start.getTime()) / bucketMs);
      if (index < 0 || index >= count) continue;
      if (row.kind === "p95") buckets[index]!.p95FirstAttemptMs = row.value;
      else moves[index]! += (row.kind === "in" ? 1 : -1) * (row.value ?? 0);
    }
  }
  let backlog = 0;
  moves.forEach((delta, i) => {
    backlog += delta;
    buckets[i]!.backlog = backlog;
  });

  const succeeded = buckets.reduce((n, b) => n + b.succeeded, 0);
  const failed = buckets.reduce((n, b) => n + b.failed, 0);
  return {
    range,
    bucketMs,
    at: now.getTime(),
    totals: { succeeded, failed, failureRate: succeeded + failed === 0 ? null : failed / (succeeded + failed), p95FirstAttemptMs: p95All },
    backlog: { count: backlogNow[0]?.count ?? 0, oldestDueAt: backlogNow[0]?.oldest ?? null },
    buckets,
    topFailing: await describeFailing(failing),
  };
}

async function describeFailing(rows: { endpointId: string; attempts: number; failed: number }[]): Promise<FailingEndpoint[]> {
  if (rows.length === 0) return [];
  const endpoints = await db.endpoint.findMany({
    where: { id: { in: rows.map((r) => r.endpointId) } },
    select: { id: true, url: true, description: true, organization: { select: { slug: true, name: true } } },
  });
  const byId = new Map(endpoints.map((e) => [e.id, e]));
  return rows.flatMap((row) => {
    const endpoint = byId.get(row.endpointId);
    if (!endpoint) return [];
    const { slug, name } = endpoint.organization;
    return [
      {
        endpointId: endpoint.id,
        name: endpoint.description || endpoint.url,
        url: endpoint.url,
        organization: { slug, name },
        href: isPlatformOrganization(slug) ? operatorEndpointPath(endpoint.id) : endpointPath(slug, endpoint.id),
        attempts: row.attempts,
        failed: row.failed,
      },
    ];
  });
}
