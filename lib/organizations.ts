import { organizationCache } from "@/lib/api/organization";
import { db } from "@/lib/db";

/** Turns webhooks on or off for an organization. Returns the new state. */
export async function setWebhooksEnabled(organizationId: string, enabled: boolean): Promise<boolean> {
  const org = await db.organization.update({
    where: { id: organizationId },
    data: { webhooksEnabled: enabled },
    select: { webhooksEnabled: true },
  });
  // This process's API cache at once; other processes' caches on the trigger's notification.
  organizationCache.invalidate();
  return org.webhooksEnabled;
}

/** Every organization, for staff tools that act on any of them, with whether the user is a member. */
export async function organizationChoices(userId: string) {
  const rows = await db.organization.findMany({
    orderBy: { name: "asc" },
    select: { slug: true, name: true, webhooksEnabled: true, memberships: { where: { userId }, select: { id: true } } },
  });
  return rows.map(({ memberships, ...organization }) => ({ ...organization, member: memberships.length > 0 }));
}

export type OrganizationChoice = Awaited<ReturnType<typeof organizationChoices>>[number];
