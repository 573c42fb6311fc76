import { notFound, redirect } from "next/navigation";
import { cache } from "react";
import { auth } from "@/auth";
import { db } from "@/lib/db";
import type { Actor } from "@/lib/audit/record";
import { hasRole, type Role } from "@/lib/auth/roles";
import { portalActor } from "@/lib/portal/access";
import { portalAccessFor } from "@/lib/portal/session";
import { portalEndedPath } from "@/lib/routes";

export class AuthorizationError extends Error {
  constructor(
    public readonly code: "unauthenticated" | "forbidden" | "not_found",
    message: string,
  ) {
    super(message);
  }
}

export interface SessionUser {
  id: string;
  email: string;
  name: string | null;
  isStaff: boolean;
}

export interface MemberContext {
  user: SessionUser;
  organization: { id: string; name: string; slug: string; webhooksEnabled: boolean; disabledAt: Date | null };
  role: Role;
  /** Who the audit log names: the user. */
  actor: Actor;
  portal: false;
}

/**
 * A visitor of the organization's webhook screens through a portal link (lib/portal): no user
 * account, Admin (or Viewer for a read-only link), named in the audit log by the link.
 */
export interface PortalContext {
  user: null;
  organization: MemberContext["organization"];
  role: Role;
  actor: Actor;
  portal: true;
  expiresAt: Date;
}

/** What the webhook screens, which portal links open, learn about their visitor. */
export type MemberOrPortalContext = MemberContext | PortalContext;

/** Opting in to portal visitors: only the organization's webhook screens and their actions do. */
export interface PortalOption {
  portal: true;
}

export const SIGNED_OUT = "You are signed out. Sign in again to continue.";

/**
 * The signed-in user, read fresh from the database (a deleted account loses access at once).
 * `auth()` has already refused a signed-out session, whatever cookie brought it back (the `jwt`
 * callback in auth.config.ts; docs/server-actions.md, "Sessions and sign-out").
 */
export const currentUser = cache(async (): Promise<SessionUser | null> => {
  const session = await auth();
  const id = session?.user?.id;
  if (!id) return null;
  const user = await db.user.findUnique({
    where: { id },
    select: { id: true, email: true, name: true, isStaff: true },
  });
  return user;
});

/** Session check for server code: throws AuthorizationError, never redirects. */
export async function requireUser(): Promise<SessionUser> {
  const user = await currentUser();
  if (!user) throw new AuthorizationError("unauthenticated", SIGNED_OUT);
  return user;
}

/** Membership check for server code: throws AuthorizationError, never redirects. */
export async function requireMember(orgSlug: string, role?: Role): Promise<MemberContext>;
export async function requireMember(orgSlug: string, role: Role, options: PortalOption): Promise<MemberOrPortalContext>;
export async function requireMember(orgSlug: string, role: Role = "VIEWER", options?: PortalOption): Promise<MemberOrPortalContext> {
  if (options?.portal) return memberOrPortal(await currentUser(), orgSlug, role);
  return memberOf(await requireUser(), orgSlug, role);
}

/**
 * The user's membership of the organization, read once per request: the organization layout, the
 * section layouts and the page each check it on their own, in one render (React's `cache`: a server
 * render shares the read; code run outside a render reads every time).
 */
const membershipOf = cache((userId: string, orgSlug: string) =>
  db.membership.findFirst({
    where: { userId, organization: { slug: orgSlug } },
    include: { organization: { select: { id: true, name: true, slug: true, webhooksEnabled: true, disabledAt: true } } },
  }),
);

export async function memberOf(user: SessionUser, orgSlug: string, role: Role): Promise<MemberContext> {
  const membership = await membershipOf(user.id, orgSlug);
  if (!membership) throw new AuthorizationError("not_found", "Organization not found.");
  if (!hasRole(membership.role, role)) {
    throw new AuthorizationError(
      "forbidden",
      `This needs the ${role === "OWNER" ? "Owner" : "Admin"} role; your role in ${membership.organization.name} is ${membership.role.toLowerCase()}.`,
    );
  }
  return { user, organization: membership.organization, role: membership.role, actor: { id: user.id, email: user.email }, portal: false };
}

