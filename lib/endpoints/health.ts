import { db } from "@/lib/db";
import { deliveryConfig } from "@/lib/delivery/config";
import { diagnose, type Diagnosis } from "@/lib/delivery/diagnosis";

/**
 * How an organization's endpoints are doing, for many endpoints in one statement (the endpoints
 * list asks for every row at once, never one query per row). Every part reads a bounded range of
 * an index: the last attempt, the last success, the last 7 days of attempts, the failure streak
 * (counted up to STREAK_CAP) and the pending backlog, so the cost does not grow with history.
 */

/** An endpoint is failing when this many attempts in a row failed, or every attempt so far did. */
export const FAILING_STREAK = 5;
/** The streak is counted up to here; beyond it the dashboard says "1,000+". */
export const STREAK_CAP = 1_000;

const HOUR = 3_600_000;
const WEEK_HOURS = 7 * 24;

export interface HourBucket {
  /** Start of the hour-long window; the last bucket ends now. */
  start: Date;
  attempts: number;
  failures: number;
}

export interface EndpointHealth {
  endpointId: string;
  lastAttempt: { startedAt: Date; succeeded: boolean; statusCode: number | null; diagnosis: Diagnosis } | null;
  last24h: { attempts: number; failures: number; /** 0 to 1; null without attempts. */ successRate: number | null };
  /** 24 buckets, oldest first. */
  hourly24h: HourBucket[];
  /** 168 buckets, oldest first. */
  hourly7d: HourBucket[];
  /** Failed attempts since the last success (at most STREAK_CAP). */
  failureStreak: number;
  failureStreakCapped: boolean;
  lastSuccessAt: Date | null;
  oldestPending: { createdAt: Date; messageId: string; nextAttemptAt: Date | null } | null;
  pendingCount: number;
  /** See FAILING_STREAK. */
  failing: boolean;
}

interface Row {
  endpointId: string;
  lastStartedAt: Date | null;
  lastSucceeded: boolean | null;
  lastStatusCode: number | null;
  lastDurationMs: number | null;
  lastErrorKind: string | null;
  lastErrorMessage: string | null;
  lastLocation: string | null;
  lastSuccessAt: Date | null;
  streak: number;
  /** [start of the hour-long bin, succeeded, count] over the last 7 days. */
  buckets: [string, boolean, number][];
  pendingCount: number;
  oldestPendingAt: Date | null;
  oldestPendingMessageId: string | null;
  oldestPendingNextAttemptAt: Date | null;
}

/** JSON gives the bins as timestamps without a zone; they are UTC, as every stored time. */
function series(buckets: Row["buckets"], hours: number, now: Date): HourBucket[] {
  const first = now.getTime() - hours * HOUR;
  const out = Array.from({ length: hours }, (_, i) => ({ start: new Date(first + i * HOUR), attempts: 0, failures: 0 }));
  for (const [bin, succeeded, count] of buckets) {
    const bucket = out[Math.round((Date.parse(`${bin}Z`) - first) / HOUR)];
    if (!bucket) continue;
    bucket.attempts += count;
    if (!succeeded) bucket.failures += count;
  }
  return out;
}

