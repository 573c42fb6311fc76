import { groupCommit } from "@/lib/db/group-commit";
import { deliveryConfig } from "@/lib/delivery/config";
import { decide, performScheduledAttempt, recordAttempts, send, settledBefore, stopDelivery, type Recorded, type ScheduledAttemptResult } from "@/lib/delivery/perform";
import { claimFirstAttempts, type AttemptContext, type ScheduledTrigger } from "@/lib/delivery/store";
import type { DeliveryId, EndpointId } from "@/lib/ids";
import { tracingEnabled } from "@/lib/observability/tracing";

/**
 * First attempts of many deliveries at once (one Inngest run for a batch of `delivery/requested`
 * events): most webhooks succeed the first time, so the per-delivery retry function only starts for
 * the others. The batch does in one statement what `performScheduledAttempt` does per delivery:
 * one statement loads every context and marks the deliveries it may send at once sending, and the
 * attempts are recorded with their deliveries' next states in a few statements (group commit) as
 * the answers come in, all through the delivery store. Deliveries to rate-limited endpoints go
 * through `performScheduledAttempt` one by one. A re-run of the batch
 * after a crash never repeats an attempt it recorded (the attempt number is checked first).
 */

export interface FirstAttempt {
  deliveryId: DeliveryId;
  trigger?: ScheduledTrigger;
  /** The message's trace, stored with its event (tracing on only). */
  traceparent?: string;
}

/** The function that makes first attempts, as their spans name it. */
const FUNCTION_ID = "deliver-first-attempts";

/** What the batch hands to the retry function: the delivery and when its next attempt is due. */
export interface RetryHandOff {
  deliveryId: DeliveryId;
  /** The attempt to make: 2 after a failed first attempt, 1 again when a rate limit or a disabled organization deferred it. */
  attempt: number;
  /** ISO time it is due. */
  at: string;
}

export interface FirstAttemptsSummary {
  succeeded: number;
  failed: number;
  stopped: number;
  retries: RetryHandOff[];
}

/** Requests in flight at once within one batch: a batch to one slow endpoint must not open a socket per delivery. */
const PARALLEL = 32;
/** Recorded attempts are written when this many are waiting, or after FLUSH_MS. */
const FLUSH_SIZE = 32;
const FLUSH_MS = 5;

/** Runs `work` over `items` with at most `parallel` at once; rejects with the first error after all settled. */
export async function forEachBounded<T>(items: T[], parallel: number, work: (item: T) => Promise<void>): Promise<void> {
  const errors: unknown[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(parallel, items.length) }, async () => {
      while (next < items.length) {
        const item = items[next++]!;
        await work(item).catch((error: unknown) => void errors.push(error));
      }
    }),
  );
  if (errors.length > 0) throw errors[0];
}

/** `traces`: each delivery's stored trace context, given only when tracing is on. */
async function firstAttemptsOf(deliveryIds: DeliveryId[], trigger: ScheduledTrigger, traces?: Map<DeliveryId, string | undefined>): Promise<Map<DeliveryId, ScheduledAttemptResult>> {
  const config = deliveryConfig();
  const results = new Map<DeliveryId, ScheduledAttemptResult>();
  const contexts = await claimFirstAttempts(deliveryIds, trigger, new Date());
  for (const id of deliveryIds) if (!contexts.some((c) => c.deliveryId === id)) results.set(id, { kind: "stopped", reason: "delivery no longer exists" });

  const plain: AttemptContext[] = [];
  const limited: AttemptContext[] = [];
  for (const context of contexts) {
    if (context.sendable) {
      plain.push(context);
      continue;
    }
    const settled = settledBefore(context);
    if (settled === "stop") results.set(context.deliveryId, await stopDelivery(context));
    else if (settled) results.set(context.deliveryId, settled);
    // Rate-limited, or changed since the statement read it: the per-delivery path decides again.
    else limited.push(context);
  }

  const disabled = new Set<EndpointId>();
  const commit = groupCommit<Recorded>(
    async (batch) => {
      for (const endpointId of await recordAttempts(batch, 1, trigger)) disabled.add(endpointId);
    },
    { size: FLUSH_SIZE, afterMs: FLUSH_MS },
  );
  const sending = forEachBounded(plain, PARALLEL, async (context) => {
    const trace = traces && { functionId: FUNCTION_ID, attempt: 1, traceparent: traces.get(context.deliveryId) };
    const recorded = decide(context, await send(context, config.attemptTimeoutMs, trace), 1, config.retrySchedule);
    commit.add(recorded);
    results.set(context.deliveryId, recorded.result);
  });
  // Rate limits are reserved per delivery (the endpoint's advisory lock), beside the plain sends.
  const pacing = forEachBounded(limited, PARALLEL, async (context) => {
    const trace = traces && { functionId: FUNCTION_ID, traceparent: traces.get(context.deliveryId) };
    results.set(context.deliveryId, await performScheduledAttempt(context.deliveryId, 1, { trigger, trace }));
  });
  const settled = await Promise.allSettled([sending, pacing]);
  await commit.close();
  for (const s of settled) if (s.status === "rejected") throw s.reason;
  // An attempt that disabled its endpoint ended every pending delivery to it and sent the cancel
  // before this run hands retries over: a retry handed over now would start a run the cancel
  // never saw, left to sleep for nothing.
  for (const context of plain) {
    const result = results.get(context.deliveryId);
    if (disabled.has(context.endpointId) && result?.kind === "attempted") results.set(context.deliveryId, { ...result, nextAttemptAt: null });
  }
  return results;
}

export async function performFirstAttempts(deliveries: FirstAttempt[], now: () => Date = () => new Date()): Promise<FirstAttemptsSummary> {
  const byTrigger = new Map<ScheduledTrigger, DeliveryId[]>();
  for (const { deliveryId, trigger = "SCHEDULED" } of deliveries) byTrigger.set(trigger, [...(byTrigger.get(trigger) ?? []), deliveryId]);
  const results = new Map<DeliveryId, ScheduledAttemptResult>();
  const traces = tracingEnabled ? new Map(deliveries.map((d) => [d.deliveryId, d.traceparent])) : undefined;
  for (const [trigger, ids] of byTrigger) for (const [id, result] of await firstAttemptsOf([...new Set(ids)], trigger, traces)) results.set(id, result);

  const summary: FirstAttemptsSummary = { succeeded: 0, failed: 0, stopped: 0, retries: [] };
  for (const [deliveryId, result] of results) {
    if (result.kind === "stopped") summary.stopped++;
    else if (result.kind === "rate_limited" || result.kind === "paused") {
      summary.retries.push({ deliveryId, attempt: 1, at: new Date(now().getTime() + Math.max(1, result.retryInMs)).toISOString() });
    } else if (result.ok) summary.succeeded++;
    else {
      summary.failed++;
      if (result.nextAttemptAt) summary.retries.push({ deliveryId, attempt: 2, at: result.nextAttemptAt });
    }
  }
  return summary;
}
