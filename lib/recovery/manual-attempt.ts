import { db } from "@/lib/db";
import { groupCommit } from "@/lib/db/group-commit";
import { deliveryConfig } from "@/lib/delivery/config";
import { forEachBounded } from "@/lib/delivery/first-attempts";
import { summariseOutcome } from "@/lib/delivery/outcome";
import { send } from "@/lib/delivery/perform";
import { prismaTransactions, waitForSendSlot } from "@/lib/delivery/rate-limit";
import { loadContexts, recordManualAttempts, releaseClaims, type AttemptContext, type ManualClaim, type ManualRecord } from "@/lib/delivery/store";
import type { AttemptId, DeliveryId, TaskId } from "@/lib/ids";

/**
 * Manual attempts (trigger MANUAL): one send of a finished delivery, now, never retried. The
 * delivery is claimed first (`claimForManual` in the delivery store: FAILED or SUCCEEDED →
 * SENDING), which is what "an attempt in flight" means everywhere: a second resend, the scheduled
 * path and the retention purge all leave a SENDING delivery alone. The attempt, the delivery's new
 * state and the task item's outcome are written by one statement, so a task re-run after a crash
 * never sends a recorded item again.
 */

export interface ManualResult {
  deliveryId: DeliveryId;
  ok: boolean;
  statusCode: number | null;
  /** The failure in one sentence (the diagnosis's wording), or null. */
  error: string | null;
  attemptId: AttemptId;
}

/** A rate-limited endpoint: a bulk resend waits in-process for its slot rather than skipping it. */
const RATE_WAIT_MS = 60_000;

interface Answered {
  context: AttemptContext;
  prior: ManualClaim["prior"];
  outcome: Awaited<ReturnType<typeof send>>;
}

/** Each answer's record: SUCCEEDED on a 2xx; otherwise FAILED, or still SUCCEEDED when it was delivered before. */
async function record(answered: Answered[], taskId: TaskId | null): Promise<ManualResult[]> {
  if (answered.length === 0) return [];
  const rows: ManualRecord[] = answered.map(({ context, prior, outcome }) => {
    const detail = outcome.ok ? null : summariseOutcome(outcome).detail;
    return {
      context,
      outcome,
      detail,
      next: outcome.ok || prior === "SUCCEEDED" ? "SUCCEEDED" : "FAILED",
      keepReason: !outcome.ok && prior === "SUCCEEDED",
      reason: outcome.ok ? null : `manual resend failed: ${detail}`,
    };
  });
  const ids = new Map((await recordManualAttempts(rows, taskId)).map((r) => [r.deliveryId, r.attemptId]));
  return rows.map((r) => ({ deliveryId: r.context.deliveryId, ok: r.outcome.ok, statusCode: r.outcome.statusCode ?? null, error: r.detail, attemptId: ids.get(r.context.deliveryId)! }));
}

/**
 * Sends one manual attempt for each claimed delivery (at most `parallel` in flight) and records
 * them as they answer, a few statements per batch (group commit). Deliveries whose message or endpoint went away meanwhile are given back and
 * reported as missing; those whose message's content was expunged meanwhile, as expunged.
 */
export async function sendManualAttempts(
  claims: ManualClaim[],
  { taskId = null, parallel = 16 }: { taskId?: TaskId | null; parallel?: number } = {},
): Promise<{ results: ManualResult[]; missing: DeliveryId[]; expunged: DeliveryId[] }> {
  const config = deliveryConfig();
  // Attempt number 0 is never recorded, so no context carries an `earlier` attempt: a manual attempt is always sent.
  const loaded = await loadContexts(claims.map((c) => c.deliveryId), 0, "SCHEDULED", new Date());
  const contexts = new Map(loaded.filter((c) => !c.messageExpungedAt).map((c) => [c.deliveryId, c]));
  const expunged = new Set(loaded.filter((c) => c.messageExpungedAt).map((c) => c.deliveryId));
  const missing = claims.filter((c) => !contexts.has(c.deliveryId) && !expunged.has(c.deliveryId));
  await releaseClaims(claims.filter((c) => !contexts.has(c.deliveryId)));
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
  return { results, missing: missing.map((c) => c.deliveryId), expunged: [...expunged] };
}
