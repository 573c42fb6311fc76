import type { PrismaClient } from "@/lib/generated/prisma/client";

/**
 * Per-endpoint rate limit shared by every process: "never more than N requests in any one-second
 * window". Each send is reserved in PostgreSQL (table DeliveryRateSend) under a per-endpoint
 * advisory lock, as a sliding-window log, so concurrent executors serialise on the endpoint and
 * all count against the database clock.
 *
 * The window used for reservations is 1000 ms plus a margin (WEBHOOK_RATE_LIMIT_MARGIN_MS,
 * default 100 ms). Requests reach the receiver a little after their reservation, and not all
 * equally late: the margin absorbs that difference, so the limit holds where it matters, at the
 * receiver. The cost is a slightly lower ceiling (N per 1.1 s by default).
 */

export const RATE_LIMIT_WINDOW_MS = 1_000;

/** First key of the two-key advisory lock, so these locks never collide with other users of it. */
const LOCK_NAMESPACE = 0x48524c;

export type RateLimitDecision =
  /** Send now; `reservedAt` is the database time (epoch ms) the send was counted at. */
  | { allowed: true; reservedAt: number }
  /** Do not send yet: a slot frees in `retryInMs`. Waiting does not use up an attempt. */
  | { allowed: false; retryInMs: number };

/** A query inside an open transaction; rows come back as plain objects. */
export type TransactionQuery = <Row>(sql: string, params: readonly unknown[]) => Promise<Row[]>;
/** Runs `work` in one transaction, committing when it resolves. */
export type TransactionRunner = <T>(work: (query: TransactionQuery) => Promise<T>) => Promise<T>;

/**
 * Concurrent sends to one endpoint queue on its advisory lock inside their transactions. Each
 * holder keeps it for one statement, but on a loaded machine a queue of a few dozen outlasts
 * Prisma's default 5 s transaction timeout (and 2 s wait for a connection), and the attempt would
 * fail as a step error instead of waiting its turn.
 */
const PRISMA_TRANSACTION_OPTIONS = { maxWait: 30_000, timeout: 30_000 } as const;

export function prismaTransactions(prisma: PrismaClient): TransactionRunner {
  return (work) =>
    prisma.$transaction((tx) => work(<Row>(sql: string, params: readonly unknown[]) => tx.$queryRawUnsafe<Row[]>(sql, ...params)), PRISMA_TRANSACTION_OPTIONS);
}

/*
 * After the lock, one statement reads the clock (clock_timestamp, not now(): now() is the start of
 * the transaction, before the wait for the lock), counts the sends still in the window, records
 * this send if there is room, and prunes sends that left the window. It runs after the lock in a
 * new statement so that its snapshot includes every send committed by the previous lock holder.
 */
const RESERVE_SQL = `
WITH clock AS (SELECT clock_timestamp() AS t),
win AS (
  SELECT count(*)::int AS used, min("sentAt") AS oldest
  FROM "DeliveryRateSend", clock
  WHERE "endpointId" = $1 AND "sentAt" > clock.t - make_interval(secs => $2::float8 / 1000)
),
pruned AS (
  DELETE FROM "DeliveryRateSend" USING clock
  WHERE "endpointId" = $1 AND "sentAt" <= clock.t - make_interval(secs => $2::float8 / 1000)
),
inserted AS (
  INSERT INTO "DeliveryRateSend" ("endpointId", "sentAt")
  SELECT $1, clock.t FROM clock, win WHERE win.used < $3
  RETURNING "sentAt"
)
SELECT (SELECT count(*) FROM inserted)::int AS granted,
       (extract(epoch FROM clock.t) * 1000)::float8 AS "nowMs",
       (extract(epoch FROM win.oldest) * 1000)::float8 AS "oldestMs"
FROM clock, win`;

interface ReserveRow {
  granted: number;
  nowMs: number;
  oldestMs: number | null;
}

export interface RateLimitOptions {
  /** Added to the one-second window; see the file comment. */
  marginMs: number;
}

function assertLimit(limitPerSecond: number): void {
  if (!Number.isInteger(limitPerSecond) || limitPerSecond < 1) {
    throw new RangeError(`a rate limit is a whole number of requests per second, at least 1; got ${limitPerSecond}`);
  }
}

/** Reserves one send to `endpointId` if fewer than `limitPerSecond` were sent in the window. */
export async function tryReserveSend(
  transaction: TransactionRunner,
  endpointId: string,
  limitPerSecond: number,
  { marginMs }: RateLimitOptions,
): Promise<RateLimitDecision> {
  assertLimit(limitPerSecond);
  const windowMs = RATE_LIMIT_WINDOW_MS + marginMs;
  const row = await transaction(async (query) => {
    await query("SELECT 1 AS locked FROM pg_advisory_xact_lock($1::int4, hashtext($2))", [LOCK_NAMESPACE, endpointId]);
    const [result] = await query<ReserveRow>(RESERVE_SQL, [endpointId, windowMs, limitPerSecond]);
    return result;
  });
  if (row.granted === 1) return { allowed: true, reservedAt: row.nowMs };
  const oldest = row.oldestMs ?? row.nowMs;
  return { allowed: false, retryInMs: Math.max(1, Math.ceil(oldest + windowMs - row.nowMs)) };
}

export interface WaitOptions extends RateLimitOptions {
  /** Give up waiting in-process after this long and return the refusal, so the caller can sleep durably. */
  maxWaitMs: number;
}

/**
 * Waits in-process for a slot, for short waits inside one step: retries when the oldest send
 * leaves the window, plus a little jitter so waiting senders do not all retry in the same
 * millisecond. Returns a refusal once waiting longer would exceed `maxWaitMs`.
 */
export async function waitForSendSlot(
  transaction: TransactionRunner,
  endpointId: string,
  limitPerSecond: number,
  { maxWaitMs, marginMs }: WaitOptions,
): Promise<RateLimitDecision> {
  const deadline = Date.now() + maxWaitMs;
  for (;;) {
    const decision = await tryReserveSend(transaction, endpointId, limitPerSecond, { marginMs });
    if (decision.allowed) return decision;
    const wait = decision.retryInMs + Math.floor(Math.random() * 20);
    if (Date.now() + wait > deadline) return decision;
    await new Promise((resolve) => setTimeout(resolve, wait));
  }
}
