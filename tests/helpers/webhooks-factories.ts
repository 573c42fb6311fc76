import { randomBytes } from "node:crypto";
import { seedCatalog } from "@/lib/catalog/event-types";
import { SEED_CATALOG } from "@/lib/catalog/seed-catalog";
import { db } from "@/lib/db";
import type { Prisma } from "@/lib/generated/prisma/client";

/** Tests read secrets back, so they need a key; a fresh one per run keeps nothing on disk. */
export function setTestEncryptionKey() {
  process.env.APP_ENCRYPTION_KEY ??= randomBytes(32).toString("base64");
}

/** The seeded catalog; idempotent and safe when test files run in parallel. */
export async function ensureCatalog() {
  await seedCatalog(db, SEED_CATALOG);
}

export async function createArchivedEventType(name: string) {
  const entry = SEED_CATALOG[0]!;
  return db.eventType.create({
    data: { name, group: name.split(".")[0]!, description: "archived for a test", schema: entry.schema as Prisma.InputJsonObject, examples: entry.examples as unknown as Prisma.InputJsonArray, archivedAt: new Date() },
  });
}

export const endpointInput = (org: string, overrides: Record<string, unknown> = {}) => ({
  org,
  url: "https://hooks.example.test/in",
  description: "Billing system",
  eventTypes: ["contract.created", "contract.cancelled"],
  rateLimit: "",
  headers: [],
  ...overrides,
});

/**
 * The domain's published events, as the embedded executor stores them (lib/outbox writes them into
 * `executor_events` inside the publishing transaction). `eventMark()` notes where the log stands;
 * `publishedSince(mark)` lists what was published after it, in order.
 */
export async function eventMark(): Promise<bigint> {
  const [row] = await db.$queryRaw<{ seq: bigint | null }[]>`SELECT max(seq) AS seq FROM executor_events`;
  return row?.seq ?? 0n;
}

export async function publishedSince(mark: bigint): Promise<{ name: string; data: Record<string, unknown>; id: string | null }[]> {
  return db.$queryRaw`SELECT name, data, idempotency_key AS id FROM executor_events WHERE seq > ${mark} ORDER BY seq`;
}

/**
 * Makes the engine refuse every event published for one organization (a trigger on the
 * executor's event table raises), to show that a change and its events commit together or not
 * at all. Other organizations, and so other test files, are unaffected. Returns the undo.
 */
export async function refuseEventsOf(organizationId: string): Promise<() => Promise<void>> {
  const name = `refuse_${organizationId.replace(/\W/g, "_")}`;
  await db.$executeRawUnsafe(`CREATE FUNCTION ${name}() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF NEW.data->>'organizationId' = '${organizationId.replaceAll("'", "''")}' THEN RAISE EXCEPTION 'the engine refused the event (test)'; END IF;
      RETURN NEW;
    END $$`);
  await db.$executeRawUnsafe(`CREATE TRIGGER ${name} BEFORE INSERT ON executor_events FOR EACH ROW EXECUTE FUNCTION ${name}()`);
  return async () => {
    await db.$executeRawUnsafe(`DROP TRIGGER ${name} ON executor_events`);
    await db.$executeRawUnsafe(`DROP FUNCTION ${name}()`);
  };
}
