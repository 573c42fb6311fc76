import { z } from "zod";
import { ids } from "@/lib/ids";
import { jsonObject, refuseUnstorableJson } from "@/lib/validations/json-object";
import { orgSlugSchema } from "@/lib/validations/organization";

/** Largest accepted request body for a message (the JSON of the whole create call). */
export const MAX_MESSAGE_BYTES = 256 * 1024;
/** An `eventId` sent again within this window is refused (the original message stands). */
export const IDEMPOTENCY_WINDOW_MS = 24 * 60 * 60 * 1000;

/** How far ahead a message may be scheduled (`deliverAt`): 5 days. */
export const MAX_DELIVER_AHEAD_MS = 5 * 24 * 60 * 60 * 1000;

/** Why `deliverAt` cannot be accepted at `now`, or null: it must be in the future, at most 5 days ahead. */
export function deliverAtProblem(deliverAt: Date, now: Date): string | null {
  if (deliverAt.getTime() <= now.getTime()) return `deliverAt must be in the future (it is ${now.toISOString()} now): leave it out to deliver at once`;
  const latest = new Date(now.getTime() + MAX_DELIVER_AHEAD_MS);
  if (deliverAt > latest) return `deliverAt must be at most 5 days ahead, no later than ${latest.toISOString()}`;
  return null;
}

export const eventIdSchema = z
  .string({ error: "eventId must be a string" })
  .min(1, "eventId must not be empty")
  .max(256, "eventId must be at most 256 characters")
  .regex(/^[\x21-\x7e]+$/, "eventId must be printable ASCII without spaces");

/** The create-message call, shaped like Svix's: the API, the server action and the staff form share it. */
export const sendEventSchema = z.object({
  eventType: z
    .string({ error: "eventType is required and must be a string, e.g. \"contract.created\"" })
    .min(1, "eventType is required, e.g. \"contract.created\"")
    .max(200, "eventType must be at most 200 characters"),
  payload: z.record(z.string(), z.unknown(), { error: "payload is required and must be a JSON object" }).superRefine(refuseUnstorableJson),
  eventId: eventIdSchema.optional(),
});

export type SendEventInput = z.infer<typeof sendEventSchema>;

/**
 * The staff Send event form: the organization is chosen in the form, the payload is typed as JSON
 * text, and an empty event id means none. Its output is a `SendEventInput` plus the organization.
 */
export const sendEventFormSchema = z.object({
  org: orgSlugSchema,
  eventType: sendEventSchema.shape.eventType,
  payloadJson: jsonObject("The payload"),
  eventId: z
    .string()
    .trim()
    .optional()
    .transform((value) => value || undefined)
    .pipe(eventIdSchema.optional()),
});

/** The message detail's Expunge: the payload, and the receivers' answers unless `responses` is false. */
export const expungeMessageSchema = z.object({
  org: orgSlugSchema,
  messageId: ids.message.schema(),
  responses: z.boolean({ error: "responses must be true or false" }).default(true),
});
