/**
 * Run by `bench/compare.ts` once per side, in a process of its own (the database client is one per
 * process): the event catalog, an organization with webhooks on, `endpoints` endpoints subscribed to
 * `contract.created` at the URLs given, and an organization API key. Prints one line,
 * `SETUP {"slug":…,"key":…}`. Uses this checkout's code against the side's database (DATABASE_URL,
 * APP_ENCRYPTION_KEY of that side's app), which its own app has migrated.
 *
 *   tsx bench/lib/compare-setup.ts <url> [<url> ...]
 */
import { createApiKey } from "@/lib/api-keys/manage";
import { SEED_CATALOG } from "@/lib/catalog/seed-catalog";
import { seedCatalog } from "@/lib/catalog/event-types";
import { db } from "@/lib/db";
import { createEndpoint } from "@/lib/endpoints/endpoints";
import { endpointConfigSchema } from "@/lib/validations/endpoint";

async function main() {
  const urls = process.argv.slice(2);
  if (urls.length === 0) throw new Error("give at least one endpoint URL");
  await seedCatalog(db, SEED_CATALOG);
  const stamp = Date.now();
  const user = await db.user.create({ data: { email: `compare-${stamp}@bench.test`, passwordHash: "!" } });
  const org = await db.organization.create({ data: { name: "Compare", slug: `compare-${stamp}`, webhooksEnabled: true } });
  for (const url of urls) {
    const created = await createEndpoint(org.id, endpointConfigSchema.parse({ url, eventTypes: ["contract.created"], rateLimit: "" }), { id: user.id, email: user.email });
    if (!created.ok) throw new Error(created.message);
  }
  const { key } = await createApiKey({ name: "compare", scope: "ORGANIZATION", organizationId: org.id, createdById: user.id });
  console.log(`SETUP ${JSON.stringify({ slug: org.slug, key })}`);
}

main()
  .catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  })
  .finally(() => db.$disconnect());
