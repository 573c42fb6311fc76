import { createHash, randomBytes } from "node:crypto";
import { recordAudit, type Actor } from "@/lib/audit/record";
import type { Role } from "@/lib/auth/roles";
import { db } from "@/lib/db";
import { isOrganizationDisabled, ORGANIZATION_DISABLED, organizationDisabledMessage } from "@/lib/organizations/disabled";
import { isPlatformOrganization } from "@/lib/operational/platform";
import { formatAbsolute } from "@/lib/time";

/**
 * Invitations: a one-time link that makes its holder a member of one organization with one role.
 * The link's token is shown once (to copy, or e-mailed); only its SHA-256 is stored, so a database
 * read does not give anyone a way in. An invite ends when accepted, revoked, replaced by a newer
 * invite to the same address, or after INVITE_TTL_MS. While staff keep the organization disabled,
 * no invite into it is created and none is accepted (lib/organizations/disabled.ts).
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
  | { ok: false; code: "already_member" | "organization_not_found" | typeof ORGANIZATION_DISABLED; message: string };

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
    const organization = await tx.organization.findUnique({ where: { id: input.organizationId }, select: { name: true, disabledAt: true } });
    if (!organization || isPlatformOrganization(input.organizationId)) return { ok: false, code: "organization_not_found", message: "That organization no longer exists." } as const;
    if (isOrganizationDisabled(organization)) return { ok: false, code: ORGANIZATION_DISABLED, message: organizationDisabledMessage.invite(organization.name) } as const;
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

/** Why an invite link no longer works, each with its own message. */
export type InviteRefusal = "invite_not_found" | "invite_used" | "invite_revoked" | "invite_replaced" | "invite_expired" | typeof ORGANIZATION_DISABLED;

export interface InviteView {
  id: string;
  email: string;
  role: Role;
  expiresAt: Date;
  organization: { id: string; name: string; slug: string };
  invitedBy: string | null;
}

export type InviteLookup = { ok: true; invite: InviteView; accountExists: boolean } | { ok: false; code: InviteRefusal; message: string };

const inviteSelect = {
  id: true,
  email: true,
  role: true,
  createdAt: true,
  expiresAt: true,
  acceptedAt: true,
  revokedAt: true,
  organizationId: true,
  organization: { select: { id: true, name: true, slug: true, disabledAt: true } },
  createdBy: { select: { email: true } },
} as const;

type InviteRow = {
  id: string;
  email: string;
  organizationId: string;
  createdAt: Date;
  expiresAt: Date;
  acceptedAt: Date | null;
  revokedAt: Date | null;
  organization: { name: string; disabledAt: Date | null };
};
type Reader = Pick<typeof db, "invite">;

/** Null while the invite can be accepted; otherwise why not, in words for the person holding the link. */
async function refusal(client: Reader, invite: InviteRow, now: Date): Promise<{ code: InviteRefusal; message: string } | null> {
  const org = invite.organization.name;
  if (invite.acceptedAt) {
    return { code: "invite_used", message: `This invite link was already used. Sign in with the account that accepted it, or ask an owner of ${org} for a new invite.` };
  }
  if (invite.revokedAt) {
    // Inviting the same address again revokes the pending invite in the same instant the new one is created.
    const newer = await client.invite.findFirst({
      where: { organizationId: invite.organizationId, email: invite.email, id: { not: invite.id }, createdAt: { gte: invite.revokedAt } },
      select: { id: true },
    });
    return newer
      ? { code: "invite_replaced", message: `A newer invite to ${invite.email} replaced this link. Open the most recent invite you received from ${org}.` }
      : { code: "invite_revoked", message: `This invite was revoked by an owner of ${org}. Ask them for a new one if you still need access.` };
  }
  if (invite.expiresAt <= now) {
    return { code: "invite_expired", message: `This invite expired on ${formatAbsolute(invite.expiresAt, { seconds: false })}. Ask an owner of ${org} to invite you again.` };
  }
  if (isOrganizationDisabled(invite.organization)) return { code: ORGANIZATION_DISABLED, message: organizationDisabledMessage.invitee(org) };
  return null;
}

const NOT_FOUND = {
  code: "invite_not_found",
  message: "This invite link is not valid. Check that you opened the whole link, or ask the person who invited you for a new one.",
} as const;

/** What the invite page shows: the invite and whether its address already has an account, or why the link no longer works. */
export async function findInvite(token: string, now = new Date()): Promise<InviteLookup> {
  const row = await db.invite.findUnique({ where: { tokenHash: hashInviteToken(token) }, select: inviteSelect });
  if (!row) return { ok: false, ...NOT_FOUND };
  const refused = await refusal(db, row, now);
  if (refused) return { ok: false, ...refused };
  const account = await db.user.findUnique({ where: { email: row.email }, select: { id: true } });
  return { ok: true, invite: toView(row), accountExists: account !== null };
}

function toView(row: InviteRow & { role: Role; organization: { id: string; name: string; slug: string }; createdBy: { email: string } | null }): InviteView {
  const { id, name, slug } = row.organization;
  return { id: row.id, email: row.email, role: row.role, expiresAt: row.expiresAt, organization: { id, name, slug }, invitedBy: row.createdBy?.email ?? null };
}

