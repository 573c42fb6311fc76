import { db } from "@/lib/db";
import { groupCommit } from "@/lib/db/group-commit";
import { deliveryConfig } from "@/lib/delivery/config";
import { forEachBounded } from "@/lib/delivery/first-attempts";
import { summariseOutcome } from "@/lib/delivery/outcome";
import { ATTEMPT_INPUT_COLUMNS, attemptArrays, loadContexts, send, type AttemptContext } from "@/lib/delivery/perform";
import { prismaTransactions, waitForSendSlot } from "@/lib/delivery/rate-limit";
import type { DeliveryStatus } from "@/lib/generated/prisma/client";

/**
 * Manual attempts (trigger MANUAL): one send of a finished delivery, now, never retried. The
 * delivery is claimed first (FAILED or SUCCEEDED → SENDING), which is what "an attempt in flight"
 * means everywhere: a second resend, the scheduled path and the retention purge all leave a
 * SENDING delivery alone. The attempt, the delivery's new state and the task item's outcome are
 * written by one statement, so a task re-run after a crash never sends a recorded item again.
 */

export type FinishedStatus = Extract<DeliveryStatus, "FAILED" | "SUCCEEDED">;

export interface ManualClaim {
  deliveryId: string;
  /** The delivery's status before the claim: a failed resend of a delivered message leaves it SUCCEEDED. */
  prior: FinishedStatus;
}

export interface ManualResult {
  deliveryId: string;
  ok: boolean;
  statusCode: number | null;
  /** The failure in one sentence (the diagnosis's wording), or null. */
  error: string | null;
  attemptId: string;
}

/** A rate-limited endpoint: a bulk resend waits in-process for its slot rather than skipping it. */
const RATE_WAIT_MS = 60_000;

/** Claims deliveries in one of `allowed` states; returns those claimed with their prior state. */
export async function claimDeliveries(deliveryIds: string[], allowed: FinishedStatus[]): Promise<ManualClaim[]> {
  if (deliveryIds.length === 0) return [];
  return db.$queryRaw<ManualClaim[]>`
    UPDATE "Delivery" d SET status = 'SENDING', "updatedAt" = now()
      FROM (SELECT id, status FROM "Delivery" WHERE id = ANY (${deliveryIds}::text[]) AND status = ANY (${allowed}::"DeliveryStatus"[]) FOR UPDATE) p
     WHERE d.id = p.id
    RETURNING d.id AS "deliveryId", p.status::text AS prior`;
}

/** Gives claimed deliveries back unsent (a task cancelled or stopped with claims left). */
export async function releaseClaims(claims: ManualClaim[]) {
  if (claims.length === 0) return;
  await db.$executeRaw`
    UPDATE "Delivery" d SET status = c.prior::"DeliveryStatus", "updatedAt" = now()
      FROM unnest(${claims.map((c) => c.deliveryId)}::text[], ${claims.map((c) => c.prior)}::text[]) AS c(id, prior)
     WHERE d.id = c.id AND d.status = 'SENDING'`;
}

interface Answered {
  context: AttemptContext;
  prior: FinishedStatus;
  outcome: Awaited<ReturnType<typeof send>>;
}

/**
 * Records manual attempts, all in one statement (group commit): each attempt (number = its
 * delivery's manual attempts + 1), its delivery's state (SUCCEEDED on a 2xx; otherwise FAILED, or
 * still SUCCEEDED when it was delivered before) and, for a task, its item's outcome.
 */
