import type { Prisma } from "@/lib/generated/prisma/client";
import type { AuditAction } from "@/lib/audit/actions";
import type { Changes } from "@/lib/audit/diff";
import { maskAuditChanges } from "@/lib/headers-mask";

export interface Actor {
  /** Null for an API key: `email` then names the key. */
  id: string | null;
  email: string;
}

/** HookRelay itself, for what it does on its own (an endpoint disabled for failing). */
export const SYSTEM_ACTOR: Actor = { id: null, email: "HookRelay" };

type AuditClient = Pick<Prisma.TransactionClient, "auditLog">;

/**
 * Written in the same transaction as the change it describes, so neither exists without the other.
 * Secret header values are masked here, for every writer: the log is kept for good and read widely.
 */
export async function recordAudit(
  client: AuditClient,
  entry: { actor: Actor; action: AuditAction; organizationId?: string | null; endpointId?: string | null; changes?: Changes | Record<string, unknown> },
) {
  await client.auditLog.create({
    data: {
      actorId: entry.actor.id,
      actorEmail: entry.actor.email,
      action: entry.action,
      organizationId: entry.organizationId ?? null,
      endpointId: entry.endpointId ?? null,
      changes: (entry.changes ? maskAuditChanges(entry.changes) : undefined) as Prisma.InputJsonValue | undefined,
    },
  });
}
