"use server";

import { revalidatePath } from "next/cache";
import { defineAction, member } from "@/lib/actions/define-action";
import { MANAGE_ROLE } from "@/lib/auth/roles";
import { setWebhooksEnabled } from "@/lib/organizations/organizations";
import { webhooksPath } from "@/lib/routes";
import { setWebhooksEnabledSchema } from "@/lib/validations/organization";

export const setWebhooksEnabledAction = defineAction({
  input: setWebhooksEnabledSchema,
  access: member(MANAGE_ROLE, { portal: true }),
  run: async ({ org, enabled }, { organization }) => {
    const now = await setWebhooksEnabled(organization.id, enabled);
    revalidatePath(webhooksPath(org));
    return { enabled: now };
  },
});
