import { createApiKey } from "@/lib/api-keys/manage";
import { db } from "@/lib/db";
import { createEndpoint } from "@/lib/endpoints/endpoints";
import { endpointConfigSchema } from "@/lib/validations/endpoint";

/**
 * What a delivery benchmark sends through: an organization with webhooks on, one endpoint
 * subscribed to `contract.created` per URL (in order), and an organization API key, made by
 * `actor` (a user row). The event catalog must be seeded first.
 */
export async function benchOrganization(opts: { name: string; slug: string; urls: string[]; actor: { id: string; email: string } }) {
  const org = await db.organization.create({ data: { name: opts.name, slug: opts.slug, webhooksEnabled: true } });
  const endpointIds: string[] = [];
  for (const url of opts.urls) {
    const created = await createEndpoint(org.id, endpointConfigSchema.parse({ url, eventTypes: ["contract.created"], rateLimit: "" }), opts.actor);
    if (!created.ok) throw new Error(created.message);
    endpointIds.push(created.id);
  }
  const { key } = await createApiKey({ name: "bench", scope: "ORGANIZATION", organizationId: org.id, createdById: opts.actor.id });
  return { org, key, endpointIds };
}
