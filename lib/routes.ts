/** Dashboard URLs, built in one place. */
export const orgPath = (org: string) => `/${encodeURIComponent(org)}`;
export const webhooksPath = (org: string) => `${orgPath(org)}/settings/integrations/webhooks`;
export const apiKeysPath = (org: string) => `${orgPath(org)}/settings/api-keys`;
