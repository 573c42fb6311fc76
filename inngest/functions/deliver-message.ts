import { inngest } from "@/inngest/client";
import { deliveryRequested, deliveryRetryDue, endpointDeleted, endpointDisabled } from "@/inngest/events";
import { performFirstAttempts } from "@/lib/delivery/first-attempts";
import { deliveryConfig } from "@/lib/delivery/config";
import { performScheduledAttempt } from "@/lib/delivery/perform";
import { ids } from "@/lib/ids";
import { tracingEnabled } from "@/lib/observability/tracing";

/** Deliveries per first-attempt run. */
export const FIRST_ATTEMPT_BATCH = 100;

/**
 * The first attempt of every delivery, up to 100 deliveries per run: one run (and a couple of SDK
 * requests) per batch instead of per delivery. The embedded executor starts a batch with whatever
 * is waiting, so a lone message is not delayed; on Inngest the batch starts when full or after
 * `timeout`. Deliveries the first attempt did not end go to `deliverRetries`.
 */
export const deliverFirstAttempts = inngest.createFunction(
  {
    id: "deliver-first-attempts",
    triggers: [deliveryRequested],
    batchEvents: { maxSize: FIRST_ATTEMPT_BATCH, timeout: "1s" },
    // The hand-off of retries is this run's last duty: if sending it fails (the app's ingest route
    // down), the step is retried for hours (Inngest's maximum, with the executor's capped backoff)
    // rather than leaving deliveries pending with no run. Re-running the batch step repeats no
    // recorded attempt.
    retries: 20,
  },
  async ({ events, step }) => {
    const summary = await step.run("first-attempts", () =>
      performFirstAttempts(events.map((e) => ({ deliveryId: ids.delivery.of(e.data.deliveryId), trigger: e.data.trigger, traceparent: e.data.traceparent }))),
    );
    if (summary.retries.length > 0) {
      const byId = new Map(events.map((e) => [e.data.deliveryId, e.data]));
      await step.sendEvent(
        "schedule-retries",
        summary.retries.map((r) => deliveryRetryDue.create({ ...byId.get(r.deliveryId)!, attempt: r.attempt, at: r.at })),
      );
    }
    return { succeeded: summary.succeeded, failed: summary.failed, stopped: summary.stopped, retrying: summary.retries.length };
  },
);

/**
 * The rest of one delivery's schedule: sleeps until the attempt handed over is due, then one
 * attempt after each wait of the retry schedule (5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h by
 * default) until one is acknowledged. Disabling or deleting the endpoint cancels the run, even while
 * it sleeps.
 */
export const deliverRetries = inngest.createFunction(
  {
    id: "deliver-message",
    triggers: [deliveryRetryDue],
    cancelOn: [
      { event: endpointDisabled, match: "data.endpointId" },
      { event: endpointDeleted, match: "data.endpointId" },
    ],
  },
  async ({ event, step }) => {
    const { trigger = "SCHEDULED", attempt: first, at } = event.data;
    const deliveryId = ids.delivery.of(event.data.deliveryId);
    await step.sleepUntil(`wait-before-attempt-${first}`, at);
    const waitsPerRun = deliveryConfig().organizationPauseWaitsPerRun;
    let pausedWaits = 0;
    // The delivery module decides whether an attempt was the last and when the next is due.
    for (let n = first; ; n++) {
      // Waiting for a rate-limit slot, or for staff to enable the organization again, is a durable
      // sleep that does not use up the attempt.
      let waitedFor: "rate-limit" | "organization-disabled" | null = null;
      for (let wait = 0; ; wait++) {
        const id: string = waitedFor ? `attempt-${n}-after-${waitedFor}-${wait}` : `attempt-${n}`;
        const result = await step.run(id, () =>
          performScheduledAttempt(deliveryId, n, { trigger, trace: tracingEnabled ? { functionId: "deliver-message", traceparent: event.data.traceparent } : undefined }),
        );
        if (result.kind === "rate_limited" || result.kind === "paused") {
          waitedFor = result.kind === "paused" ? "organization-disabled" : "rate-limit";
          // An organization may stay disabled for days: past so many rechecks the wait goes on in a
          // new run, so this one stays within Inngest's limit on steps per run.
          if (result.kind === "paused" && ++pausedWaits > waitsPerRun) {
            const due = new Date(Date.now() + Math.max(1, result.retryInMs)).toISOString();
            await step.sendEvent(`continue-while-organization-disabled-${n}`, deliveryRetryDue.create({ ...event.data, attempt: n, at: due }));
            return { kind: "continued" as const };
          }
          await step.sleep(`${waitedFor}-before-attempt-${n}-${wait + 1}`, Math.max(1, result.retryInMs));
          continue;
        }
        if (result.kind === "stopped" || result.ok) return result;
        if (!result.nextAttemptAt) return { kind: "exhausted" as const };
        await step.sleepUntil(`wait-before-attempt-${n + 1}`, result.nextAttemptAt);
        break;
      }
    }
  },
);
