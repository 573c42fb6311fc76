import { createHash, randomBytes } from "node:crypto";
import { recordAudit, type Actor } from "@/lib/audit/record";
import type { Role } from "@/lib/auth/roles";
import { db } from "@/lib/db";

/**
 * Invitations: a one-time link that makes its holder a member of one organization with one role.
 * The link's token is shown once (to copy, or e-mailed); only its SHA-256 is stored, so a database
 * read does not give anyone a way in. An invite ends when accepted, revoked, replaced by a newer
 * invite to the same address, or after INVITE_TTL_MS.
 */

export const INVITE_TTL_MS = 7 * 24 * 60 * 60 * 1000;

/** `inv_` + 256 random bits: recognisable in a pasted link, nothing to brute-force (so SHA-256 suffices). */
export function newInviteToken(): { token: string; hash: string } {
  const token = `inv_${randomBytes(32).toString("base64url")}`;
  return { token, hash: hashInviteToken(token) };
}

export function hashInviteToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

/** The path of the page that accepts an invite (public: the invitee may have no account yet). */
export const invitePath = (token: string) => `/invite/${encodeURIComponent(token)}`;

export interface InviteSummary {
  id: string;
  email: string;
  role: Role;
  createdAt: Date;
  expiresAt: Date;
}

export type CreateInviteResult =
  | { ok: true; invite: InviteSummary; token: string; path: string }
  | { ok: false; code: "already_member" | "organization_not_found"; message: string };

/**
 * A new invite to `email` with `role`. A pending invite to the same address is revoked and replaced
 * (inviting again is how a lost link is re-sent); an address that is already a member is refused.
 */
export async function createInvite(
  input: { organizationId: string; email: string; role: Role },
  actor: Actor,
  now = new Date(),
): Promise<CreateInviteResult> {
  const email = input.email.trim().toLowerCase();
  const { token, hash } = newInviteToken();
  return db.$transaction(async (tx) => {
    const organization = await tx.organization.findUnique({ where: { id: input.organizationId }, select: { name: true } });
    if (!organization) return { ok: false, code: "organization_not_found", message: "That organization no longer exists." } as const;
    const member = await tx.membership.findFirst({ where: { organizationId: input.organizationId, user: { email } }, select: { role: true } });
    if (member) {
      return { ok: false, code: "already_member", message: `${email} is already a member of ${organization.name} (${member.role.toLowerCase()}). Change their role instead.` } as const;
    }
    await tx.invite.updateMany({
      where: { organizationId: input.organizationId, email, acceptedAt: null, revokedAt: null, expiresAt: { gt: now } },
      data: { revokedAt: now },
    });
    const invite = await tx.invite.create({
      data: { organizationId: input.organizationId, email, role: input.role, tokenHash: hash, createdById: actor.id, createdAt: now, expiresAt: new Date(now.getTime() + INVITE_TTL_MS) },
      select: { id: true, email: true, role: true, createdAt: true, expiresAt: true },
    });
    await recordAudit(tx, { actor, action: "member.invited", organizationId: input.organizationId, changes: { email, role: input.role } });
    return { ok: true, invite, token, path: invitePath(token) } as const;
  });
}
