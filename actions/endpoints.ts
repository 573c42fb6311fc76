"use server";

import { revalidatePath } from "next/cache";
import { defineAction, fail, member, type ActionFailure } from "@/lib/actions/define-action";
import { MANAGE_ROLE } from "@/lib/auth/roles";
import {
  createEndpoint,
  deleteEndpoint,
  revealEndpointHeaders,
  revealEndpointSecret,
  rotateEndpointSecret,
  setEndpointDisabled,
  updateEndpoint,
  type EndpointFailure,
} from "@/lib/endpoints/endpoints";
import { webhooksPath } from "@/lib/routes";
import { createEndpointSchema, endpointRefSchema, setEndpointDisabledSchema, updateEndpointSchema } from "@/lib/validations/endpoint";

function failed(result: EndpointFailure) {
  return fail(result.code, result.message, result.field ? { [result.field]: [result.message] } : undefined);
}

/** Every page under Webhooks shows endpoint data (list, detail, activity). */
function refresh(org: string) {
  revalidatePath(webhooksPath(org), "layout");
}

export const createEndpointAction = defineAction({
  input: createEndpointSchema,
  access: member(MANAGE_ROLE, { portal: true }),
  run: async ({ org, ...config }, { organization, actor }) => {
    const result = await createEndpoint(organization.id, config, actor);
    if (!result.ok) return failed(result);
    refresh(org);
    return { id: result.id };
  },
});

export const updateEndpointAction = defineAction({
  input: updateEndpointSchema,
  access: member(MANAGE_ROLE, { portal: true }),
  run: async ({ org, endpointId, confirmUrlChange, ...config }, { organization, actor }) => {
    const result = await updateEndpoint(organization.id, endpointId, config, confirmUrlChange, actor);
    if (!result.ok) return failed(result);
    refresh(org);
    return { changed: result.changed };
  },
});

export const setEndpointDisabledAction = defineAction({
  input: setEndpointDisabledSchema,
  access: member(MANAGE_ROLE, { portal: true }),
  run: async ({ org, endpointId, disabled }, { organization, actor }): Promise<{ disabled: boolean } | ActionFailure> => {
    const result = await setEndpointDisabled(organization.id, endpointId, disabled, actor);
    if (!result.ok) return failed(result);
    refresh(org);
    return { disabled };
  },
});

export const deleteEndpointAction = defineAction({
  input: endpointRefSchema,
  access: member(MANAGE_ROLE, { portal: true }),
  run: async ({ org, endpointId }, { organization, actor }): Promise<Record<string, never> | ActionFailure> => {
    const result = await deleteEndpoint(organization.id, endpointId, actor);
    if (!result.ok) return failed(result);
    refresh(org);
    return {};
  },
});

export const rotateEndpointSecretAction = defineAction({
  input: endpointRefSchema,
  access: member(MANAGE_ROLE, { portal: true }),
  run: async ({ org, endpointId }, { organization, actor }) => {
    const result = await rotateEndpointSecret(organization.id, endpointId, actor);
    if (!result.ok) return failed(result);
    refresh(org);
    return { previousExpiresAt: result.previousExpiresAt.toISOString() };
  },
});

/** Owners and admins only: a viewer who could read the secret could forge webhooks to the receiver. */
export const revealEndpointSecretAction = defineAction({
  input: endpointRefSchema,
  access: member(MANAGE_ROLE, { portal: true }),
  run: async ({ org, endpointId }, { organization, actor }) => {
    const result = await revealEndpointSecret(organization.id, endpointId, actor);
    if (!result.ok) return failed(result);
    refresh(org);
    return { secret: result.secret };
  },
});

/**
 * The custom headers' values in clear, for owners and admins (who may edit them anyway); pages show
 * sensitive ones masked (lib/headers-mask.ts) so a viewer or a shared screen never sees them.
 */
export const revealEndpointHeadersAction = defineAction({
  input: endpointRefSchema,
  access: member(MANAGE_ROLE, { portal: true }),
  run: async ({ endpointId }, { organization, actor }) => {
    const result = await revealEndpointHeaders(organization.id, endpointId, actor);
    if (!result.ok) return failed(result);
    return { headers: result.headers };
  },
});
