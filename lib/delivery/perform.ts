import { db } from "@/lib/db";
import { attempt } from "@/lib/delivery/attempt";
import { deliveryConfig } from "@/lib/delivery/config";
import { summariseOutcome } from "@/lib/delivery/outcome";
import { prismaTransactions, waitForSendSlot } from "@/lib/delivery/rate-limit";
import { attemptCount, delayBeforeAttempt, type RetrySchedule } from "@/lib/delivery/schedule";
import { activeSigningSecrets } from "@/lib/endpoints/secrets";
import type { Prisma } from "@/lib/generated/prisma/client";
import { failDeliveries, STOP_REASON } from "@/lib/messages/deliveries";

/** What one scheduled step did; small and JSON-safe, since Inngest memoizes it. */
export type ScheduledAttemptResult =
  | { kind: "stopped"; reason: string }
  | { kind: "rate_limited"; retryInMs: number }
  | { kind: "attempted"; ok: boolean; final: boolean; statusCode: number | null; error: string | null };

/** A rate-limited attempt waits this long in-process before handing the wait to a durable sleep. */
const IN_PROCESS_RATE_WAIT_MS = 250;

const headerList = (value: Prisma.JsonValue): Record<string, string> => {
  const result: Record<string, string> = {};
  if (Array.isArray(value)) {
    for (const h of value) {
      if (h && typeof h === "object" && !Array.isArray(h) && typeof h.name === "string" && typeof h.value === "string") result[h.name] = h.value;
    }
  }
  return result;
};

/**
 * Scheduled attempt `attemptNumber` of a delivery: checks the endpoint still wants it, waits for a
 * rate-limit slot, POSTs, records the attempt with the URL really used, and moves the delivery on.
 * Never throws for HTTP outcomes: the schedule, not Inngest's step retries, decides what is next.
 */
export async function performScheduledAttempt(
  deliveryId: string,
  attemptNumber: number,
  schedule: RetrySchedule = deliveryConfig().retrySchedule,
): Promise<ScheduledAttemptResult> {
  const delivery = await db.delivery.findUnique({
    where: { id: deliveryId },
    select: {
      status: true,
      message: { select: { id: true, body: true } },
      endpoint: { select: { id: true, url: true, disabled: true, deletedAt: true, rateLimit: true, headers: true } },
    },
  });
  if (!delivery) return { kind: "stopped", reason: "delivery no longer exists" };
  if (delivery.status === "SUCCEEDED" || delivery.status === "FAILED") return { kind: "stopped", reason: `delivery already ${delivery.status.toLowerCase()}` };
  const { endpoint, message } = delivery;
  const stop = endpoint.deletedAt ? STOP_REASON.deleted : endpoint.disabled ? STOP_REASON.disabled : null;
  if (stop) {
    await failDeliveries({ ids: [deliveryId] }, stop);
    return { kind: "stopped", reason: stop };
  }

  // A crash after the request but before Inngest memoized this step: never send one attempt number twice.
  const earlier = await db.attempt.findUnique({
    where: { deliveryId_trigger_attemptNumber: { deliveryId, trigger: "SCHEDULED", attemptNumber } },
    select: { succeeded: true, statusCode: true, errorMessage: true },
  });
  if (earlier) {
    return { kind: "attempted", ok: earlier.succeeded, final: attemptNumber >= attemptCount(schedule), statusCode: earlier.statusCode, error: earlier.errorMessage };
  }

  const config = deliveryConfig();
  if (endpoint.rateLimit) {
    const slot = await waitForSendSlot(prismaTransactions(db), endpoint.id, endpoint.rateLimit, {
      marginMs: config.rateLimitMarginMs,
      maxWaitMs: IN_PROCESS_RATE_WAIT_MS,
    });
    if (!slot.allowed) return { kind: "rate_limited", retryInMs: slot.retryInMs };
  }

  const now = new Date();
  await db.delivery.updateMany({
    where: { id: deliveryId, status: "PENDING" },
    data: { status: "SENDING", attemptCount: attemptNumber, lastAttemptAt: now, nextAttemptAt: null },
  });
  const outcome = await attempt(
    { url: endpoint.url, messageId: message.id, body: message.body, secrets: await activeSigningSecrets(endpoint.id, now), headers: headerList(endpoint.headers) },
    { timeoutMs: config.attemptTimeoutMs },
  );
  await db.attempt.createMany({
    data: [
      {
        deliveryId,
        messageId: message.id,
        endpointId: endpoint.id,
        attemptNumber,
        trigger: "SCHEDULED",
        url: outcome.url,
        startedAt: new Date(outcome.startedAt),
        durationMs: Math.round(outcome.durationMs),
        succeeded: outcome.ok,
        statusCode: outcome.statusCode ?? null,
        responseHeaders: outcome.responseHeaders ?? undefined,
        responseBody: outcome.responseBody,
        responseBodyTruncated: outcome.responseBodyTruncated,
        errorKind: outcome.errorKind ?? null,
        errorMessage: outcome.errorMessage ?? null,
      },
    ],
    skipDuplicates: true,
  });

  const final = attemptNumber >= attemptCount(schedule);
  const error = outcome.ok ? null : summariseOutcome(outcome).detail;
  await db.delivery.updateMany({
    where: { id: deliveryId, status: "SENDING" },
    data: outcome.ok
      ? { status: "SUCCEEDED", failureReason: null, nextAttemptAt: null }
      : final
        ? { status: "FAILED", failureReason: `all ${attemptNumber} attempts failed; last: ${error}`, nextAttemptAt: null }
        : { status: "PENDING", nextAttemptAt: new Date(Date.now() + delayBeforeAttempt(schedule, attemptNumber + 1)) },
  });
  return { kind: "attempted", ok: outcome.ok, final, statusCode: outcome.statusCode ?? null, error };
}
