import { inngest } from "@/inngest/client";
import { deliveryRequested, endpointDeleted, endpointDisabled } from "@/inngest/events";
import { performScheduledAttempt } from "@/lib/delivery/perform";

/**
 * Delivers one message to one endpoint: the first attempt at once, then one attempt after each
 * wait of the retry schedule (5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h by default) until one is
 * acknowledged. Disabling or deleting the endpoint cancels the run, even while it sleeps.
 */
export const deliverMessage = inngest.createFunction(
  {
    id: "deliver-message",
    triggers: [deliveryRequested],
    cancelOn: [
      { event: endpointDisabled, match: "data.endpointId" },
      { event: endpointDeleted, match: "data.endpointId" },
    ],
  },
  async ({ event, step }) => {
    const { deliveryId, trigger = "SCHEDULED" } = event.data;
    // The delivery module decides whether an attempt was the last and when the next is due.
    for (let n = 1; ; n++) {
      // Waiting for a rate-limit slot is a durable sleep that does not use up the attempt.
      for (let wait = 0; ; wait++) {
        const result = await step.run(wait === 0 ? `attempt-${n}` : `attempt-${n}-after-rate-limit-${wait}`, () => performScheduledAttempt(deliveryId, n, { trigger }));
        if (result.kind === "rate_limited") {
          await step.sleep(`rate-limit-before-attempt-${n}-${wait + 1}`, Math.max(1, result.retryInMs));
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
