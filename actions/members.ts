"use server";

import { revalidatePath } from "next/cache";
import { headers } from "next/headers";
import { defineAction, fail, member } from "@/lib/actions/define-action";
import { env } from "@/lib/env";
import { requestOrigin } from "@/lib/http/public-origin";
import { sendInviteMail, type InviteMailOutcome } from "@/lib/members/invite-mail";
import { createInvite, revokeInvite } from "@/lib/members/invites";
import { changeRole, removeMember } from "@/lib/members/members";
import { membersPath } from "@/lib/routes";
import { changeRoleSchema, createInviteSchema, removeMemberSchema, revokeInviteSchema } from "@/lib/validations/member";

/** Owners manage people; admins and viewers only see the lists. */
const MEMBERS_ROLE = "OWNER";

/** The link is returned once, to copy; it is also e-mailed when a mail server is configured. */
export const createInviteAction = defineAction({
  input: createInviteSchema,
  access: member(MEMBERS_ROLE),
  run: async ({ org, email, role }, { organization, user }) => {
    const result = await createInvite({ organizationId: organization.id, email, role }, user);
    if (!result.ok) return fail(result.code, result.message, { email: [result.message] });
    const url = `${requestOrigin(await headers(), env().PORT)}${result.path}`;
    const mail: InviteMailOutcome = await sendInviteMail({
      to: result.invite.email,
      url,
      organizationName: organization.name,
      role,
      invitedBy: user.name ?? user.email,
      expiresAt: result.invite.expiresAt,
    });
    revalidatePath(membersPath(org));
    return { url, email: result.invite.email, role, expiresAt: result.invite.expiresAt, mail };
  },
});

export const revokeInviteAction = defineAction({
  input: revokeInviteSchema,
  access: member(MEMBERS_ROLE),
  run: async ({ org, inviteId }, { organization, user }) => {
    const result = await revokeInvite(organization.id, inviteId, user);
    if (!result.ok) return fail(result.code, result.message);
    revalidatePath(membersPath(org));
    return { email: result.email };
  },
});

export const changeRoleAction = defineAction({
  input: changeRoleSchema,
  access: member(MEMBERS_ROLE),
  run: async ({ org, userId, role }, { organization, user }) => {
    const result = await changeRole(organization.id, userId, role, user);
    if (!result.ok) return fail(result.code, result.message);
    revalidatePath(membersPath(org));
    return result.data;
  },
});

export const removeMemberAction = defineAction({
  input: removeMemberSchema,
  access: member(MEMBERS_ROLE),
  run: async ({ org, userId }, { organization, user }) => {
    const result = await removeMember(organization.id, userId, user);
    if (!result.ok) return fail(result.code, result.message);
    revalidatePath(membersPath(org));
    return { email: result.data.email, self: userId === user.id };
  },
});
