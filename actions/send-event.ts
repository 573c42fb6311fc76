"use server";

import { defineAction, fail, staff } from "@/lib/actions/define-action";
import { sendEvent } from "@/lib/messages/send-event";
import { findOrganization } from "@/lib/organizations/cache";
import { sendEventFormSchema } from "@/lib/validations/message";

/**
 * Records an event for any organization, as the platform's internal tools do with a platform key:
 * staff only. The same rules as the HTTP API (lib/messages/send-event.ts) apply.
 */
export const sendEventAction = defineAction({
  input: sendEventFormSchema,
  access: staff(),
  run: async ({ org, eventType, payloadJson, eventId }) => {
    const organization = await findOrganization(org);
    if (!organization) return fail("not_found", `There is no organization "${org}".`, { org: [`There is no organization "${org}".`] });
    const result = await sendEvent(organization, { eventType, payload: payloadJson, eventId });
    if (!result.ok) {
      const details = result.code === "invalid_payload" ? result.details.map((d) => `${d.path || "(payload)"} ${d.message}`) : [];
      return fail(result.code, result.message, details.length ? { payloadJson: details } : undefined);
    }
    return { message: result.message, created: result.created, deliveries: result.deliveries };
  },
});
