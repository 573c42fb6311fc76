import { z } from "zod";
import type { ValidationIssue } from "@/lib/api/problem";
import { apiError, defineOperation, type AnyOperation } from "@/lib/api/v1/operation";
import { appParams, dateTimeOut } from "@/lib/api/v1/schemas";
import { sendEvent } from "@/lib/messages/send-event";
import { MAX_MESSAGE_BYTES, sendEventSchema } from "@/lib/validations/message";

/** Svix's `MessageOut`. */
export const messageOut = z
  .object({
    id: z.string().meta({ description: "The message id (`msg_…`), also the `webhook-id` header of its deliveries." }),
    eventType: z.string(),
    eventId: z.string().nullable().meta({ description: "Your id for the event, if you gave one: unique per organization for 24 hours." }),
    payload: z.record(z.string(), z.unknown()),
    timestamp: dateTimeOut.meta({ description: "When it was recorded." }),
  })
  .meta({ id: "MessageOut" });

const messageCreated = messageOut
  .extend({
    deliveries: z
      .object({ total: z.number().int(), scheduled: z.number().int(), failed: z.number().int() })
      .optional()
      .meta({ description: "The deliveries the message fanned out to (one per subscribed, enabled endpoint). Absent when `eventId` repeated an earlier message." }),
    warning: z.string().optional().meta({ description: "Present when the deliveries could not be scheduled: they were ended failed and nothing will be sent." }),
  })
  .meta({ id: "MessageCreated" });

const messageIn = sendEventSchema
  .extend({
    channels: z.array(z.string()).nullish().meta({ description: "Accepted for Svix compatibility; not used." }),
    tags: z.array(z.string()).nullish().meta({ description: "Accepted for Svix compatibility; not used." }),
  })
  .meta({ id: "MessageIn" });

/** JSON Pointer `/a/0/b` → `["a", 0, "b"]`. */
function pointerPath(pointer: string): (string | number)[] {
  return pointer
    .split("/")
    .slice(1)
    .map((p) => p.replace(/~1/g, "/").replace(/~0/g, "~"))
    .map((p) => (/^\d+$/.test(p) ? Number(p) : p));
}

/**
 * What became of a new message's deliveries. The message is recorded either way (202), so a
 * client must not resend it blindly; when scheduling failed the deliveries are FAILED with the
 * reason in the dashboard, and `warning` says so (the internal reason stays in the server log).
 */
function deliverySummary(total: number, notScheduled: boolean) {
  if (!notScheduled) return { deliveries: { total, scheduled: total, failed: 0 } };
  return {
    deliveries: { total, scheduled: 0, failed: total },
    warning: `The message was recorded, but its ${total === 1 ? "delivery" : `${total} deliveries`} could not be scheduled and ${total === 1 ? "was" : "were"} marked failed. Nothing will be sent for this message; send the event again (with a new eventId, if you set one) once the service is available.`,
  };
}

export const messagesOperations: AnyOperation[] = [
  defineOperation({
    method: "POST",
    path: "/api/v1/app/{app_id}/msg",
    operationId: "v1.message.create",
    tag: "Message",
    summary: "Create message",
    description:
      "Records the event for the organization and fans it out to every enabled endpoint subscribed to its type. The payload is checked against the event type's schema. 202 when created; 200 with the original message when `eventId` was already used within 24 hours (nothing is sent again).",
    access: "app",
    params: appParams,
    body: messageIn,
    maxBodyBytes: MAX_MESSAGE_BYTES,
    response: { status: 202, description: "Recorded, with its deliveries scheduled.", schema: messageCreated },
    errors: ["webhooks_disabled", "unknown_event_type", "invalid_payload", "not_scheduled"],
    handler: async ({ organization, body }) => {
      const result = await sendEvent(organization, { eventType: body.eventType, payload: body.payload, eventId: body.eventId });
      if (!result.ok) {
        if (result.code === "invalid_payload") {
          const issues: ValidationIssue[] = result.details.map((d) => ({ loc: ["body", "payload", ...pointerPath(d.path)], msg: d.message, type: "schema" }));
          throw apiError("invalid_payload", result.message, issues);
        }
        if (result.code === "webhooks_disabled") throw apiError(result.code, result.message);
        throw apiError(result.code, result.message, [{ loc: ["body", "eventType"], msg: result.message, type: result.code }]);
      }
      if (!result.created) return Response.json(result.message, { status: 200, headers: { "cache-control": "no-store" } });
      return { ...result.message, timestamp: new Date(result.message.timestamp), ...deliverySummary(result.deliveries, result.notScheduled !== null) };
    },
  }),
];
