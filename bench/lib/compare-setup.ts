/**
 * Run by `bench/compare.ts` once per side, in a process of its own (the database client is one per
 * process): the event catalog, a user, and `benchOrganization` with one endpoint per URL given.
 * Prints one line, `SETUP {"slug":…,"key":…,"endpointIds":[…]}`. Uses this checkout's code against the side's
 * database (DATABASE_URL, APP_ENCRYPTION_KEY of that side's app), which its own app has migrated.
 *
 *   tsx bench/lib/compare-setup.ts <url> [<url> ...]
 */
import { SEED_CATALOG } from "@/lib/catalog/seed-catalog";
import { seedCatalog } from "@/lib/catalog/event-types";
import { db } from "@/lib/db";
import { benchOrganization } from "./organization";

async function main() {
  const urls = process.argv.slice(2);
  if (urls.length === 0) throw new Error("give at least one endpoint URL");
  await seedCatalog(db, SEED_CATALOG);
  const stamp = Date.now();
  const user = await db.user.create({ data: { email: `compare-${stamp}@bench.test`, passwordHash: "!" } });
  const { org, key, endpointIds } = await benchOrganization({ name: "Compare", slug: `compare-${stamp}`, urls, actor: { id: user.id, email: user.email } });
  console.log(`SETUP ${JSON.stringify({ slug: org.slug, key, endpointIds })}`);
}

main()
  .catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  })
  .finally(() => db.$disconnect());
