import { diffFields } from "@/lib/audit/diff";
import { recordAudit, type Actor } from "@/lib/audit/record";
import { db } from "@/lib/db";

/**
 * Replaces the origins allowed to frame the organization's portal (already validated by
 * `portalOriginsSchema`). The `organization_changed` trigger tells every process's organization
 * cache, which the proxy reads to write `frame-ancestors`.
 */
export async function setPortalOrigins(organizationId: string, origins: string[], actor: Actor): Promise<{ origins: string[]; changed: boolean }> {
  return db.$transaction(async (tx) => {
    const before = await tx.organization.findUniqueOrThrow({ where: { id: organizationId }, select: { portalOrigins: true } });
    const changed = before.portalOrigins.length !== origins.length || before.portalOrigins.some((o, i) => o !== origins[i]);
    if (!changed) return { origins, changed };
    await tx.organization.update({ where: { id: organizationId }, data: { portalOrigins: origins } });
    await recordAudit(tx, { actor, action: "portal.origins_changed", organizationId, changes: diffFields({ portalOrigins: before.portalOrigins }, { portalOrigins: origins }) });
    return { origins, changed };
  });
}
