import { z } from "zod";
import { endpointRefSchema } from "@/lib/validations/endpoint";
import { jsonObject } from "@/lib/validations/json-object";
import { sendEventSchema } from "@/lib/validations/message";

/** The Testing tab's form: an event type and its payload as JSON text (the textarea). */
export const endpointTestSchema = endpointRefSchema.extend({
  eventType: sendEventSchema.shape.eventType,
  payloadJson: jsonObject("The payload"),
});

/** A test delivery the Testing tab polls while it is pending. */
export const testDeliveryRefSchema = endpointRefSchema.extend({
  deliveryId: z.string().regex(/^dlv_[0-9a-f]{32}$/, "Unknown delivery id"),
});