async function record(answered: Answered[], taskId: string | null): Promise<ManualResult[]> {
  if (answered.length === 0) return [];
  const rows = answered.map(({ context, prior, outcome }) => {
    const error = outcome.ok ? null : summariseOutcome(outcome).detail;
    return {
      context,
      outcome,
      error,
      next: outcome.ok || prior === "SUCCEEDED" ? "SUCCEEDED" : "FAILED",
      // A failed resend of a delivered message keeps the delivery's record as it was.
      keepReason: !outcome.ok && prior === "SUCCEEDED",
      reason: outcome.ok ? null : `manual resend failed: ${error}`,
    };
  });
  const col = <T>(pick: (r: (typeof rows)[number]) => T) => rows.map(pick);
  const recorded = await db.$queryRaw<{ attemptId: string; deliveryId: string }[]>`
    WITH input AS (
      SELECT * FROM unnest(
        ${attemptArrays(rows)},
        ${col((r) => r.error)}::text[], ${col((r) => r.next)}::text[], ${col((r) => r.keepReason)}::boolean[], ${col((r) => r.reason)}::text[]
      ) AS t(${ATTEMPT_INPUT_COLUMNS}, detail, "nextStatus", "keepReason", reason)
    ),
    attempt AS (
      INSERT INTO "Attempt" (id, "deliveryId", "messageId", "endpointId", "attemptNumber", trigger, url, "startedAt", "durationMs",
                             succeeded, "statusCode", "responseHeaders", "responseBody", "responseBodyTruncated", "errorKind", "errorMessage")
      SELECT 'att_' || replace(gen_random_uuid()::text, '-', ''), i."deliveryId", i."messageId", i."endpointId",
             (SELECT coalesce(max(a."attemptNumber"), 0) + 1 FROM "Attempt" a WHERE a."deliveryId" = i."deliveryId" AND a.trigger = 'MANUAL'),
             'MANUAL', i.url, i."startedAt", i."durationMs", i.succeeded, i."statusCode", i."responseHeaders"::jsonb, i."responseBody",
             i."responseBodyTruncated", i."errorKind", i."errorMessage"
        FROM input i
      RETURNING id, "deliveryId"
    ),
    item AS (
      UPDATE "BackgroundTaskItem" it SET state = (CASE WHEN i.succeeded THEN 'SUCCEEDED' ELSE 'FAILED' END)::"BackgroundTaskItemState", detail = i.detail
        FROM input i
       WHERE it."taskId" = ${taskId}::text AND it."deliveryId" = i."deliveryId" AND it.state = 'SENDING'
    ),
    delivery AS (
      UPDATE "Delivery" d
         SET status = i."nextStatus"::"DeliveryStatus", "nextAttemptAt" = NULL, "lastAttemptAt" = i."startedAt", "updatedAt" = now(),
             "failureReason" = CASE WHEN i."keepReason" THEN d."failureReason" ELSE i.reason END
        FROM input i
       WHERE d.id = i."deliveryId" AND (d.status = 'SENDING' OR i.succeeded)
    )
    SELECT id AS "attemptId", "deliveryId" FROM attempt`;
  const ids = new Map(recorded.map((r) => [r.deliveryId, r.attemptId]));
  return rows.map((r) => ({ deliveryId: r.context.deliveryId, ok: r.outcome.ok, statusCode: r.outcome.statusCode ?? null, error: r.error, attemptId: ids.get(r.context.deliveryId)! }));
}

/**
 * Sends one manual attempt for each claimed delivery (at most `parallel` in flight) and records
 * them as they answer, a few statements per batch (group commit). Deliveries whose message or endpoint went away meanwhile are given back and
 * reported as missing.
 */
export async function sendManualAttempts(
  claims: ManualClaim[],
  { taskId = null, parallel = 16 }: { taskId?: string | null; parallel?: number } = {},
): Promise<{ results: ManualResult[]; missing: string[] }> {
  const config = deliveryConfig();
  // Attempt number 0 is never recorded, so no context carries an `earlier` attempt: a manual attempt is always sent.
  const contexts = new Map((await loadContexts(claims.map((c) => c.deliveryId), 0, "SCHEDULED", new Date())).map((c) => [c.deliveryId, c]));
  const missing = claims.filter((c) => !contexts.has(c.deliveryId));
  await releaseClaims(missing);
  const results: ManualResult[] = [];
  const commit = groupCommit<Answered>(async (batch) => void results.push(...(await record(batch, taskId))));
  const sending = forEachBounded(
    claims.filter((c) => contexts.has(c.deliveryId)),
    parallel,
    async (claim) => {
      const context = contexts.get(claim.deliveryId)!;
      const limit = context.rateLimit;
      if (limit) {
        const options = { marginMs: config.rateLimitMarginMs, maxWaitMs: RATE_WAIT_MS };
        while (!(await waitForSendSlot(prismaTransactions(db), context.endpointId, limit, options)).allowed);
      }
      commit.add({ context, prior: claim.prior, outcome: await send(context, config.attemptTimeoutMs) });
    },
  );
  // Every answer is recorded, even when a send threw, before the error (if any) is reported.
  const sent = await Promise.allSettled([sending]);
  await commit.close();
  if (sent[0].status === "rejected") throw sent[0].reason;
  return { results, missing: missing.map((c) => c.deliveryId) };
}
