import { db } from "@/lib/db";
import type { Changes } from "@/lib/audit/diff";

export interface AuditEntry {
  id: string;
  action: string;
  actorEmail: string;
  createdAt: Date;
  changes: Changes | Record<string, unknown> | null;
}

/** Newest first; bounded so a long-lived endpoint's tab stays fast. */
export async function endpointActivity(organizationId: string, endpointId: string, limit = 200): Promise<AuditEntry[]> {
  const rows = await db.auditLog.findMany({
    where: { organizationId, endpointId },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: limit,
    select: { id: true, action: true, actorEmail: true, createdAt: true, changes: true },
  });
  return rows.map((r) => ({ ...r, changes: (r.changes as AuditEntry["changes"]) ?? null }));
}
