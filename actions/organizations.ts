"use server";

import { revalidatePath } from "next/cache";
import { ActionFailure, defineAction, fail, staff } from "@/lib/actions/define-action";
import type { Actor } from "@/lib/audit/record";
import { createInvite } from "@/lib/members/invites";
import { isOrganizationDisabled } from "@/lib/organizations/disabled";
import { createOrganization, setOrganizationDisabled, updateOrganization } from "@/lib/organizations/organizations";
import type { OwnerInvite } from "@/lib/organizations/wire";
import { organizationsPath } from "@/lib/routes";
import {
  staffCreateOrganizationSchema,
  staffInviteOwnerSchema,
  staffRenameOrganizationSchema,
  staffSetOrganizationDisabledSchema,
} from "@/lib/validations/organization";

function refresh() {
  revalidatePath(organizationsPath());
}

function slugTaken(slug: string): ActionFailure {
  const message = `Another organization already uses the slug "${slug}": choose another.`;
  return fail("slug_taken", message, { slug: [message] });
}

async function ownerInvite(organizationId: string, email: string, actor: Actor): Promise<OwnerInvite | ActionFailure> {
  const result = await createInvite({ organizationId, email, role: "OWNER" }, actor);
  if (!result.ok) return fail(result.code, result.message, { email: [result.message] });
  return { email: result.invite.email, path: result.path, expiresAt: result.invite.expiresAt };
}

export const createOrganizationAction = defineAction({
  input: staffCreateOrganizationSchema,
  access: staff(),
  run: async ({ name, slug, ownerEmail }, { user }): Promise<{ slug: string; name: string; invite: OwnerInvite | null } | ActionFailure> => {
    const created = await createOrganization({ name, slug }, user);
    if (!created.ok) return slugTaken(created.slug);
    refresh();
    const { organization } = created;
    if (!ownerEmail) return { slug: organization.slug, name: organization.name, invite: null };
    // A new organization has no members, so the invite can only fail if it was deleted meanwhile.
    const invite = await ownerInvite(organization.id, ownerEmail, user);
    if (invite instanceof ActionFailure) return invite;
    return { slug: organization.slug, name: organization.name, invite };
  },
});

export const renameOrganizationAction = defineAction({
  input: staffRenameOrganizationSchema,
  access: staff(),
  run: async ({ id, name, slug }, { user }) => {
    const result = await updateOrganization(id, { name, slug }, user);
    if (!result.ok) return result.code === "slug_taken" ? slugTaken(slug) : fail("not_found", "That organization no longer exists.");
    refresh();
    return { name: result.organization.name, slug: result.organization.slug };
  },
});

export const setOrganizationDisabledAction = defineAction({
  input: staffSetOrganizationDisabledSchema,
  access: staff(),
  run: async ({ id, disabled }, { user }) => {
    const result = await setOrganizationDisabled(id, disabled, user);
    if (!result.ok) return fail("not_found", "That organization no longer exists.");
    refresh();
    return { disabled: isOrganizationDisabled(result) };
  },
});

export const inviteOwnerAction = defineAction({
  input: staffInviteOwnerSchema,
  access: staff(),
  run: async ({ id, email }, { user }) => ownerInvite(id, email, user),
});
