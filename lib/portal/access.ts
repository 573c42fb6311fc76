import { createHash, randomBytes } from "node:crypto";
import { recordAudit, type Actor } from "@/lib/audit/record";
import { db } from "@/lib/db";
import { isOrganizationDisabled, ORGANIZATION_DISABLED, organizationDisabledMessage } from "@/lib/organizations/disabled";

/**
 * Portal links: a token that opens one organization's webhook screens without a HookRelay account,
 * for a limited time, as an Admin or (read-only) a Viewer. The token is returned once, to the API
 * caller; only its SHA-256 is stored. The browser trades it for a cookie (`lib/portal/session.ts`),
 * and every request re-reads the access, so an expiry or a revocation counts at once.
 */

/** Svix's bounds for `expiry`: one hour to seven days, seven days when absent. */
export const PORTAL_EXPIRY_MIN_SECONDS = 60 * 60;
export const PORTAL_EXPIRY_MAX_SECONDS = 7 * 24 * 60 * 60;
export const PORTAL_EXPIRY_DEFAULT_SECONDS = PORTAL_EXPIRY_MAX_SECONDS;

/** `hrp_` + 256 random bits: recognisable in a pasted link, nothing to brute-force (so SHA-256 suffices). */
export function newPortalToken(): { token: string; hash: string } {
  const token = `hrp_${randomBytes(32).toString("base64url")}`;
  return { token, hash: hashPortalToken(token) };
}

export function hashPortalToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

/** Cheap shape check before any database read: a cookie or a link fragment can hold anything. */
export function looksLikePortalToken(value: string): boolean {
  return /^hrp_[A-Za-z0-9_-]{43}$/.test(value);
}

export type CreatePortalAccessResult =
  | { ok: true; token: string; accessId: string; expiresAt: Date; readOnly: boolean }
  | { ok: false; code: "organization_not_found"; message: string };

/**
 * A new portal access to one organization, audited in the same transaction. `sessionId` is Svix's:
 * the caller's own name for whom the link is for, so that `expire-all` can end only theirs.
 */
export async function createPortalAccess(
  input: { organizationId: string; readOnly: boolean; expirySeconds?: number; sessionId?: string | null },
  actor: Actor,
  now = new Date(),
): Promise<CreatePortalAccessResult> {
  const seconds = input.expirySeconds ?? PORTAL_EXPIRY_DEFAULT_SECONDS;
  const expiresAt = new Date(now.getTime() + seconds * 1000);
  const { token, hash } = newPortalToken();
  return db.$transaction(async (tx) => {
    const organization = await tx.organization.findUnique({ where: { id: input.organizationId }, select: { id: true } });
    if (!organization) return { ok: false, code: "organization_not_found", message: "That organization no longer exists." } as const;
    const access = await tx.portalAccess.create({
      data: { organizationId: input.organizationId, tokenHash: hash, readOnly: input.readOnly, createdBy: actor.email, createdAt: now, expiresAt, sessionId: input.sessionId ?? null },
      select: { id: true },
    });
    await recordAudit(tx, {
      actor,
      action: "portal.access_created",
      organizationId: input.organizationId,
      changes: { accessId: access.id, readOnly: input.readOnly, expiresAt: expiresAt.toISOString(), ...(input.sessionId ? { sessionId: input.sessionId } : {}) },
    });
    return { ok: true, token, accessId: access.id, expiresAt, readOnly: input.readOnly } as const;
  });
}

export interface PortalGrant {
  accessId: string;
  readOnly: boolean;
  createdBy: string;
  expiresAt: Date;
  /** Never a disabled one: `resolvePortalToken` refuses those. */
  organization: { id: string; name: string; slug: string; webhooksEnabled: boolean; disabledAt: Date | null };
}

export type ResolvedPortalToken = { ok: true; grant: PortalGrant } | { ok: false; reason: "unknown" | "expired" | "revoked" | "organization_disabled" };

/**
 * What a token opens, read in one indexed query (the token hash is unique) with its organization.
 * Unknown, expired, revoked, or for an organization that staff disabled (or deleted): no access.
 */
export async function resolvePortalToken(token: string, now = new Date()): Promise<ResolvedPortalToken> {
  if (!looksLikePortalToken(token)) return { ok: false, reason: "unknown" };
  const access = await db.portalAccess.findUnique({
    where: { tokenHash: hashPortalToken(token) },
    select: {
      id: true,
      readOnly: true,
      createdBy: true,
      expiresAt: true,
      revokedAt: true,
      organization: { select: { id: true, name: true, slug: true, webhooksEnabled: true, disabledAt: true } },
    },
  });
  if (!access) return { ok: false, reason: "unknown" };
  if (access.revokedAt) return { ok: false, reason: "revoked" };
  if (access.expiresAt.getTime() <= now.getTime()) return { ok: false, reason: "expired" };
  const { organization } = access;
  if (isOrganizationDisabled(organization)) return { ok: false, reason: ORGANIZATION_DISABLED };
  return { ok: true, grant: { accessId: access.id, readOnly: access.readOnly, createdBy: access.createdBy, expiresAt: access.expiresAt, organization } };
}

