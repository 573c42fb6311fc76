"use server";

import { revalidatePath } from "next/cache";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { defineAction, fail, member } from "@/lib/actions/define-action";
import { MANAGE_ROLE } from "@/lib/auth/roles";
import { env } from "@/lib/env";
import { requestOrigin } from "@/lib/http/public-origin";
import { createPortalAccess, revokeAllPortalAccess } from "@/lib/portal/access";
import { setPortalOrigins } from "@/lib/portal/origins";
import { endPortalSession } from "@/lib/portal/session";
import { portalLinkUrl, portalSettingsPath, portalSignedOutPath } from "@/lib/routes";
import { createPortalLinkSchema, portalSignOutSchema, revokePortalSessionsSchema, setPortalOriginsSchema } from "@/lib/validations/portal";

// Portal visitors never reach the settings actions (no `portal` opt-in): a link cannot widen who frames it or outlive "revoke all".

export const setPortalOriginsAction = defineAction({
  input: setPortalOriginsSchema,
  access: member(MANAGE_ROLE),
  run: async ({ org, origins }, { organization, actor }) => {
    const result = await setPortalOrigins(organization.id, origins, actor);
    revalidatePath(portalSettingsPath(org));
    return result;
  },
});

export const revokePortalSessionsAction = defineAction({
  input: revokePortalSessionsSchema,
  access: member(MANAGE_ROLE),
  run: async ({ org }, { organization, actor }) => {
    const revoked = await revokeAllPortalAccess(organization.id, actor);
    revalidatePath(portalSettingsPath(org));
    return { revoked };
  },
});

/** A link made from the dashboard, to try the portal (the API's app-portal-access is the usual way). */
export const createPortalLinkAction = defineAction({
  input: createPortalLinkSchema,
  access: member(MANAGE_ROLE),
  run: async ({ org, readOnly }, { organization, actor }) => {
    const created = await createPortalAccess({ organizationId: organization.id, readOnly }, actor);
    if (!created.ok) return fail(created.code, created.message);
    revalidatePath(portalSettingsPath(org));
    return { url: portalLinkUrl(requestOrigin(await headers(), env().PORT), organization.id, created.token), expiresAt: created.expiresAt.toISOString(), readOnly };
  },
});

/**
 * The portal's "Sign out": ends the visitor's portal session and its link (Svix's logout) and
 * shows the page that says so. Only a portal visitor has one; a member signs out from the account menu.
 */
export const portalSignOutAction = defineAction({
  input: portalSignOutSchema,
  access: member("VIEWER", { portal: true }),
  run: async ({ org }, { portal }) => {
    if (!portal) return fail("not_portal", "You are signed in as a member of this organization: sign out from the account menu.");
    await endPortalSession(org);
    redirect(portalSignedOutPath(org));
  },
});
