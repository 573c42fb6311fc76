import type { Prisma } from "@/lib/generated/prisma/client";

/**
 * The platform organization: an organization of HookRelay's own whose endpoints are the operator
 * endpoints (operational webhooks, lib/operational) and whose messages are the operational events.
 * It reuses every piece of delivery (signing, retries, the attempt log, resends, auto-disable) as
 * a customer's endpoint does, and is never a customer: it is created with the first operator
 * endpoint, its id and slug (one and the same) are outside what a customer's slug may be, nobody
 * is ever a member, and every path that lists or resolves organizations (the API's applications
 * and `{app_id}`, the staff lists and choosers, staff actions by id, invites) treats it as absent.
 */
export const PLATFORM_ORGANIZATION_ID = "_platform";

/** Whether an organization id or slug names the platform organization. */
export const isPlatformOrganization = (idOrSlug: string) => idOrSlug === PLATFORM_ORGANIZATION_ID;

/** Creates the platform organization if it does not exist yet (two first operator endpoints at once create it once). */
export async function ensurePlatformOrganization(tx: Pick<Prisma.TransactionClient, "$executeRaw">, now: Date = new Date()): Promise<void> {
  await tx.$executeRaw`
    INSERT INTO "Organization" (id, name, slug, "webhooksEnabled", "createdAt", "updatedAt")
    VALUES (${PLATFORM_ORGANIZATION_ID}, 'Platform (operational webhooks)', ${PLATFORM_ORGANIZATION_ID}, true, ${now.toISOString()}::timestamp, ${now.toISOString()}::timestamp)
    ON CONFLICT DO NOTHING`;
}
