import type { PrismaClient } from "@/lib/generated/prisma/client";
import { hashPassword } from "@/lib/auth/credentials";
import { seedCatalog } from "@/lib/catalog/event-types";
import { SEED_CATALOG } from "@/lib/catalog/seed-catalog";
import { recordAudit, type Actor } from "@/lib/audit/record";
import { ids } from "@/lib/ids";
import { createInitialSecret } from "@/lib/endpoints/secrets";
import { newTestReceiverToken, testReceiverPath } from "@/lib/test-receiver/receivers";

export interface SeedOptions {
  adminEmail: string;
  adminPassword: string;
  /** The app's own base URL: when given, the demo organization gets a test receiver and an endpoint to it. */
  appUrl?: string;
  log?: (line: string) => void;
}

export const DEMO_ORG = { name: "Acme Cloud", slug: "acme" } as const;

/** Held while one process seeds: instances started at once on one database (docs/scaling.md) take turns. */
const SEED_LOCK_KEY = 72707370;
/** The second of two instances started at once waits for the first one's seed, a second or two. */
const SEED_LOCK_WAIT_MS = 120_000;

/**
 * Idempotent: every row is found by its natural key and only created when missing, so a second
 * start neither duplicates nor overwrites what users changed (e.g. the admin's password). Two
 * processes seeding at once take turns: otherwise both find the admin missing and the second
 * start fails on its unique e-mail, or both create the demo receiver.
 */
export async function seed(db: PrismaClient, options: SeedOptions): Promise<{ createdAdmin: boolean; createdEventTypes: string[] }> {
  // The transaction only holds the lock (released with it, also when the process dies); the
  // seed's own statements run on other connections of the pool.
  return db.$transaction(
    async (tx) => {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(${SEED_LOCK_KEY})`;
      return seedUnlocked(db, options);
    },
    { maxWait: SEED_LOCK_WAIT_MS, timeout: SEED_LOCK_WAIT_MS },
  );
}

async function seedUnlocked(db: PrismaClient, options: SeedOptions): Promise<{ createdAdmin: boolean; createdEventTypes: string[] }> {
  const log = options.log ?? (() => {});
  const email = options.adminEmail.trim().toLowerCase();

  const organization = await db.organization.upsert({
    where: { slug: DEMO_ORG.slug },
    update: {},
    // On for the demo, so the first event sent shows up at once; a second start keeps whatever the owner chose.
    create: { name: DEMO_ORG.name, slug: DEMO_ORG.slug, webhooksEnabled: true },
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
  if (options.appUrl) await seedDemoReceiver(db, organization.id, { id: admin.id, email: admin.email }, options.appUrl, log);
  return { createdAdmin, createdEventTypes };
}

const DEMO_RECEIVER = "Demo receiver";

/**
 * The built-in test receiver and an endpoint subscribed to every current type that points at it,
 * so a new user sees deliveries without writing code. Created once: if the owner later deletes
 * the endpoint, it stays deleted.
 */
async function seedDemoReceiver(db: PrismaClient, organizationId: string, actor: Actor, appUrl: string, log: (line: string) => void) {
  if (await db.testReceiver.findFirst({ where: { organizationId, name: DEMO_RECEIVER } })) return;
  const receiver = await db.testReceiver.create({ data: { organizationId, name: DEMO_RECEIVER, token: newTestReceiverToken() } });
  const types = await db.eventType.findMany({ where: { archivedAt: null }, select: { name: true }, orderBy: { name: "asc" } });
  const id = ids.endpoint.generate();
  const url = `${appUrl.replace(/\/+$/, "")}${testReceiverPath(receiver.token)}`;
  const now = new Date();
  await db.$transaction(async (tx) => {
    await tx.endpoint.create({
      data: { id, organizationId, url, description: "Built-in test receiver (Webhooks → Test receiver)", eventTypes: types.map((t) => t.name), createdAt: now },
    });
    await createInitialSecret(tx, id, now);
    await recordAudit(tx, { actor, action: "endpoint.created", organizationId, endpointId: id, changes: { url: { before: null, after: url } } });
  });
  log(`created the demo test receiver and an endpoint to it: ${url}`);
}
