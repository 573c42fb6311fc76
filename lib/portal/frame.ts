import { findOrganization } from "@/lib/organizations/cache";
import { isOrganizationDisabled } from "@/lib/organizations/disabled";

const ENTRY = /^\/portal\/([^/]+)(?:\/ended)?\/?$/;
const SCREENS = /^\/([^/]+)\/settings\/integrations\/webhooks(?:\/|$)/;

function decoded(segment: string): string | null {
  try {
    return decodeURIComponent(segment);
  } catch {
    return null;
  }
}

/**
 * The organization (id or slug) whose portal this request is part of, for the proxy: the portal's
 * entry and "ended" pages (`/portal/{organization}`), and the webhook screens when the request
 * carries a portal cookie. Null for every other request, without any database read.
 */
export function portalOrganizationOf(pathname: string, hasPortalCookie: boolean): string | null {
  const entry = ENTRY.exec(pathname);
  if (entry) return decoded(entry[1]!);
  if (!hasPortalCookie) return null;
  const screen = SCREENS.exec(pathname);
  return screen ? decoded(screen[1]!) : null;
}

/**
 * The origins that may frame that organization's portal (`frame-ancestors`): its `portalOrigins`,
 * none for an unknown or disabled organization. Read through the per-process organization cache,
 * which every change of `portalOrigins` empties (the `organization_changed` trigger).
 */
export async function portalFrameAncestors(organization: string): Promise<string[]> {
  const found = await findOrganization(organization);
  return found && !isOrganizationDisabled(found) ? found.portalOrigins : [];
}