export async function endpointHealth(
  organizationId: string,
  endpointIds: readonly string[],
  options: { now?: Date; timeoutMs?: number } = {},
): Promise<Map<string, EndpointHealth>> {
  if (endpointIds.length === 0) return new Map();
  const now = options.now ?? new Date();
  const weekAgo = new Date(now.getTime() - WEEK_HOURS * HOUR);
  const timeoutMs = options.timeoutMs ?? deliveryConfig().attemptTimeoutMs;
  const rows = await db.$queryRaw<Row[]>`
    SELECT ep.id AS "endpointId",
           last."startedAt" AS "lastStartedAt", last.succeeded AS "lastSucceeded", last."statusCode" AS "lastStatusCode",
           last."durationMs" AS "lastDurationMs", last."errorKind" AS "lastErrorKind", last."errorMessage" AS "lastErrorMessage",
           last.location AS "lastLocation",
           success.at AS "lastSuccessAt",
           streak.n AS streak,
           hourly.buckets,
           pending.n AS "pendingCount", oldest."createdAt" AS "oldestPendingAt", oldest."messageId" AS "oldestPendingMessageId",
           oldest."nextAttemptAt" AS "oldestPendingNextAttemptAt"
      FROM "Endpoint" ep
      LEFT JOIN LATERAL (
        SELECT a."startedAt", a.succeeded, a."statusCode", a."durationMs", a."errorKind", a."errorMessage", a."responseHeaders"->>'location' AS location
          FROM "Attempt" a WHERE a."endpointId" = ep.id
         ORDER BY a."startedAt" DESC, a.id DESC LIMIT 1) last ON true
      LEFT JOIN LATERAL (
        SELECT max(a."startedAt") AS at FROM "Attempt" a WHERE a."endpointId" = ep.id AND a.succeeded) success ON true
      CROSS JOIN LATERAL (
        SELECT count(*)::int AS n FROM (
          SELECT 1 FROM "Attempt" a
           WHERE a."endpointId" = ep.id AND NOT a.succeeded AND a."startedAt" > coalesce(success.at, '-infinity'::timestamp)
           LIMIT ${STREAK_CAP + 1}) failed) streak
      CROSS JOIN LATERAL (
        SELECT coalesce(json_agg(json_build_array(g.bin, g.ok, g.n)), '[]'::json) AS buckets FROM (
          -- date_bin: integer arithmetic, several times cheaper per row than epoch numerics.
          SELECT date_bin('1 hour', a."startedAt", ${weekAgo}::timestamp) AS bin, a.succeeded AS ok, count(*)::int AS n
            FROM "Attempt" a
           WHERE a."endpointId" = ep.id AND a.succeeded = ANY ('{true,false}'::boolean[])
             AND a."startedAt" >= ${weekAgo}::timestamp AND a."startedAt" < ${now}::timestamp
           GROUP BY 1, 2) g) hourly
      CROSS JOIN LATERAL (
        SELECT count(*)::int AS n FROM "Delivery" d WHERE d."endpointId" = ep.id AND d.status IN ('PENDING', 'SENDING')) pending
      LEFT JOIN LATERAL (
        -- One ordered probe per status: with both statuses in one condition the planner walks the
        -- endpoint's whole history by createdAt instead.
        SELECT * FROM (
          (SELECT d."createdAt", d.id, d."messageId", d."nextAttemptAt" FROM "Delivery" d
            WHERE d."endpointId" = ep.id AND d.status = 'PENDING' ORDER BY d."createdAt", d.id LIMIT 1)
          UNION ALL
          (SELECT d."createdAt", d.id, d."messageId", d."nextAttemptAt" FROM "Delivery" d
            WHERE d."endpointId" = ep.id AND d.status = 'SENDING' ORDER BY d."createdAt", d.id LIMIT 1)) p
         ORDER BY p."createdAt", p.id LIMIT 1) oldest ON true
     WHERE ep.id = ANY (${endpointIds as string[]}::text[]) AND ep."organizationId" = ${organizationId}`;

  const result = new Map<string, EndpointHealth>();
  for (const row of rows) {
    const hourly7d = series(row.buckets, WEEK_HOURS, now);
    const hourly24h = hourly7d.slice(-24);
    const attempts = hourly24h.reduce((n, b) => n + b.attempts, 0);
    const failures = hourly24h.reduce((n, b) => n + b.failures, 0);
    const streak = Math.min(row.streak, STREAK_CAP);
    result.set(row.endpointId, {
      endpointId: row.endpointId,
      lastAttempt:
        row.lastStartedAt === null
          ? null
          : {
              startedAt: row.lastStartedAt,
              succeeded: row.lastSucceeded === true,
              statusCode: row.lastStatusCode,
              diagnosis: diagnose(
                {
                  succeeded: row.lastSucceeded === true,
                  statusCode: row.lastStatusCode,
                  durationMs: row.lastDurationMs ?? 0,
                  errorKind: row.lastErrorKind,
                  errorMessage: row.lastErrorMessage,
                  responseHeaders: row.lastLocation ? { location: row.lastLocation } : null,
                },
                { timeoutMs },
              ),
            },
      last24h: { attempts, failures, successRate: attempts === 0 ? null : (attempts - failures) / attempts },
      hourly24h,
      hourly7d,
      failureStreak: streak,
      failureStreakCapped: row.streak > STREAK_CAP,
      lastSuccessAt: row.lastSuccessAt,
      oldestPending: row.oldestPendingAt ? { createdAt: row.oldestPendingAt, messageId: row.oldestPendingMessageId!, nextAttemptAt: row.oldestPendingNextAttemptAt } : null,
      pendingCount: row.pendingCount,
      failing: streak >= FAILING_STREAK || (streak > 0 && row.lastSuccessAt === null),
    });
  }
  return result;
}
