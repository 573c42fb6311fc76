"use server";

import { revalidatePath } from "next/cache";
import { fromZod, ok, runAction, type ActionResult } from "@/lib/action-result";
import { MANAGE_ROLE } from "@/lib/auth/roles";
import { requireMember } from "@/lib/auth/session";
import { setWebhooksEnabled } from "@/lib/organizations";
import { webhooksPath } from "@/lib/routes";
import { setWebhooksEnabledSchema } from "@/lib/validations/organization";

export async function setWebhooksEnabledAction(input: unknown): Promise<ActionResult<{ enabled: boolean }>> {
  return runAction(async () => {
    const parsed = setWebhooksEnabledSchema.safeParse(input);
    if (!parsed.success) return fromZod(parsed.error);
    const { organization } = await requireMember(parsed.data.org, MANAGE_ROLE);
    const enabled = await setWebhooksEnabled(organization.id, parsed.data.enabled);
    revalidatePath(webhooksPath(parsed.data.org));
    return ok({ enabled });
  });
}
