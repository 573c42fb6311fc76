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

/** One message is due for one endpoint: the delivery function runs the retry schedule for it. */
export const deliveryRequested = eventType("delivery/requested", {
  schema: z.object({
    deliveryId: z.string().min(1),
    organizationId: z.string().min(1),
    endpointId: z.string().min(1),
    messageId: z.string().min(1),
    /** How its attempts are recorded: a test send from the endpoint's Testing tab is TEST. Absent means SCHEDULED. */
    trigger: z.enum(["SCHEDULED", "TEST"]).optional(),
  }),
});
