import { db } from "@/lib/db";

/** Turns webhooks on or off for an organization. Returns the new state. */
export async function setWebhooksEnabled(organizationId: string, enabled: boolean): Promise<boolean> {
  const org = await db.organization.update({
    where: { id: organizationId },
    data: { webhooksEnabled: enabled },
    select: { webhooksEnabled: true },
  });
  return org.webhooksEnabled;
}