/** How the audit log names what a portal visitor did: the link, and who asked for it. */
export function portalActor(grant: Pick<PortalGrant, "createdBy">): Actor {
  return { id: null, email: `Portal link (from ${grant.createdBy})` };
}

/**
 * Ends every portal access of the organization that is still open: at once, or (Svix's
 * `expire-all` with `expiry`) after `graceSeconds`, by moving their expiry closer, never further:
 * an access keeps its own expiry when that comes first. With `sessionIds` (Svix's), only the
 * accesses created with one of those session ids; an empty list means all. One statement, audited
 * in the same transaction. Returns how many accesses it ended or shortened.
 */
export async function revokeAllPortalAccess(
  organizationId: string,
  actor: Actor,
  options: { graceSeconds?: number; sessionIds?: readonly string[] } = {},
  now = new Date(),
): Promise<number> {
  const grace = options.graceSeconds ?? 0;
  const sessionIds = options.sessionIds?.length ? [...new Set(options.sessionIds)] : null;
  return db.$transaction(async (tx) => {
    const open = { organizationId, revokedAt: null, expiresAt: { gt: now }, ...(sessionIds ? { sessionId: { in: sessionIds } } : {}) };
    let count: number;
    if (grace > 0) {
      const until = new Date(now.getTime() + grace * 1000);
      ({ count } = await tx.portalAccess.updateMany({ where: { ...open, expiresAt: { gt: until } }, data: { expiresAt: until } }));
    } else {
      ({ count } = await tx.portalAccess.updateMany({ where: open, data: { revokedAt: now } }));
    }
    await recordAudit(tx, {
      actor,
      action: "portal.sessions_revoked",
      organizationId,
      changes: { count, ...(grace > 0 ? { graceSeconds: grace } : {}), ...(sessionIds ? { sessionIds } : {}) },
    });
    return count;
  });
}

export type PortalLogoutResult = { ok: true; ended: boolean } | { ok: false; reason: "unknown" };

/**
 * Svix's `authentication.logout`: the portal token ends itself, and with it the portal session
 * (the cookie holds the same token). Asking again for a token that already ended is no error, so
 * a retried call answers the same; only a token that was never issued is refused. Audited when it
 * ends an open access, with the link as actor.
 */
export async function logoutPortalAccess(token: string, now = new Date()): Promise<PortalLogoutResult> {
  if (!looksLikePortalToken(token)) return { ok: false, reason: "unknown" };
  return db.$transaction(async (tx) => {
    const access = await tx.portalAccess.findUnique({ where: { tokenHash: hashPortalToken(token) }, select: { id: true, organizationId: true, createdBy: true, sessionId: true } });
    if (!access) return { ok: false, reason: "unknown" } as const;
    const { count } = await tx.portalAccess.updateMany({ where: { id: access.id, revokedAt: null, expiresAt: { gt: now } }, data: { revokedAt: now } });
    if (count === 1) {
      await recordAudit(tx, {
        actor: portalActor(access),
        action: "portal.logged_out",
        organizationId: access.organizationId,
        changes: { accessId: access.id, ...(access.sessionId ? { sessionId: access.sessionId } : {}) },
      });
    }
    return { ok: true, ended: count === 1 } as const;
  });
}

/** Portal accesses still open, for the settings screen's count. */
export function countOpenPortalAccesses(organizationId: string, now = new Date()): Promise<number> {
  return db.portalAccess.count({ where: { organizationId, revokedAt: null, expiresAt: { gt: now } } });
}

export type PortalEntryFailure = { ok: false; status: 403 | 404 | 410; code: "invalid_link" | "link_expired" | "link_revoked" | "organization_disabled"; message: string };

const NEW_LINK = "Open the webhooks page again from the product that sent you here to get a new link.";

/**
 * Checks a link's token against the organization its address names (id or slug), for the entry
 * page: what it opens, or why it does not, in words for the visitor.
 */
export async function checkPortalEntry(organization: string, token: string, now = new Date()): Promise<{ ok: true; grant: PortalGrant } | PortalEntryFailure> {
  const resolved = await resolvePortalToken(token, now);
  if (resolved.ok && (resolved.grant.organization.id === organization || resolved.grant.organization.slug === organization)) return resolved;
  switch (resolved.ok ? "unknown" : resolved.reason) {
    case "expired":
      return { ok: false, status: 410, code: "link_expired", message: `This portal link has expired. ${NEW_LINK}` };
    case "revoked":
      return { ok: false, status: 410, code: "link_revoked", message: `This portal link was revoked. ${NEW_LINK}` };
    case "organization_disabled":
      return { ok: false, status: 403, code: ORGANIZATION_DISABLED, message: organizationDisabledMessage.portalVisitor };
    default:
      return { ok: false, status: 404, code: "invalid_link", message: `This portal link is not valid (it may have been cut short when copied). ${NEW_LINK}` };
  }
}
