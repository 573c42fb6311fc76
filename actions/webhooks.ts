"use server";

import { revalidatePath } from "next/cache";
import { defineAction, fail, member } from "@/lib/actions/define-action";
import { MANAGE_ROLE } from "@/lib/auth/roles";
import { setWebhooksEnabled } from "@/lib/organizations/organizations";
import { webhooksPath } from "@/lib/routes";
import { setWebhooksEnabledSchema } from "@/lib/validations/organization";

/**
 * Members (Owner, Admin) switch the organization's webhooks. Portal visitors are admitted to the
 * check only so that a read-only, ended or other organization's link keeps its precise refusal;
 * a valid link is refused too: Svix's portal has no such switch, and a link given to a customer
 * must not be able to stop the organization's deliveries.
 */
export const setWebhooksEnabledAction = defineAction({
  input: setWebhooksEnabledSchema,
  access: member(MANAGE_ROLE, { portal: true }),
  run: async ({ org, enabled }, { organization, portal }) => {
    if (portal) return fail("forbidden", "A portal link cannot switch the organization's webhooks on or off: an owner or admin of the organization does that in HookRelay.");
    const now = await setWebhooksEnabled(organization.id, enabled);
    revalidatePath(webhooksPath(org));
    return { enabled: now };
  },
});
