import { db } from "@/lib/db";
import { attempt } from "@/lib/delivery/attempt";
import { deliveryConfig } from "@/lib/delivery/config";
import { summariseOutcome } from "@/lib/delivery/outcome";
import { prismaTransactions, waitForSendSlot } from "@/lib/delivery/rate-limit";
import { nextAttemptAt, type RetrySchedule } from "@/lib/delivery/schedule";
import { openSecret } from "@/lib/endpoints/secrets";
import type { Attempt, AttemptTrigger, Delivery, Endpoint, Message } from "@/lib/generated/prisma/client";
import { failDeliveries, STOP_REASON } from "@/lib/delivery/deliveries";
import { storedHeadersSchema } from "@/lib/validations/endpoint";

/**
 * What one scheduled step did; small and JSON-safe, since Inngest memoizes it. `nextAttemptAt`
 * (ISO time, the delivery's own `nextAttemptAt`) is when the next attempt is due, or null when
 * this one ended the delivery: the function sleeps until then and decides nothing itself.
 */
export type ScheduledAttemptResult =
  | { kind: "stopped"; reason: string }
  | { kind: "rate_limited"; retryInMs: number }
  | { kind: "attempted"; ok: boolean; nextAttemptAt: string | null; statusCode: number | null; error: string | null };

/** How a run's attempts are recorded: the normal schedule, or a test send from the endpoint's Testing tab (same path, same retries). */
export type ScheduledTrigger = Extract<AttemptTrigger, "SCHEDULED" | "TEST">;

/** A rate-limited attempt waits this long in-process before handing the wait to a durable sleep. */
const IN_PROCESS_RATE_WAIT_MS = 250;

type AttemptContext = Pick<Delivery, "status" | "nextAttemptAt" | "messageId"> &
  Pick<Message, "body"> &
  Pick<Endpoint, "url" | "disabled" | "deletedAt" | "rateLimit" | "headers"> & {
    endpointId: Endpoint["id"];
    earlier: Pick<Attempt, "succeeded" | "statusCode" | "errorMessage"> | null;
    /** Ciphertexts of the secrets valid now, newest first. */
    secrets: string[];
  };

/**
 * Everything an attempt needs in one round trip: this is the delivery hot path, and every query
 * through the ORM costs CPU on the executor's one thread.
 */
async function loadContext(deliveryId: string, attemptNumber: number, trigger: ScheduledTrigger, now: Date): Promise<AttemptContext | null> {
  const rows = await db.$queryRaw<AttemptContext[]>`
    SELECT d.status::text AS status, d."nextAttemptAt", m.id AS "messageId", m.body, e.id AS "endpointId", e.url, e.disabled, e."deletedAt",
           e."rateLimit", e.headers,
           (SELECT json_build_object('succeeded', a.succeeded, 'statusCode', a."statusCode", 'errorMessage', a."errorMessage")
              FROM "Attempt" a
             WHERE a."deliveryId" = d.id AND a.trigger = ${trigger}::"AttemptTrigger" AND a."attemptNumber" = ${attemptNumber}) AS earlier,
           (SELECT coalesce(json_agg(s.ciphertext ORDER BY s."createdAt" DESC, s.id DESC), '[]'::json)
              FROM "EndpointSecret" s
             WHERE s."endpointId" = e.id AND (s."expiresAt" IS NULL OR s."expiresAt" > ${now})) AS secrets
      FROM "Delivery" d
      JOIN "Message" m ON m.id = d."messageId"
      JOIN "Endpoint" e ON e.id = d."endpointId"
     WHERE d.id = ${deliveryId}`;
  return rows[0] ?? null;
}

/**
 * Scheduled attempt `attemptNumber` of a delivery: checks the endpoint still wants it, waits for a
 * rate-limit slot, POSTs, records the attempt with the URL really used, and moves the delivery on.
 * Never throws for HTTP outcomes: the schedule, not Inngest's step retries, decides what is next.
 */
