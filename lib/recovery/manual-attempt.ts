import { db } from "@/lib/db";
import { deliveryConfig } from "@/lib/delivery/config";
import { forEachBounded } from "@/lib/delivery/first-attempts";
import { summariseOutcome } from "@/lib/delivery/outcome";
import { loadContexts, send, type AttemptContext } from "@/lib/delivery/perform";
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

/**
 * Records one manual attempt: the attempt (number = the delivery's manual attempts + 1), the
 * delivery's state (SUCCEEDED on a 2xx; otherwise FAILED, or still SUCCEEDED when it was delivered
 * before) and, for a task, its item's outcome.
 */
async function record(context: AttemptContext, prior: FinishedStatus, outcome: Awaited<ReturnType<typeof send>>, taskId: string | null): Promise<ManualResult> {
  const error = outcome.ok ? null : summariseOutcome(outcome).detail;
  const next: FinishedStatus = outcome.ok || prior === "SUCCEEDED" ? "SUCCEEDED" : "FAILED";
  // A failed resend of a delivered message keeps the delivery's record as it was.
  const keepReason = !outcome.ok && prior === "SUCCEEDED";
  const startedAt = new Date(outcome.startedAt);
  const [row] = await db.$queryRaw<{ attemptId: string }[]>`
    WITH attempt AS (
      INSERT INTO "Attempt" (id, "deliveryId", "messageId", "endpointId", "attemptNumber", trigger, url, "startedAt", "durationMs",
                             succeeded, "statusCode", "responseHeaders", "responseBody", "responseBodyTruncated", "errorKind", "errorMessage")
      SELECT 'att_' || replace(gen_random_uuid()::text, '-', ''), ${context.deliveryId}, ${context.messageId}, ${context.endpointId},
             (SELECT coalesce(max(a."attemptNumber"), 0) + 1 FROM "Attempt" a WHERE a."deliveryId" = ${context.deliveryId} AND a.trigger = 'MANUAL'),
             'MANUAL', ${outcome.url}, ${startedAt}, ${Math.round(outcome.durationMs)}, ${outcome.ok}, ${outcome.statusCode ?? null}::int,
             ${outcome.responseHeaders ? JSON.stringify(outcome.responseHeaders) : null}::jsonb, ${outcome.responseBody}, ${outcome.responseBodyTruncated},
             ${outcome.errorKind ?? null}, ${outcome.errorMessage ?? null}
      RETURNING id
    ),
    item AS (
      UPDATE "BackgroundTaskItem" SET state = ${outcome.ok ? "SUCCEEDED" : "FAILED"}::"BackgroundTaskItemState", detail = ${error}
       WHERE "taskId" = ${taskId}::text AND "deliveryId" = ${context.deliveryId} AND state = 'SENDING'
    ),
    delivery AS (
      UPDATE "Delivery" d
         SET status = ${next}::"DeliveryStatus", "nextAttemptAt" = NULL, "lastAttemptAt" = ${startedAt}, "updatedAt" = now(),
             "failureReason" = CASE WHEN ${keepReason} THEN d."failureReason" ELSE ${outcome.ok ? null : `manual resend failed: ${error}`}::text END
       WHERE d.id = ${context.deliveryId} AND (d.status = 'SENDING' OR ${outcome.ok})
    )
    SELECT id AS "attemptId" FROM attempt`;
  return { deliveryId: context.deliveryId, ok: outcome.ok, statusCode: outcome.statusCode ?? null, error, attemptId: row!.attemptId };
}

/**
 * Sends one manual attempt for each claimed delivery (at most `parallel` in flight) and records
 * each as it answers. Deliveries whose message or endpoint went away meanwhile are given back and
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
  await forEachBounded(
    claims.filter((c) => contexts.has(c.deliveryId)),
    parallel,
    async (claim) => {
      const context = contexts.get(claim.deliveryId)!;
      const limit = context.rateLimit;
      if (limit) {
        const options = { marginMs: config.rateLimitMarginMs, maxWaitMs: RATE_WAIT_MS };
        while (!(await waitForSendSlot(prismaTransactions(db), context.endpointId, limit, options)).allowed);
      }
      results.push(await record(context, claim.prior, await send(context, config.attemptTimeoutMs), taskId));
    },
  );
  return { results, missing: missing.map((c) => c.deliveryId) };
}