/** Who accepts: a new person (the account is created), or the signed-in user the invite is addressed to. */
export type Acceptor = { kind: "new"; name: string; passwordHash: string } | { kind: "user"; user: { id: string; email: string } };

export type AcceptInviteResult =
  | { ok: true; organization: { id: string; name: string; slug: string }; user: { id: string; email: string } }
  | { ok: false; code: InviteRefusal | "account_exists" | "wrong_account" | "already_member"; message: string };

/**
 * Turns a pending invite into a membership, once: the invite is claimed by a conditional update, so
 * two acceptances of one link (two tabs, a replayed request) make one membership. A refusal changes
 * nothing. The password of a new account is checked against the policy and hashed by the caller.
 */
export async function acceptInvite(token: string, acceptor: Acceptor, now = new Date()): Promise<AcceptInviteResult> {
  return db.$transaction(async (tx) => {
    const row = await tx.invite.findUnique({ where: { tokenHash: hashInviteToken(token) }, select: inviteSelect });
    if (!row) return { ok: false, ...NOT_FOUND } as const;
    const refused = await refusal(tx, row, now);
    if (refused) return { ok: false, ...refused } as const;
    const org = row.organization;

    let user: { id: string; email: string };
    if (acceptor.kind === "user") {
      if (acceptor.user.email !== row.email) {
        return {
          ok: false,
          code: "wrong_account",
          message: `This invite is for ${row.email}, but you are signed in as ${acceptor.user.email}. Sign out, then sign in as ${row.email} (or open the link in a private window).`,
        } as const;
      }
      const member = await tx.membership.findUnique({ where: { userId_organizationId: { userId: acceptor.user.id, organizationId: org.id } }, select: { role: true } });
      if (member) {
        return { ok: false, code: "already_member", message: `You are already a member of ${org.name} (${member.role.toLowerCase()}).` } as const;
      }
      user = acceptor.user;
    } else {
      const existing = await tx.user.findUnique({ where: { email: row.email }, select: { id: true } });
      if (existing) {
        return { ok: false, code: "account_exists", message: `An account for ${row.email} already exists. Sign in to accept the invite.` } as const;
      }
      user = await tx.user.create({ data: { email: row.email, name: acceptor.name, passwordHash: acceptor.passwordHash }, select: { id: true, email: true } });
    }

    const claimed = await tx.invite.updateMany({
      where: { id: row.id, acceptedAt: null, revokedAt: null, expiresAt: { gt: now } },
      data: { acceptedAt: now },
    });
    if (claimed.count !== 1) {
      // Accepted, revoked or replaced between the read and the claim: undo the account created above.
      throw new InviteRaceLost();
    }
    await tx.membership.create({ data: { userId: user.id, organizationId: org.id, role: row.role } });
    await recordAudit(tx, { actor: { id: user.id, email: user.email }, action: "member.joined", organizationId: org.id, changes: { email: user.email, role: row.role, inviteId: row.id } });
    return { ok: true, organization: org, user } as const;
  }).catch(async (error: unknown) => {
    // Lost to a concurrent acceptance: the invite was claimed first, or (two new accounts) the address was taken first.
    if (!(error instanceof InviteRaceLost) && (error as { code?: string }).code !== "P2002") throw error;
    // Tell the loser why, from the invite's state as the winner left it.
    const lookup = await findInvite(token, now);
    return lookup.ok ? ({ ok: false, ...NOT_FOUND } as const) : ({ ok: false, code: lookup.code, message: lookup.message } as const);
  });
}

class InviteRaceLost extends Error {}

export interface PendingInvite {
  id: string;
  email: string;
  role: Role;
  createdAt: Date;
  expiresAt: Date;
  invitedBy: string | null;
}

/** Invites that can still be accepted, newest first (at most one per address: a new invite replaces the pending one). */
export async function listPendingInvites(organizationId: string, now = new Date()): Promise<PendingInvite[]> {
  const rows = await db.invite.findMany({
    where: { organizationId, acceptedAt: null, revokedAt: null, expiresAt: { gt: now } },
    select: { id: true, email: true, role: true, createdAt: true, expiresAt: true, createdBy: { select: { email: true } } },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
  });
  return rows.map(({ createdBy, ...rest }) => ({ ...rest, invitedBy: createdBy?.email ?? null }));
}

export type RevokeInviteResult = { ok: true; email: string } | { ok: false; code: "not_found"; message: string };

/** Ends a pending invite: its link then says it was revoked. */
export async function revokeInvite(organizationId: string, inviteId: string, actor: Actor, now = new Date()): Promise<RevokeInviteResult> {
  return db.$transaction(async (tx) => {
    const invite = await tx.invite.findFirst({ where: { id: inviteId, organizationId }, select: { email: true, role: true } });
    const { count } = await tx.invite.updateMany({
      where: { id: inviteId, organizationId, acceptedAt: null, revokedAt: null, expiresAt: { gt: now } },
      data: { revokedAt: now },
    });
    if (!invite || count !== 1) {
      return { ok: false, code: "not_found", message: "That invite is no longer pending: it was accepted, revoked or has expired. Reload the page to see the current list." } as const;
    }
    await recordAudit(tx, { actor, action: "member.invite_revoked", organizationId, changes: { email: invite.email, role: invite.role } });
    return { ok: true, email: invite.email } as const;
  });
}
