import { db } from "@/lib/db";

/** The `{app}` path segment is an organization id or slug, as Svix's application id or uid. */
export async function findOrganization(idOrSlug: string) {
  return db.organization.findFirst({
    where: { OR: [{ id: idOrSlug }, { slug: idOrSlug }] },
    select: { id: true, slug: true, webhooksEnabled: true },
  });
}
