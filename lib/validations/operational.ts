import { z } from "zod";
import { ids } from "@/lib/ids";
import { OPERATIONAL_EVENT_TYPE_NAMES } from "@/lib/operational/events";
import { DESCRIPTION_MAX_LENGTH, endpointIdSchema, endpointUrlSchema, rateLimitSchema } from "@/lib/validations/endpoint";

/**
 * Operator endpoints (operational webhooks): the staff form, its actions and the API share these.
 * Unlike a customer's endpoint, an empty list of event types means every operational event
 * (Svix's null): the set is small and the operator's own.
 */

export const operationalEventTypesSchema = z
  .array(z.enum(OPERATIONAL_EVENT_TYPE_NAMES, { error: (issue) => `${String(issue.input)} is not an operational event; choose from ${OPERATIONAL_EVENT_TYPE_NAMES.join(", ")}` }))
  .max(OPERATIONAL_EVENT_TYPE_NAMES.length)
  .transform((names) => [...new Set(names)].sort());

export const operatorEndpointFormSchema = z.object({
  url: endpointUrlSchema,
  description: z.string().trim().max(DESCRIPTION_MAX_LENGTH, `Description must be at most ${DESCRIPTION_MAX_LENGTH} characters`).default(""),
  /** Empty: every operational event. */
  eventTypes: operationalEventTypesSchema.default([]),
  rateLimit: rateLimitSchema,
});

export type OperatorEndpointForm = z.output<typeof operatorEndpointFormSchema>;

export const operatorEndpointRefSchema = z.object({ endpointId: endpointIdSchema });

export const updateOperatorEndpointSchema = operatorEndpointFormSchema.extend({ endpointId: endpointIdSchema });

export const setOperatorEndpointDisabledSchema = operatorEndpointRefSchema.extend({
  disabled: z.boolean({ error: "disabled must be true or false" }),
});

export const resendOperationalMessageSchema = operatorEndpointRefSchema.extend({
  messageId: ids.message.schema(),
  confirmDelivered: z.boolean().default(false),
});
