/** Dashboard URLs, built in one place. */
export const orgPath = (org: string) => `/${encodeURIComponent(org)}`;
export const webhooksPath = (org: string) => `${orgPath(org)}/settings/integrations/webhooks`;

/** Webhooks sub-areas. Endpoints is the default tab, so its list lives at webhooksPath itself. */
export const endpointsPath = (org: string) => webhooksPath(org);
export const newEndpointPath = (org: string) => `${webhooksPath(org)}/endpoints/new`;
export const endpointPath = (org: string, endpointId: string) => `${webhooksPath(org)}/endpoints/${encodeURIComponent(endpointId)}`;
export const editEndpointPath = (org: string, endpointId: string) => `${endpointPath(org, endpointId)}/edit`;
export const endpointActivityPath = (org: string, endpointId: string) => `${endpointPath(org, endpointId)}/activity`;

export const catalogPath = (org: string) => `${webhooksPath(org)}/catalog`;
export const newEventTypePath = (org: string) => `${catalogPath(org)}/new`;
export const eventTypePath = (org: string, name: string) => `${catalogPath(org)}/${encodeURIComponent(name)}`;
export const editEventTypePath = (org: string, name: string) => `${eventTypePath(org, name)}/edit`;
export const apiKeysPath = (org: string) => `${orgPath(org)}/settings/api-keys`;
export const jobsPath = (org: string) => `${orgPath(org)}/admin/jobs`;
export const sendEventPath = (org: string) => `${orgPath(org)}/admin/send-event`;
export const testReceiverPath = (org: string) => `${webhooksPath(org)}/receiver`;
