/** Dashboard URLs, built in one place. */
export const orgPath = (org: string) => `/${encodeURIComponent(org)}`;
export const webhooksPath = (org: string) => `${orgPath(org)}/settings/integrations/webhooks`;
export const jobsPath = (org: string) => `${orgPath(org)}/admin/jobs`;
