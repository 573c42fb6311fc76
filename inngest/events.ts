import { eventType } from "inngest";
import { z } from "zod";

/**
 * Domain events published through `inngest.send()`. Each schema is the single source of truth for
 * its payload: senders build events with `.create()`, functions trigger on the same object.
 */
const endpointRef = z.object({ organizationId: z.string().min(1), endpointId: z.string().min(1) });

/** An endpoint was disabled: pending deliveries to it stop (cancelOn + a check before each attempt). */
export const endpointDisabled = eventType("endpoint/disabled", { schema: endpointRef });

/** An endpoint was deleted: same effect as disabled; its history stays readable. */
export const endpointDeleted = eventType("endpoint/deleted", { schema: endpointRef });

const deliveryRef = z.object({
  deliveryId: z.string().min(1),
  organizationId: z.string().min(1),
  endpointId: z.string().min(1),
  messageId: z.string().min(1),
  /** How its attempts are recorded: a test send from the endpoint's Testing tab is TEST. Absent means SCHEDULED. */
  trigger: z.enum(["SCHEDULED", "TEST"]).optional(),
  /** The W3C trace context of the call that created the message, when tracing is on (lib/observability/tracing.ts): its attempts continue that trace. */
  traceparent: z.string().max(64).optional(),
});

/** One message is due for one endpoint: its first attempt is made (in a batch with other deliveries). */
export const deliveryRequested = eventType("delivery/requested", { schema: deliveryRef });

/**
 * A delivery whose first attempt did not end it: the retry function sleeps until `at`, then makes
 * attempt `attempt` and follows the rest of the schedule.
 */
export const deliveryRetryDue = eventType("delivery/retry.due", {
  schema: deliveryRef.extend({
    attempt: z.number().int().min(1),
    /** ISO time the attempt is due. */
    at: z.iso.datetime(),
  }),
});

/** A recovery task (lib/recovery) was recorded: its background function sends it in batches. */
export const recoveryRequested = eventType("recovery/requested", {
  schema: z.object({
    taskId: z.string().min(1),
    organizationId: z.string().min(1),
    /** A long task continues in a new run every so many batches (Inngest allows 1,000 steps per run). */
    part: z.number().int().min(1).optional(),
  }),
});
