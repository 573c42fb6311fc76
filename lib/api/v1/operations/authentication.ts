import { z } from "zod";
import { apiKeyActor } from "@/lib/api/app-request";
import { apiError, defineOperation, type AnyOperation, type Organization } from "@/lib/api/v1/operation";
import { appParams } from "@/lib/api/v1/schemas";
import { env } from "@/lib/env";
import { requestOrigin } from "@/lib/http/public-origin";
import { isOrganizationDisabled, organizationDisabledMessage } from "@/lib/organizations/disabled";
import {
  createPortalAccess,
  logoutPortalAccess,
  PORTAL_EXPIRY_DEFAULT_SECONDS,
  PORTAL_EXPIRY_MAX_SECONDS,
  PORTAL_EXPIRY_MIN_SECONDS,
  revokeAllPortalAccess,
} from "@/lib/portal/access";
import { portalLinkUrl } from "@/lib/routes";

/**
 * Svix's Authentication calls: portal links (docs/portal.md). A link opens one organization's
 * webhook screens without a HookRelay account; `expire-all` ends every open link of it (or those of
 * some session ids); `logout` is called with a link's own token and ends that one.
 */

/** Svix's `AppPortalCapability`. Two levels here: `ManageEndpoint` is the Admin experience, anything less read-only. */
const CAPABILITIES = ["ViewBase", "ViewEndpointSecret", "ManageEndpointSecret", "ManageTransformations", "CreateAttempts", "ManageEndpoint"] as const;

/** Svix's `sessionId` pattern. */
const sessionIdSchema = z
  .string()
  .min(1, "a session id is 1 to 64 characters")
  .max(64, "a session id is 1 to 64 characters")
  .regex(/^[a-zA-Z0-9@_-]+$/, "a session id uses letters, digits, @, _ and - only");

const expiryMessage = `expiry is in seconds, from ${PORTAL_EXPIRY_MIN_SECONDS} (1 hour) to ${PORTAL_EXPIRY_MAX_SECONDS} (7 days)`;

const appPortalAccessIn = z
  .object({
    expiry: z
      .number({ message: expiryMessage })
      .int(expiryMessage)
      .min(PORTAL_EXPIRY_MIN_SECONDS, expiryMessage)
      .max(PORTAL_EXPIRY_MAX_SECONDS, expiryMessage)
      .nullish()
      .meta({ description: `How long the link is valid, in seconds: 1 hour to 7 days. Default ${PORTAL_EXPIRY_DEFAULT_SECONDS} (7 days).` }),
    readOnly: z.boolean({ message: "readOnly is true or false" }).nullish().meta({ description: "`true`: the Viewer experience (everything visible, nothing changeable)." }),
    capabilities: z
      .array(z.enum(CAPABILITIES, { message: `each capability is one of: ${CAPABILITIES.join(", ")}` }))
      .refine((list) => list.includes("ViewBase"), { message: "capabilities must include ViewBase" })
      .nullish()
      .meta({ description: "Svix's capabilities, in two levels: with `ManageEndpoint` the link can change endpoints (Admin), without it the link is read-only. Absent: as `readOnly` says." }),
    featureFlags: z
      .array(z.string().max(256).regex(/^[a-zA-Z0-9\-_.]+$/, "feature flags use letters, digits, - _ and ."))
      .max(100)
      .optional()
      .meta({ description: "Accepted and ignored: HookRelay has no feature flags." }),
    sessionId: sessionIdSchema
      .nullish()
      .meta({ description: "Your own name for whom the link is for (`user_1FB8`): `expire-all` with `sessionIds` then ends only the links created with those ids." }),
    application: z.looseObject({}).nullish().meta({ description: "Accepted and ignored: the application must exist already (`POST /api/v1/app`)." }),
  })
  .meta({ id: "AppPortalAccessIn" });

const appPortalAccessOut = z
  .object({
    url: z.string().meta({ description: "The link to open or frame: `<server>/portal/<organization id>#key=<token>`. The token sits in the fragment, so it reaches no server log and no Referer." }),
    token: z.string().meta({ description: "The token itself (`hrp_…`), shown once: only its hash is stored." }),
  })
  .meta({ id: "AppPortalAccessOut" });

