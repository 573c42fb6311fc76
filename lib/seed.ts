import type { PrismaClient } from "@/lib/generated/prisma/client";
import { hashPassword } from "@/lib/auth/credentials";
import { seedCatalog } from "@/lib/catalog/event-types";
import { SEED_CATALOG } from "@/lib/catalog/seed-catalog";

export interface SeedOptions {
  adminEmail: string;
  adminPassword: string;
  log?: (line: string) => void;
}

export const DEMO_ORG = { name: "Acme Cloud", slug: "acme" } as const;

/**
 * Idempotent: every row is found by its natural key and only created when missing, so a second
 * start neither duplicates nor overwrites what users changed (e.g. the admin's password).
 */
export async function seed(db: PrismaClient, options: SeedOptions): Promise<{ createdAdmin: boolean; createdEventTypes: string[] }> {
  const log = options.log ?? (() => {});
  const email = options.adminEmail.trim().toLowerCase();

  const organization = await db.organization.upsert({
    where: { slug: DEMO_ORG.slug },
    update: {},
    create: { name: DEMO_ORG.name, slug: DEMO_ORG.slug },
  });

  let admin = await db.user.findUnique({ where: { email } });
  const createdAdmin = !admin;
  if (!admin) {
    admin = await db.user.create({
      data: { email, name: "Acme Admin", passwordHash: await hashPassword(options.adminPassword), isStaff: true },
    });
    log(`created owner account ${email}`);
  }
  await db.membership.upsert({
    where: { userId_organizationId: { userId: admin.id, organizationId: organization.id } },
    update: {},
    create: { userId: admin.id, organizationId: organization.id, role: "OWNER" },
  });
  const createdEventTypes = await seedCatalog(db, SEED_CATALOG);
  if (createdEventTypes.length) log(`added ${createdEventTypes.length} event types to the catalog`);
  return { createdAdmin, createdEventTypes };
}
