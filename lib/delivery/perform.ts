import { db } from "@/lib/db";
import { attempt, type AttemptOutcome } from "@/lib/delivery/attempt";
import { deliveryConfig, failureDisableCutoff } from "@/lib/delivery/config";
import { summariseOutcome } from "@/lib/delivery/outcome";
import { prismaTransactions, waitForSendSlot } from "@/lib/delivery/rate-limit";
import { nextAttemptAt, type RetrySchedule } from "@/lib/delivery/schedule";
import {
  failDeliveries,
  loadContexts,
  markSending,
  recordScheduledAttempts,
  STOP_REASON,
  type AttemptContext,
  type ScheduledRecord,
  type ScheduledTrigger,
} from "@/lib/delivery/store";
import { disableFailingEndpoint } from "@/lib/endpoints/auto-disable";
import { openSecret } from "@/lib/endpoints/secrets";
import type { DeliveryId, EndpointId } from "@/lib/ids";
import { errorFields, loggerFor } from "@/lib/observability/log";
import { observeAttempts } from "@/lib/observability/metrics";
import { storedHeadersSchema } from "@/lib/validations/endpoint";
import { deliverySpans, tracingEnabled } from "@/lib/observability/tracing";

/**
 * What one scheduled step did; small and JSON-safe, since Inngest memoizes it. `nextAttemptAt`
 * (ISO time, the delivery's own `nextAttemptAt`) is when the next attempt is due, or null when
 * this one ended the delivery: the function sleeps until then and decides nothing itself.
 */
export type ScheduledAttemptResult =
  | { kind: "stopped"; reason: string }
  | { kind: "rate_limited"; retryInMs: number }
  /** The organization is disabled by staff: nothing was attempted; check again after `retryInMs`. */
  | { kind: "paused"; retryInMs: number }
  | { kind: "attempted"; ok: boolean; nextAttemptAt: string | null; statusCode: number | null; error: string | null };

/** A rate-limited attempt waits this long in-process before handing the wait to a durable sleep. */
export const IN_PROCESS_RATE_WAIT_MS = 250;

/**
 * Deliveries that are done, whose endpoint went away or whose message's content was expunged, or
 * whose organization staff disabled (they wait, neither attempted nor failed): what to answer
 * instead of attempting.
 */
export function settledBefore(context: AttemptContext): ScheduledAttemptResult | "stop" | null {
  if (context.status === "SUCCEEDED" || context.status === "FAILED") return { kind: "stopped", reason: `delivery already ${context.status.toLowerCase()}` };
  if (context.deletedAt || context.disabled || context.messageExpungedAt) return "stop";
  // A crash after the request but before Inngest memoized this step: never send one attempt number
  // twice. The statement that recorded it set the delivery's next attempt too.
  if (context.earlier) {
    const { succeeded, statusCode, errorMessage } = context.earlier;
    return { kind: "attempted", ok: succeeded, nextAttemptAt: context.nextAttemptAt?.toISOString() ?? null, statusCode, error: errorMessage };
  }
  if (context.organizationDisabledAt) return { kind: "paused", retryInMs: deliveryConfig().organizationPauseRecheckMs };
  return null;
}

export async function stopDelivery(context: AttemptContext): Promise<ScheduledAttemptResult> {
  const reason = context.messageExpungedAt ? STOP_REASON.expunged : context.deletedAt ? STOP_REASON.deleted : STOP_REASON.disabled;
  await failDeliveries({ ids: [context.deliveryId] }, reason);
  return { kind: "stopped", reason };
}

function sendOnce(context: AttemptContext, timeoutMs: number, traceparent: string | undefined): Promise<AttemptOutcome> {
  return attempt(
    {
      url: context.url,
      messageId: context.messageId,
      body: context.body,
      secrets: context.secrets.map((ciphertext) => openSecret(context.endpointId, ciphertext)),
      headers: Object.fromEntries(storedHeadersSchema.parse(context.headers).map((h) => [h.name, h.value])),
      traceparent,
    },
    { timeoutMs },
  );
}

/** What an attempt adds to its message's trace when tracing is on (lib/observability/tracing.ts). */
export interface AttemptTrace {
  functionId: string;
  attempt: number;
  traceparent?: string | null;
}