const applicationTokenExpireIn = z
  .object({
    expiry: z
      .number({ message: "expiry is a number of seconds from 0 to 259200" })
      .int("expiry is a whole number of seconds")
      .min(0, "expiry is a number of seconds from 0 to 259200")
      .max(259_200, "expiry is at most 259200 seconds (3 days)")
      .nullish()
      .meta({ description: "Seconds until the open links expire; 0 or absent: at once." }),
    sessionIds: z
      .array(sessionIdSchema)
      .max(1000, "sessionIds holds at most 1000 session ids")
      .optional()
      .meta({ description: "Only the links created with one of these `sessionId`s; absent or empty: every link of the application." }),
  })
  .meta({ id: "ApplicationTokenExpireIn" });

function notDisabled(organization: Organization): void {
  if (isOrganizationDisabled(organization)) throw apiError("forbidden", organizationDisabledMessage.portalLinkRequest);
}

export const authenticationOperations: AnyOperation[] = [
  defineOperation({
    method: "POST",
    path: "/api/v1/auth/app-portal-access/{app_id}",
    operationId: "v1.authentication.app-portal-access",
    tag: "Authentication",
    summary: "Get app portal access",
    description:
      "A link that opens the organization's webhook screens (endpoints, message logs, event catalog) without a HookRelay account, for a limited time: as an Admin, or read-only. Frame it in your own settings page from an origin the organization lists (Settings → Portal links), or open it in a new tab.",
    access: "app",
    params: appParams,
    body: appPortalAccessIn,
    maxBodyBytes: 16 * 1024,
    response: { status: 200, description: "The link and its token.", schema: appPortalAccessOut },
    errors: ["not_found"],
    handler: async ({ request, organization, principal, body }) => {
      notDisabled(organization);
      const readOnly = body.readOnly === true || (body.capabilities != null && !body.capabilities.includes("ManageEndpoint"));
      const created = await createPortalAccess(
        { organizationId: organization.id, readOnly, expirySeconds: body.expiry ?? undefined, sessionId: body.sessionId ?? null },
        await apiKeyActor(principal),
      );
      if (!created.ok) throw apiError("not_found", created.message);
      return { url: portalLinkUrl(requestOrigin(request.headers, env().PORT), organization.id, created.token), token: created.token };
    },
  }),
  defineOperation({
    method: "POST",
    path: "/api/v1/auth/app/{app_id}/expire-all",
    operationId: "v1.authentication.expire-all",
    tag: "Authentication",
    summary: "Expire all portal links",
    description:
      "Ends every open portal link of the organization, or with `sessionIds` only the links created with those session ids: at once, or after `expiry` seconds (a link that expires sooner keeps its own expiry). Visitors inside the portal lose access on their next request.",
    access: "app",
    params: appParams,
    body: applicationTokenExpireIn,
    maxBodyBytes: 16 * 1024,
    response: { status: 204, description: "Expired." },
    handler: async ({ organization, principal, body }) => {
      await revokeAllPortalAccess(organization.id, await apiKeyActor(principal), { graceSeconds: body.expiry ?? 0, sessionIds: body.sessionIds });
      return null;
    },
  }),
  defineOperation({
    method: "POST",
    path: "/api/v1/auth/logout",
    operationId: "v1.authentication.logout",
    tag: "Authentication",
    summary: "Logout",
    description:
      "Ends the portal token sent as the bearer (the `token` of app-portal-access): its link no longer opens, and a portal session opened with it ends on its next request. Logging out a token that already ended answers 204 again; an API key cannot be logged out (403).",
    access: "portal",
    response: { status: 204, description: "Logged out." },
    handler: async ({ portalToken }) => {
      const ended = await logoutPortalAccess(portalToken);
      if (!ended.ok) throw apiError("unauthorized", "The portal token is not valid.");
      return null;
    },
  }),
];
