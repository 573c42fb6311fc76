"use server";

import { revalidatePath } from "next/cache";
import { fail, fromZod, ok, runAction, type ActionResult } from "@/lib/action-result";
import { createApiKey, revokeApiKey, type ApiKeySummary } from "@/lib/api-keys/manage";
import { MANAGE_ROLE } from "@/lib/auth/roles";
import { requireMember } from "@/lib/auth/session";
import { apiKeysPath } from "@/lib/routes";
import { createApiKeySchema, revokeApiKeySchema } from "@/lib/validations/api-key";

/** Organization keys need Owner or Admin; platform keys need platform staff. */
async function authorize(org: string, scope: "ORGANIZATION" | "PLATFORM") {
  const member = await requireMember(org, scope === "ORGANIZATION" ? MANAGE_ROLE : "VIEWER");
  if (scope === "PLATFORM" && !member.user.isStaff) return { member, refused: fail("forbidden", "Only platform staff can manage platform keys.") };
  return { member, refused: null };
}

export async function createApiKeyAction(input: unknown): Promise<ActionResult<{ key: string; summary: ApiKeySummary }>> {
  return runAction(async () => {
    const parsed = createApiKeySchema.safeParse(input);
    if (!parsed.success) return fromZod(parsed.error);
    const { org, name, scope } = parsed.data;
    const { member, refused } = await authorize(org, scope);
    if (refused) return refused;
    const created = await createApiKey({
      name,
      scope,
      organizationId: scope === "ORGANIZATION" ? member.organization.id : null,
      createdById: member.user.id,
    });
    revalidatePath(apiKeysPath(org));
    return ok(created);
  });
}

export async function revokeApiKeyAction(input: unknown): Promise<ActionResult<{ id: string }>> {
  return runAction(async () => {
    const parsed = revokeApiKeySchema.safeParse(input);
    if (!parsed.success) return fromZod(parsed.error);
    const { org, id } = parsed.data;
    const asOrgKey = await requireMember(org, MANAGE_ROLE);
    let revoked = await revokeApiKey(id, { scope: "ORGANIZATION", organizationId: asOrgKey.organization.id });
    if (!revoked && asOrgKey.user.isStaff) revoked = await revokeApiKey(id, { scope: "PLATFORM", organizationId: null });
    if (!revoked) return fail("not_found", "No active key with that id here. It may already be revoked.");
    revalidatePath(apiKeysPath(org));
    return ok({ id });
  });
}
