/**
 * The message API's route handler alone (no Next server, no executor): CPU and wall time per
 * accepted message, on a throwaway PostgreSQL, with embedded-mode ingestion in process. Used to
 * weigh changes to the ingestion path; `npm run bench:delivery` measures the whole app.
 *
 *   npm run bench:ingest [-- messages=3000 endpoints=1 clients=32]
 */
import { randomBytes } from "node:crypto";
import { SEED_CATALOG } from "@/lib/catalog/seed-catalog";
import { createTestDatabase } from "@/scripts/lib/test-database";

const [messages, endpoints, clients] = [3_000, 1, 32].map((d, i) => Math.min(Number(process.argv[2 + i] ?? d), [50_000, 50, 256][i]!));
const payload = SEED_CATALOG.find((t) => t.name === "contract.created")!.examples[0]!.payload;

async function main() {
  process.env.APP_ENCRYPTION_KEY = randomBytes(32).toString("base64");
  const database = await createTestDatabase("bench_ingest");
  process.env.DATABASE_URL = database.url;
  process.env.EXECUTOR_KEY = randomBytes(24).toString("hex");
  process.env.EXECUTOR_INGEST_IN_PROCESS = "1";
  process.env.PORT ??= "3999";
  // The per-key limit's statement runs on every call (its cost is measured); the limit itself is never reached.
  process.env.API_RATE_LIMIT_PER_SECOND ??= "1000000";
  const { db } = await import("@/lib/db");
  const { seedCatalog } = await import("@/lib/catalog/event-types");
  const { createApiKey } = await import("@/lib/api-keys/manage");
  const { createEndpoint } = await import("@/lib/endpoints/endpoints");
  const { endpointConfigSchema } = await import("@/lib/validations/endpoint");
  const { POST } = await import("@/app/api/v1/app/[app_id]/msg/route");
  try {
    await seedCatalog(db, SEED_CATALOG);
    const user = await db.user.create({ data: { email: `bench-${Date.now()}@bench.test`, passwordHash: "!" } });
    const org = await db.organization.create({ data: { name: "Bench", slug: `bench-${Date.now()}`, webhooksEnabled: true } });
    for (let e = 0; e < endpoints; e++) {
      const created = await createEndpoint(org.id, endpointConfigSchema.parse({ url: `http://127.0.0.1:9/e${e}`, eventTypes: ["contract.created"], rateLimit: "" }), { id: user.id, email: user.email });
      if (!created.ok) throw new Error(created.message);
    }
    const { key } = await createApiKey({ name: "bench", scope: "ORGANIZATION", organizationId: org.id, createdById: user.id });
    const call = async (n: number) => {
      const request = new Request(`http://127.0.0.1/api/v1/app/${org.slug}/msg`, {
        method: "POST",
        headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
        body: JSON.stringify({ eventType: "contract.created", payload: { ...payload, occurred_at: new Date(Date.UTC(2026, 0, 1) + n * 1000).toISOString().replace(".000", "") } }),
      });
      const res = await POST(request, { params: Promise.resolve({ app: org.slug }) });
      if (res.status !== 202) throw new Error(`answered ${res.status}: ${await res.text()}`);
      await res.text();
    };
    const run = async (count: number) => {
      let next = 0;
      const cpu = process.cpuUsage();
      const started = performance.now();
      await Promise.all(Array.from({ length: clients }, async () => {
        while (next < count) await call(next++);
      }));
      const wall = performance.now() - started;
      const used = process.cpuUsage(cpu);
      return { rate: count / (wall / 1000), cpuMs: (used.user + used.system) / 1000 / count };
    };
    await run(Math.min(500, messages)); // warm-up: caches, prepared statements, JIT
    for (let i = 0; i < 2; i++) {
      const r = await run(messages);
      console.log(`[ingest] ${messages} messages × ${endpoints} endpoint(s), ${clients} clients: ${r.rate.toFixed(0)} msg/s, ${r.cpuMs.toFixed(2)} ms CPU per message (this process)`);
    }
    const [{ count }] = await db.$queryRaw<{ count: bigint }[]>`SELECT count(*) FROM executor_events`;
    console.log(`[ingest] executor events stored: ${count}`);
  } finally {
    await db.$disconnect();
    await database.cleanup();
  }
  process.exit(0);
}

void main();
