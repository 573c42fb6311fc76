/** Dashboard URLs, built in one place. */
export const orgPath = (org: string) => `/${encodeURIComponent(org)}`;
export const webhooksPath = (org: string) => `${orgPath(org)}/settings/integrations/webhooks`;

/** Webhooks sub-areas. Endpoints is the default tab, so its list lives at webhooksPath itself. */
export const endpointsPath = (org: string) => webhooksPath(org);
export const newEndpointPath = (org: string) => `${webhooksPath(org)}/endpoints/new`;
export const endpointPath = (org: string, endpointId: string) => `${webhooksPath(org)}/endpoints/${encodeURIComponent(endpointId)}`;
export const editEndpointPath = (org: string, endpointId: string) => `${endpointPath(org, endpointId)}/edit`;
export const endpointActivityPath = (org: string, endpointId: string) => `${endpointPath(org, endpointId)}/activity`;
export const endpointAttemptsPath = (org: string, endpointId: string) => `${endpointPath(org, endpointId)}/attempts`;
export const endpointAttemptsExportPath = (org: string, endpointId: string) => `${endpointAttemptsPath(org, endpointId)}/export`;
export const endpointAttemptsLivePath = (org: string, endpointId: string) => `${endpointAttemptsPath(org, endpointId)}/live`;
export const endpointTestingPath = (org: string, endpointId: string) => `${endpointPath(org, endpointId)}/testing`;

/** The read-only catalog an organization's members browse. */
export const catalogPath = (org: string) => `${webhooksPath(org)}/catalog`;
export const eventTypePath = (org: string, name: string) => `${catalogPath(org)}/${encodeURIComponent(name)}`;
export const apiKeysPath = (org: string) => `${orgPath(org)}/settings/api-keys`;
/** The SDK example on the API keys page. */
export const SDK_SNIPPET_ANCHOR = "sdk";
/** Settings → Members: the organization's people and pending invites. */
export const membersPath = (org: string) => `${orgPath(org)}/settings/members`;
/** The signed-in person's own account (password, sessions); it belongs to no organization. */
export const accountPath = "/account";
export const apiReferencePath = (org: string) => `${orgPath(org)}/settings/api-reference`;
/** One operation's tables (JSON), fetched when the reference opens it. */
export const apiReferenceOperationPath = (org: string, anchor: string) => `${apiReferencePath(org)}/operations/${encodeURIComponent(anchor)}`;
/** The OpenAPI document the reference is rendered from (public, no key needed). */
export const OPENAPI_DOCUMENT_PATH = "/api/v1/openapi.json";
export const testReceiverPath = (org: string) => `${webhooksPath(org)}/receiver`;

/** Message logs: every message of the organization, and one message with its deliveries and attempts. */
export const messagesPath = (org: string) => `${webhooksPath(org)}/messages`;
export const messagePath = (org: string, messageId: string) => `${messagesPath(org)}/${encodeURIComponent(messageId)}`;
/** Same search params as the message logs, plus `format` and `include`. */
export const messagesExportPath = (org: string) => `${messagesPath(org)}/export`;
/** Fresh delivery counts of rows on screen and the count of newer messages (the logs' live updates). */
export const messagesLivePath = (org: string) => `${messagesPath(org)}/live`;
/** The organization's delivery overview (charts), and its figures as JSON for the live refresh. */
export const webhooksOverviewPath = (org: string) => `${webhooksPath(org)}/overview`;
export const webhooksOverviewLivePath = (org: string) => `${webhooksOverviewPath(org)}/live`;

/** Platform pages, for HookRelay's staff: they belong to no organization. */
export const platformPath = "/platform";
/** The platform overview (charts) lives at platformPath itself; its figures as JSON for the live refresh. */
export const platformOverviewLivePath = () => `${platformPath}/overview/live`;
export const jobsPath = () => `${platformPath}/jobs`;
export const sendEventPath = (org?: string) => `${platformPath}/send-event${org ? `?org=${encodeURIComponent(org)}` : ""}`;
export const platformCatalogPath = () => `${platformPath}/catalog`;
export const newEventTypePath = () => `${platformCatalogPath()}/new`;
export const editEventTypePath = (name: string) => `${platformCatalogPath()}/${encodeURIComponent(name)}/edit`;
export const organizationsPath = () => `${platformPath}/organizations`;
/** Every organization's audit entries and the platform's own (accounts). */
export const platformAuditPath = () => `${platformPath}/audit`;
export const operationalWebhooksPath = () => `${platformPath}/operational-webhooks`;
export const operatorEndpointPath = (endpointId: string) => `${operationalWebhooksPath()}/${encodeURIComponent(endpointId)}`;
export const operationalMessagePath = (endpointId: string, messageId: string) => `${operatorEndpointPath(endpointId)}/messages/${encodeURIComponent(messageId)}`;

/** Portal links (lib/portal): who may frame them, and "revoke all". */
export const portalSettingsPath = (org: string) => `${orgPath(org)}/settings/portal`;
/** The public page a portal link opens (the token follows in the fragment, which no server log or Referer sees). */
export const portalEntryPath = (organizationId: string) => `/portal/${encodeURIComponent(organizationId)}`;
/** The whole link, as the API answers it: the token in the fragment. */
export const portalLinkUrl = (origin: string, organizationId: string, token: string) => `${origin}${portalEntryPath(organizationId)}#key=${encodeURIComponent(token)}`;
/** Where a portal visitor lands once the link expired or was revoked (framed like the portal itself). */
export const portalEndedPath = (org: string) => `${portalEntryPath(org)}/ended`;
/** The same page, after the visitor signed out of the portal themselves. */
export const portalSignedOutPath = (org: string) => `${portalEndedPath(org)}?reason=signed-out`;
/** Where the entry page trades the token for the portal cookie. */
export const portalSessionPath = (organizationId: string) => `${portalEntryPath(organizationId)}/session`;