/** One POST of the delivery; with tracing on, in its `deliver` and `POST` spans, the receiver getting the `traceparent`. */
export function send(context: AttemptContext, timeoutMs: number, trace?: AttemptTrace): Promise<AttemptOutcome> {
  if (!tracingEnabled || !trace) return sendOnce(context, timeoutMs, undefined);
  const work = { ...trace, deliveryId: context.deliveryId, messageId: context.messageId, endpointId: context.endpointId };
  return deliverySpans(work, (traceparent) => sendOnce(context, timeoutMs, traceparent));
}

export interface Recorded extends ScheduledRecord {
  context: AttemptContext;
  result: Extract<ScheduledAttemptResult, { kind: "attempted" }>;
}

export function decide(context: AttemptContext, outcome: AttemptOutcome, attemptNumber: number, schedule: RetrySchedule): Recorded {
  const error = outcome.ok ? null : summariseOutcome(outcome).detail;
  const retryAt = outcome.ok ? null : nextAttemptAt(schedule, attemptNumber, new Date());
  const next: Recorded["next"] = outcome.ok
    ? { status: "SUCCEEDED", reason: null, at: null }
    : retryAt
      ? { status: "PENDING", reason: null, at: retryAt }
      : { status: "FAILED", reason: `all ${attemptNumber} attempts failed; last: ${error}`, at: null };
  return { context, outcome, next, result: { kind: "attempted", ok: outcome.ok, nextAttemptAt: next.at?.toISOString() ?? null, statusCode: outcome.statusCode ?? null, error } };
}

/**
 * Records scheduled attempts and their deliveries' next states (one statement, lib/delivery/store),
 * then disables the endpoints that statement found failing for ENDPOINT_FAILURE_DISABLE_AFTER.
 * A disable that fails is logged and left to the endpoint's next failed attempt: the attempts are
 * recorded either way. Returns the endpoints it disabled.
 */
export async function recordAttempts(records: Recorded[], attemptNumber: number, trigger: ScheduledTrigger, now: Date = new Date()): Promise<Set<EndpointId>> {
  const disabled = new Set<EndpointId>();
  const cutoff = failureDisableCutoff(now, deliveryConfig());
  const failing = await recordScheduledAttempts(records, attemptNumber, trigger, cutoff);
  // A test send (the endpoint's Testing tab) is not traffic: left out of the metrics, as the overview leaves it out.
  if (trigger === "SCHEDULED") observeAttempts(records, attemptNumber);
  if (!cutoff) return disabled;
  for (const endpointId of failing) {
    const last = records.findLast((r) => r.context.endpointId === endpointId && !r.outcome.ok);
    const done = await disableFailingEndpoint(endpointId, { cutoff, lastError: last?.result.error ?? "unknown" }).catch((error: unknown) => {
      loggerFor("[delivery]").error({ endpointId, ...errorFields(error) }, "endpoint auto-disable failed");
      return null;
    });
    if (done) disabled.add(endpointId);
  }
  return disabled;
}

/**
 * Scheduled attempt `attemptNumber` of a delivery: checks the endpoint still wants it, waits for a
 * rate-limit slot, POSTs, records the attempt with the URL really used, and moves the delivery on.
 * Never throws for HTTP outcomes: the schedule, not Inngest's step retries, decides what is next.
 */
export async function performScheduledAttempt(
  deliveryId: DeliveryId,
  attemptNumber: number,
  {
    schedule = deliveryConfig().retrySchedule,
    trigger = "SCHEDULED",
    trace,
  }: { schedule?: RetrySchedule; trigger?: ScheduledTrigger; trace?: Omit<AttemptTrace, "attempt"> } = {},
): Promise<ScheduledAttemptResult> {
  const [context] = await loadContexts([deliveryId], attemptNumber, trigger, new Date());
  if (!context) return { kind: "stopped", reason: "delivery no longer exists" };
  const settled = settledBefore(context);
  if (settled === "stop") return stopDelivery(context);
  if (settled) return settled;

  const config = deliveryConfig();
  if (context.rateLimit) {
    const slot = await waitForSendSlot(prismaTransactions(db), context.endpointId, context.rateLimit, {
      marginMs: config.rateLimitMarginMs,
      maxWaitMs: IN_PROCESS_RATE_WAIT_MS,
    });
    if (!slot.allowed) return { kind: "rate_limited", retryInMs: slot.retryInMs };
  }

  await markSending([deliveryId], attemptNumber, new Date());
  const recorded = decide(context, await send(context, config.attemptTimeoutMs, trace && { ...trace, attempt: attemptNumber }), attemptNumber, schedule);
  await recordAttempts([recorded], attemptNumber, trigger);
  return recorded.result;
}
