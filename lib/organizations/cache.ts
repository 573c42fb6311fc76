import { db } from "@/lib/db";
import { NotifiedCache } from "@/lib/db/notified-cache";
import { PLATFORM_ORGANIZATION_ID } from "@/lib/operational/platform";

/**
 * Organizations by id or slug, per process: every API call resolves one, and the proxy reads a
 * portal's framing origins from it. Disabling webhooks or the organization, renaming the slug or
 * changing the portal origins, by any process, reaches every cache through the
 * `organization_changed` trigger (its migration). The platform organization (lib/operational) is
 * never found: no API call or portal reaches it.
 */
export const organizationCache = new NotifiedCache({
  channel: "organization_changed",
  databaseUrl: () => process.env.DATABASE_URL,
  load: (idOrSlug: string) =>
    db.organization.findFirst({
      where: { OR: [{ id: idOrSlug }, { slug: idOrSlug }], NOT: { id: PLATFORM_ORGANIZATION_ID } },
      select: { id: true, slug: true, webhooksEnabled: true, disabledAt: true, portalOrigins: true },
    }),
});

/** The `{app}` path segment is an organization id or slug, as Svix's application id or uid. */
export function findOrganization(idOrSlug: string) {
  return organizationCache.get(idOrSlug);
}
