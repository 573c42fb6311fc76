"use server";

import { revalidatePath } from "next/cache";
import { defineAction, fail, member, staff } from "@/lib/actions/define-action";
import { createApiKey, revokeApiKey } from "@/lib/api-keys/manage";
import { MANAGE_ROLE } from "@/lib/auth/roles";
import { apiKeysPath } from "@/lib/routes";
import { createApiKeySchema, revokeApiKeySchema } from "@/lib/validations/api-key";

/** Organization keys need Owner or Admin; platform keys, which act on every organization, need platform staff. */
export const createApiKeyAction = defineAction({
  input: createApiKeySchema,
  access: ({ scope }) => (scope === "PLATFORM" ? staff() : member(MANAGE_ROLE)),
  run: async ({ org, name, scope }, caller) => {
    const created = await createApiKey({
      name,
      scope,
      organizationId: "organization" in caller ? caller.organization.id : null,
      createdById: caller.user.id,
    });
    revalidatePath(apiKeysPath(org));
    return created;
  },
});

/** The panel lists the organization's keys and, for staff, the platform keys: either kind is revoked from it. */
export const revokeApiKeyAction = defineAction({
  input: revokeApiKeySchema,
  access: member(MANAGE_ROLE),
  run: async ({ org, id }, { organization, user }) => {
    let revoked = await revokeApiKey(id, { scope: "ORGANIZATION", organizationId: organization.id });
    if (!revoked && user.isStaff) revoked = await revokeApiKey(id, { scope: "PLATFORM", organizationId: null });
    if (!revoked) return fail("not_found", "No active key with that id here. It may already be revoked.");
    revalidatePath(apiKeysPath(org));
    return { id };
  },
});
