"use server";

import { revalidatePath } from "next/cache";
import { fail, ok, runAction, type ActionResult } from "@/lib/action-result";
import { MANAGE_ROLE } from "@/lib/auth/roles";
import { requireMember } from "@/lib/auth/session";
import {
  createEndpoint,
  deleteEndpoint,
  revealEndpointSecret,
  rotateEndpointSecret,
  setEndpointDisabled,
  updateEndpoint,
  type EndpointFailure,
} from "@/lib/endpoints/endpoints";
import { announceEndpointStopped } from "@/lib/endpoints/stop-notice";
import { webhooksPath } from "@/lib/routes";
import { createEndpointSchema, endpointRefSchema, setEndpointDisabledSchema, updateEndpointSchema } from "@/lib/validations/endpoint";
import { invalidInput as invalid } from "@/lib/validations/invalid-input";

function failed(result: EndpointFailure): ActionResult<never> {
  return fail(result.code, result.message, result.field ? { [result.field]: [result.message] } : undefined);
}

/** Every page under Webhooks shows endpoint data (list, detail, activity). */
function refresh(org: string) {
  revalidatePath(webhooksPath(org), "layout");
}

export async function createEndpointAction(input: unknown): Promise<ActionResult<{ id: string }>> {
  return runAction(async () => {
    const parsed = createEndpointSchema.safeParse(input);
    if (!parsed.success) return invalid(parsed.error);
    const { org, ...config } = parsed.data;
    const { organization, user } = await requireMember(org, MANAGE_ROLE);
    const result = await createEndpoint(organization.id, config, user);
    if (!result.ok) return failed(result);
    refresh(org);
    return ok({ id: result.id });
  });
}

export async function updateEndpointAction(input: unknown): Promise<ActionResult<{ changed: string[] }>> {
  return runAction(async () => {
    const parsed = updateEndpointSchema.safeParse(input);
    if (!parsed.success) return invalid(parsed.error);
    const { org, endpointId, confirmUrlChange, ...config } = parsed.data;
    const { organization, user } = await requireMember(org, MANAGE_ROLE);
    const result = await updateEndpoint(organization.id, endpointId, config, confirmUrlChange, user);
    if (!result.ok) return failed(result);
    refresh(org);
    return ok({ changed: result.changed });
  });
}

export async function setEndpointDisabledAction(input: unknown): Promise<ActionResult<{ disabled: boolean; warning?: string }>> {
  return runAction(async () => {
    const parsed = setEndpointDisabledSchema.safeParse(input);
    if (!parsed.success) return invalid(parsed.error);
    const { org, endpointId, disabled } = parsed.data;
    const { organization, user } = await requireMember(org, MANAGE_ROLE);
    const result = await setEndpointDisabled(organization.id, endpointId, disabled, user);
    if (!result.ok) return failed(result);
    refresh(org);
    if (disabled && result.changed) {
      const notice = await announceEndpointStopped("disabled", { organizationId: organization.id, endpointId });
      if (!notice.published) return ok({ disabled, warning: notice.warning });
    }
    return ok({ disabled });
  });
}

export async function deleteEndpointAction(input: unknown): Promise<ActionResult<{ warning?: string }>> {
  return runAction(async () => {
    const parsed = endpointRefSchema.safeParse(input);
    if (!parsed.success) return invalid(parsed.error);
    const { org, endpointId } = parsed.data;
    const { organization, user } = await requireMember(org, MANAGE_ROLE);
    const result = await deleteEndpoint(organization.id, endpointId, user);
    if (!result.ok) return failed(result);
    refresh(org);
    const notice = await announceEndpointStopped("deleted", { organizationId: organization.id, endpointId });
    return ok(notice.published ? {} : { warning: notice.warning });
  });
}

export async function rotateEndpointSecretAction(input: unknown): Promise<ActionResult<{ previousExpiresAt: string }>> {
  return runAction(async () => {
    const parsed = endpointRefSchema.safeParse(input);
    if (!parsed.success) return invalid(parsed.error);
    const { organization, user } = await requireMember(parsed.data.org, MANAGE_ROLE);
    const result = await rotateEndpointSecret(organization.id, parsed.data.endpointId, user);
    if (!result.ok) return failed(result);
    refresh(parsed.data.org);
    return ok({ previousExpiresAt: result.previousExpiresAt.toISOString() });
  });
}

/** Owners and admins only: a viewer who could read the secret could forge webhooks to the receiver. */
export async function revealEndpointSecretAction(input: unknown): Promise<ActionResult<{ secret: string }>> {
  return runAction(async () => {
    const parsed = endpointRefSchema.safeParse(input);
    if (!parsed.success) return invalid(parsed.error);
    const { organization, user } = await requireMember(parsed.data.org, MANAGE_ROLE);
    const result = await revealEndpointSecret(organization.id, parsed.data.endpointId, user);
    if (!result.ok) return failed(result);
    refresh(parsed.data.org);
    return ok({ secret: result.secret });
  });
}
