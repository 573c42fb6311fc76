"use server";

import { z } from "zod";
import { fail, fromZod, ok, runAction, type ActionResult } from "@/lib/action-result";
import { requireMember } from "@/lib/auth/session";
import { sendEvent, type MessageView } from "@/lib/messages/send-event";
import { sendEventSchema } from "@/lib/validations/message";

const formSchema = z.object({
  org: z.string().min(1),
  eventType: sendEventSchema.shape.eventType,
  payloadJson: z.string().min(1, "Enter the payload as a JSON object"),
  eventId: z.string().trim().optional(),
});

/**
 * Records an event for the organization, as the platform's internal tools do: staff only. The
 * same rules as the HTTP API (lib/messages/send-event.ts) apply.
 */
export async function sendEventAction(input: unknown): Promise<ActionResult<{ message: MessageView; created: boolean; deliveries: number }>> {
  return runAction(async () => {
    const form = formSchema.safeParse(input);
    if (!form.success) return fromZod(form.error);
    const { organization, user } = await requireMember(form.data.org, "VIEWER");
    if (!user.isStaff) return fail("forbidden", "Only platform staff can send events from the dashboard.");
    let payload: unknown;
    try {
      payload = JSON.parse(form.data.payloadJson);
    } catch (error) {
      return fail("invalid_input", "The payload is not valid JSON", { payloadJson: [`Not valid JSON: ${error instanceof Error ? error.message : "parse error"}`] });
    }
    const parsed = sendEventSchema.safeParse({ eventType: form.data.eventType, payload, eventId: form.data.eventId || undefined });
    if (!parsed.success) {
      const fieldErrors = z.flattenError(parsed.error).fieldErrors as Record<string, string[]>;
      return fail("invalid_input", parsed.error.issues[0]?.message ?? "Invalid event", { ...fieldErrors, payloadJson: fieldErrors.payload ?? [] });
    }
    const result = await sendEvent(organization, parsed.data);
    if (!result.ok) {
      const details = result.code === "invalid_payload" ? result.details.map((d) => `${d.path || "(payload)"} ${d.message}`) : [];
      return fail(result.code, result.message, details.length ? { payloadJson: details } : undefined);
    }
    return ok({ message: result.message, created: result.created, deliveries: result.deliveries });
  });
}
