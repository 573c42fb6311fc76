import { recordAudit, type Actor } from "@/lib/audit/record";
import type { Role } from "@/lib/auth/roles";
import { db } from "@/lib/db";
import type { Prisma } from "@/lib/generated/prisma/client";

/**
 * An organization's people: who they are, their role, and the two changes an owner makes (role,
 * removal). An organization never loses its last owner: both changes lock the organization's
 * memberships first, so two owners demoting each other at the same moment cannot both succeed.
 */

export interface MemberRow {
  userId: string;
  name: string | null;
  email: string;
  role: Role;
  joinedAt: Date;
  lastSignInAt: Date | null;
}

/** Everyone in the organization, owners first, then by when they joined. */
export async function listMembers(organizationId: string): Promise<MemberRow[]> {
  const rows = await db.membership.findMany({
    where: { organizationId },
    select: { role: true, createdAt: true, user: { select: { id: true, name: true, email: true, lastSignInAt: true } } },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
  });
  const rank: Record<Role, number> = { OWNER: 0, ADMIN: 1, VIEWER: 2 };
  return rows
    .map((m) => ({ userId: m.user.id, name: m.user.name, email: m.user.email, role: m.role, joinedAt: m.createdAt, lastSignInAt: m.user.lastSignInAt }))
    .sort((a, b) => rank[a.role] - rank[b.role]);
}

export type MemberChangeResult<T> = { ok: true; data: T } | { ok: false; code: "not_found" | "last_owner"; message: string };

interface Locked {
  organization: { id: string; name: string };
  members: { userId: string; email: string; role: Role }[];
}

/**
 * Runs `change` with the organization's memberships locked (SELECT ... FOR UPDATE), so the owner
 * count it sees cannot change before it commits.
 */
async function withLockedMembers<T>(organizationId: string, change: (tx: Prisma.TransactionClient, locked: Locked) => Promise<MemberChangeResult<T>>): Promise<MemberChangeResult<T>> {
  return db.$transaction(async (tx) => {
    await tx.$queryRaw`SELECT id FROM "Membership" WHERE "organizationId" = ${organizationId} FOR UPDATE`;
    const organization = await tx.organization.findUniqueOrThrow({ where: { id: organizationId }, select: { id: true, name: true } });
    const rows = await tx.membership.findMany({ where: { organizationId }, select: { role: true, user: { select: { id: true, email: true } } } });
    return change(tx, { organization, members: rows.map((r) => ({ userId: r.user.id, email: r.user.email, role: r.role })) });
  });
}

const notMember = (organizationName: string) =>
  ({ ok: false, code: "not_found", message: `That person is no longer a member of ${organizationName}. Reload the page to see the current list.` }) as const;

const lastOwner = (email: string, organizationName: string, doing: string) =>
  ({
    ok: false,
    code: "last_owner",
    message: `${email} is the only owner of ${organizationName}, so they cannot be ${doing}. Make another member an owner first: an organization always keeps at least one owner.`,
  }) as const;

const isLastOwner = (locked: Locked, userId: string) =>
  locked.members.find((m) => m.userId === userId)?.role === "OWNER" && locked.members.filter((m) => m.role === "OWNER").length === 1;

/** Gives a member another role; refused when it would leave the organization without an owner. */
export async function changeRole(organizationId: string, userId: string, role: Role, actor: Actor): Promise<MemberChangeResult<{ email: string; role: Role; changed: boolean }>> {
  return withLockedMembers(organizationId, async (tx, locked) => {
    const target = locked.members.find((m) => m.userId === userId);
    if (!target) return notMember(locked.organization.name);
    if (target.role === role) return { ok: true, data: { email: target.email, role, changed: false as boolean } };
    if (role !== "OWNER" && isLastOwner(locked, userId)) return lastOwner(target.email, locked.organization.name, `made ${role.toLowerCase()}`);
    await tx.membership.update({ where: { userId_organizationId: { userId, organizationId } }, data: { role } });
    await recordAudit(tx, { actor, action: "member.role_changed", organizationId, changes: { email: target.email, role: { before: target.role, after: role } } });
    return { ok: true, data: { email: target.email, role, changed: true } };
  });
}

/** Removes a member (their account stays; they lose access at once); refused for the last owner. */
export async function removeMember(organizationId: string, userId: string, actor: Actor): Promise<MemberChangeResult<{ email: string }>> {
  return withLockedMembers(organizationId, async (tx, locked) => {
    const target = locked.members.find((m) => m.userId === userId);
    if (!target) return notMember(locked.organization.name);
    if (isLastOwner(locked, userId)) return lastOwner(target.email, locked.organization.name, "removed");
    await tx.membership.delete({ where: { userId_organizationId: { userId, organizationId } } });
    await recordAudit(tx, { actor, action: "member.removed", organizationId, changes: { email: target.email, role: target.role } });
    return { ok: true, data: { email: target.email } };
  });
}
