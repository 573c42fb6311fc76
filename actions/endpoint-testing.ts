"use server";

import { revalidatePath } from "next/cache";
import { defineAction, fail, member } from "@/lib/actions/define-action";
import { MANAGE_ROLE } from "@/lib/auth/roles";
import { checkTestPayload, sendTestMessage, testDeliveryState } from "@/lib/messages/send-test";
import { webhooksPath } from "@/lib/routes";
import { endpointTestSchema, testDeliveryRefSchema } from "@/lib/validations/endpoint-test";

/** Checks the payload as the admin types: schemas compile with `new Function`, which the page's CSP forbids in the browser. */
export const checkTestPayloadAction = defineAction({
  input: endpointTestSchema,
  access: member("VIEWER", { portal: true }),
  run: async ({ eventType, payloadJson }) => {
    const check = await checkTestPayload(eventType, payloadJson);
    if (check.ok) return { valid: true as const };
    return fail(check.code, check.message, { payloadJson: "details" in check ? check.details.map((d) => `${d.path || "(payload)"} ${d.message}`) : [check.message] });
  },
});

export const sendTestAction = defineAction({
  input: endpointTestSchema,
  access: member(MANAGE_ROLE, { portal: true }),
  run: async ({ org, endpointId, eventType, payloadJson }, { organization }) => {
    const result = await sendTestMessage(organization, endpointId, { eventType, payload: payloadJson });
    if (!result.ok) {
      const fieldErrors = "details" in result ? { payloadJson: result.details.map((d) => `${d.path || "(payload)"} ${d.message}`) } : undefined;
      return fail(result.code, result.message, fieldErrors);
    }
    // The message is in the logs and the endpoint's attempted messages now.
    revalidatePath(webhooksPath(org), "layout");
    return { messageId: result.messageId, deliveryId: result.deliveryId };
  },
});

export const testDeliveryStateAction = defineAction({
  input: testDeliveryRefSchema,
  access: member("VIEWER", { portal: true }),
  run: async ({ endpointId, deliveryId }, { organization }) => {
    const state = await testDeliveryState(organization.id, endpointId, deliveryId);
    return state ?? fail("not_found", "This test delivery does not exist.");
  },
});