export async function performScheduledAttempt(
  deliveryId: string,
  attemptNumber: number,
  { schedule = deliveryConfig().retrySchedule, trigger = "SCHEDULED" }: { schedule?: RetrySchedule; trigger?: ScheduledTrigger } = {},
): Promise<ScheduledAttemptResult> {
  const context = await loadContext(deliveryId, attemptNumber, trigger, new Date());
  if (!context) return { kind: "stopped", reason: "delivery no longer exists" };
  if (context.status === "SUCCEEDED" || context.status === "FAILED") return { kind: "stopped", reason: `delivery already ${context.status.toLowerCase()}` };
  const stop = context.deletedAt ? STOP_REASON.deleted : context.disabled ? STOP_REASON.disabled : null;
  if (stop) {
    await failDeliveries({ ids: [deliveryId] }, stop);
    return { kind: "stopped", reason: stop };
  }
  // A crash after the request but before Inngest memoized this step: never send one attempt number
  // twice. The statement that recorded it set the delivery's next attempt too.
  if (context.earlier) {
    const { succeeded, statusCode, errorMessage } = context.earlier;
    return { kind: "attempted", ok: succeeded, nextAttemptAt: context.nextAttemptAt?.toISOString() ?? null, statusCode, error: errorMessage };
  }

  const config = deliveryConfig();
  if (context.rateLimit) {
    const slot = await waitForSendSlot(prismaTransactions(db), context.endpointId, context.rateLimit, {
      marginMs: config.rateLimitMarginMs,
      maxWaitMs: IN_PROCESS_RATE_WAIT_MS,
    });
    if (!slot.allowed) return { kind: "rate_limited", retryInMs: slot.retryInMs };
  }

  const now = new Date();
  await db.$executeRaw`
    UPDATE "Delivery" SET status = 'SENDING', "attemptCount" = ${attemptNumber}, "lastAttemptAt" = ${now}, "nextAttemptAt" = NULL, "updatedAt" = ${now}
     WHERE id = ${deliveryId} AND status = 'PENDING'`;
  const outcome = await attempt(
    {
      url: context.url,
      messageId: context.messageId,
      body: context.body,
      secrets: context.secrets.map((ciphertext) => openSecret(context.endpointId, ciphertext)),
      headers: Object.fromEntries(storedHeadersSchema.parse(context.headers).map((h) => [h.name, h.value])),
    },
    { timeoutMs: config.attemptTimeoutMs },
  );

  const error = outcome.ok ? null : summariseOutcome(outcome).detail;
  const retryAt = outcome.ok ? null : nextAttemptAt(schedule, attemptNumber, new Date());
  const next = outcome.ok
    ? { status: "SUCCEEDED", reason: null, at: null }
    : retryAt
      ? { status: "PENDING", reason: null, at: retryAt }
      : { status: "FAILED", reason: `all ${attemptNumber} attempts failed; last: ${error}`, at: null };
  // The attempt and the delivery's next state in one statement; a delivery stopped meanwhile
  // (endpoint disabled while the request was in flight) keeps its FAILED state.
  await db.$executeRaw`
    WITH recorded AS (
      INSERT INTO "Attempt" (id, "deliveryId", "messageId", "endpointId", "attemptNumber", trigger, url, "startedAt", "durationMs",
                             succeeded, "statusCode", "responseHeaders", "responseBody", "responseBodyTruncated", "errorKind", "errorMessage")
      VALUES ('att_' || replace(gen_random_uuid()::text, '-', ''), ${deliveryId}, ${context.messageId}, ${context.endpointId}, ${attemptNumber},
              ${trigger}::"AttemptTrigger", ${outcome.url}, ${new Date(outcome.startedAt)}, ${Math.round(outcome.durationMs)}, ${outcome.ok},
              ${outcome.statusCode ?? null}, ${outcome.responseHeaders ? JSON.stringify(outcome.responseHeaders) : null}::jsonb,
              ${outcome.responseBody}, ${outcome.responseBodyTruncated}, ${outcome.errorKind ?? null}, ${outcome.errorMessage ?? null})
      ON CONFLICT ("deliveryId", trigger, "attemptNumber") DO NOTHING
    )
    UPDATE "Delivery"
       SET status = ${next.status}::"DeliveryStatus", "failureReason" = ${next.reason}, "nextAttemptAt" = ${next.at}, "updatedAt" = now()
     WHERE id = ${deliveryId} AND status = 'SENDING'`;
  return { kind: "attempted", ok: outcome.ok, nextAttemptAt: next.at?.toISOString() ?? null, statusCode: outcome.statusCode ?? null, error };
}
