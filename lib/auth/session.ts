import { notFound, redirect } from "next/navigation";
import { cache } from "react";
import { auth } from "@/auth";
import { db } from "@/lib/db";
import { hasRole, type Role } from "@/lib/auth/roles";

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
  organization: { id: string; name: string; slug: string; webhooksEnabled: boolean };
  role: Role;
}

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
  if (!user) throw new AuthorizationError("unauthenticated", "You are signed out. Sign in again to continue.");
  return user;
}

/** Membership check for server code: throws AuthorizationError, never redirects. */
export async function requireMember(orgSlug: string, role: Role = "VIEWER"): Promise<MemberContext> {
  return memberOf(await requireUser(), orgSlug, role);
}

export async function memberOf(user: SessionUser, orgSlug: string, role: Role): Promise<MemberContext> {
  const membership = await db.membership.findFirst({
    where: { userId: user.id, organization: { slug: orgSlug } },
    include: { organization: { select: { id: true, name: true, slug: true, webhooksEnabled: true } } },
  });
  if (!membership) throw new AuthorizationError("not_found", "Organization not found.");
  if (!hasRole(membership.role, role)) {
    throw new AuthorizationError(
      "forbidden",
      `This needs the ${role === "OWNER" ? "Owner" : "Admin"} role; your role in ${membership.organization.name} is ${membership.role.toLowerCase()}.`,
    );
  }
  return { user, organization: membership.organization, role: membership.role };
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
export async function requireMemberPage(orgSlug: string, role: Role = "VIEWER"): Promise<MemberContext> {
  const user = await requireUserPage(`/${orgSlug}`);
  try {
    return await memberOf(user, orgSlug, role);
  } catch (error) {
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