/**
 * A member (the user's membership wins), or else a visitor through a portal link to this
 * organization. A link to another organization finds nothing here (not found); an expired or
 * revoked one is signed out, with a message that says so.
 */
export async function memberOrPortal(user: SessionUser | null, orgSlug: string, role: Role): Promise<MemberOrPortalContext> {
  if (user) {
    try {
      return await memberOf(user, orgSlug, role);
    } catch (error) {
      if (!(error instanceof AuthorizationError && error.code === "not_found")) throw error;
    }
  }
  const found = await portalAccessFor(orgSlug);
  if (found.status !== "ok") {
    if (user || found.status === "other_organization") throw new AuthorizationError("not_found", "Organization not found.");
    throw new AuthorizationError("unauthenticated", found.status === "ended" ? "This portal link has expired or was revoked. Open the webhooks page again from the product that sent you here." : SIGNED_OUT);
  }
  const { grant } = found;
  const granted: Role = grant.readOnly ? "VIEWER" : "ADMIN";
  if (!hasRole(granted, role)) throw new AuthorizationError("forbidden", "This portal link is read-only: it shows the webhooks but cannot change them.");
  return { user: null, organization: grant.organization, role: granted, actor: portalActor(grant), portal: true, expiresAt: grant.expiresAt };
}

/** For pages: anonymous visitors go to sign-in; unknown organizations 404 via the caller. */
export async function requireUserPage(callbackPath?: string): Promise<SessionUser> {
  const user = await currentUser();
  if (!user) redirect(callbackPath ? `/sign-in?callbackUrl=${encodeURIComponent(callbackPath)}` : "/sign-in");
  return user;
}

/**
 * For pages and layouts (which Next renders in parallel, so each checks on its own): signed-out
 * visitors go to sign-in; non-members and insufficient roles get the 404 page.
 */
export async function requireMemberPage(orgSlug: string, role?: Role): Promise<MemberContext>;
export async function requireMemberPage(orgSlug: string, role: Role, options: PortalOption): Promise<MemberOrPortalContext>;
export async function requireMemberPage(orgSlug: string, role: Role = "VIEWER", options?: PortalOption): Promise<MemberOrPortalContext> {
  try {
    if (!options?.portal) return await memberOf(await requireUserPage(`/${orgSlug}`), orgSlug, role);
    return await memberOrPortal(await currentUser(), orgSlug, role);
  } catch (error) {
    if (error instanceof AuthorizationError && error.code === "unauthenticated") {
      // Only a visitor without a session gets here: an ended portal link says so, anyone else signs in.
      if ((await portalAccessFor(orgSlug)).status === "ended") redirect(portalEndedPath(orgSlug));
      await requireUserPage(`/${orgSlug}`);
    }
    if (error instanceof AuthorizationError) notFound();
    throw error;
  }
}

/** The one staff check: platform actions (through defineAction) and platform pages both rely on it. */
export function assertStaff(user: SessionUser): SessionUser {
  if (!user.isStaff) throw new AuthorizationError("forbidden", "Only platform staff can do this.");
  return user;
}

/** For server code: throws AuthorizationError, never redirects. */
export async function requireStaff(): Promise<SessionUser> {
  return assertStaff(await requireUser());
}

/** For platform pages and their layout: signed-out visitors go to sign-in; everyone but staff gets the 404 page. */
export async function requireStaffPage(callbackPath: string): Promise<SessionUser> {
  const user = await requireUserPage(callbackPath);
  try {
    return assertStaff(user);
  } catch (error) {
    if (error instanceof AuthorizationError) notFound();
    throw error;
  }
}

export async function organizationsOf(userId: string) {
  const rows = await db.membership.findMany({
    where: { userId },
    include: { organization: { select: { name: true, slug: true } } },
    orderBy: { organization: { name: "asc" } },
  });
  return rows.map((m) => ({ name: m.organization.name, slug: m.organization.slug, role: m.role }));
}
