"use server";

import { revalidatePath } from "next/cache";
import { defineAction, fail, staff, type ActionFailure } from "@/lib/actions/define-action";
import { createEndpoint, deleteEndpoint, getEndpoint, revealEndpointSecret, rotateEndpointSecret, setEndpointDisabled, updateEndpoint, type EndpointFailure } from "@/lib/endpoints/endpoints";
import { PLATFORM_ORGANIZATION_ID } from "@/lib/operational/platform";
import { resendMessage } from "@/lib/recovery/resend";
import { operationalWebhooksPath } from "@/lib/routes";
import {
  operatorEndpointFormSchema,
  operatorEndpointRefSchema,
  resendOperationalMessageSchema,
  setOperatorEndpointDisabledSchema,
  updateOperatorEndpointSchema,
} from "@/lib/validations/operational";

/**
 * Operator endpoints (Platform → Operational webhooks), staff only: endpoints of the platform
 * organization, changed through the same domain functions as a customer's (lib/endpoints), so
 * every rule, audit entry and stop of pending deliveries is the same.
 */

const PLATFORM = PLATFORM_ORGANIZATION_ID;

function refresh() {
  revalidatePath(operationalWebhooksPath(), "layout");
}

function failed(result: EndpointFailure): ActionFailure {
  return fail(result.code, result.message, result.field ? { [result.field]: [result.message] } : undefined);
}

export const createOperatorEndpointAction = defineAction({
  input: operatorEndpointFormSchema,
  access: staff(),
  run: async (input, { user }) => {
    const created = await createEndpoint(PLATFORM, { ...input, headers: [] }, user);
    if (!created.ok) return failed(created);
    refresh();
    return { id: created.id };
  },
});

export const updateOperatorEndpointAction = defineAction({
  input: updateOperatorEndpointSchema,
  access: staff(),
  run: async ({ endpointId, ...input }, { user }) => {
    const current = await getEndpoint(PLATFORM, endpointId);
    if (!current) return fail("not_found", "This operator endpoint does not exist or was deleted.");
    // Operators see their own log only: a changed URL needs no confirmation here.
    const updated = await updateEndpoint(PLATFORM, endpointId, { ...input, headers: current.headers }, true, user);
    if (!updated.ok) return failed(updated);
    refresh();
    return { changed: updated.changed };
  },
});

export const setOperatorEndpointDisabledAction = defineAction({
  input: setOperatorEndpointDisabledSchema,
  access: staff(),
  run: async ({ endpointId, disabled }, { user }) => {
    const result = await setEndpointDisabled(PLATFORM, endpointId, disabled, user);
    if (!result.ok) return failed(result);
    refresh();
    return { disabled };
  },
});

export const deleteOperatorEndpointAction = defineAction({
  input: operatorEndpointRefSchema,
  access: staff(),
  run: async ({ endpointId }, { user }) => {
    const result = await deleteEndpoint(PLATFORM, endpointId, user);
    if (!result.ok) return failed(result);
    refresh();
    return { deleted: true };
  },
});

export const revealOperatorEndpointSecretAction = defineAction({
  input: operatorEndpointRefSchema,
  access: staff(),
  run: async ({ endpointId }, { user }) => {
    const result = await revealEndpointSecret(PLATFORM, endpointId, user);
    return result.ok ? { secret: result.secret } : failed(result);
  },
});

export const rotateOperatorEndpointSecretAction = defineAction({
  input: operatorEndpointRefSchema,
  access: staff(),
  run: async ({ endpointId }, { user }) => {
    const result = await rotateEndpointSecret(PLATFORM, endpointId, user);
    if (!result.ok) return failed(result);
    refresh();
    return { previousExpiresAt: result.previousExpiresAt.toISOString() };
  },
});

export const resendOperationalMessageAction = defineAction({
  input: resendOperationalMessageSchema,
  access: staff(),
  run: async ({ endpointId, messageId, confirmDelivered }, { user }) => {
    const result = await resendMessage({ id: PLATFORM, webhooksEnabled: true }, endpointId, messageId, { confirmDelivered }, user);
    if (!result.ok) return fail(result.code, result.message);
    refresh();
    return { succeeded: result.attempt.ok, statusCode: result.attempt.statusCode, error: result.attempt.error };
  },
});
