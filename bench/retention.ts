/**
 * History under a steady load with retention set to minutes: the table sizes should level off
 * once the first messages pass the limit. A throwaway PostgreSQL, a keep-alive receiver on
 * 127.0.0.1, an embedded executor running the app's real functions (deliveries and the
 * purge-history function on its cron) in this process, and messages sent with `sendEvent` at a
 * fixed rate. Prints the row counts of every history table every 15 s.
 *
 *   npm run bench:retention                     6 minutes at 50 messages/s, retention 2 minutes, purge every minute
 *   npm run bench:retention -- 240 20 60        seconds, messages per second, retention in seconds
 *
 * Bounded in time and count; everything stops by itself.
 */
import { randomBytes } from "node:crypto";
import { createTestDatabase } from "@/scripts/lib/test-database";
import { startReceiver } from "@/tests/helpers/receiver";

const [seconds, rate, retentionSeconds] = [360, 50, 120].map((d, i) => Math.min(Number(process.argv[2 + i] ?? d), [1_800, 500, 3_600][i]!));
const REPORT_EVERY_MS = 15_000;
const log = (line: string) => console.log(`[bench] ${line}`);

const COUNTS = `
  SELECT (SELECT count(*) FROM "Message")::int AS messages,
         (SELECT count(*) FROM "Delivery")::int AS deliveries,
         (SELECT count(*) FROM "Attempt")::int AS attempts,
         (SELECT count(*) FROM executor_runs)::int AS runs,
         (SELECT count(*) FROM executor_steps)::int AS steps,
         (SELECT count(*) FROM executor_events)::int AS events,
         (SELECT count(*) FROM executor_runs WHERE function_id LIKE '%purge-history' AND status = 'COMPLETED')::int AS purges,
         pg_size_pretty(pg_total_relation_size('"Message"') + pg_total_relation_size('"Delivery"') + pg_total_relation_size('"Attempt"')
           + pg_total_relation_size('executor_runs') + pg_total_relation_size('executor_steps') + pg_total_relation_size('executor_events')) AS size`;

async function main() {
  const database = await createTestDatabase("bench_retention");
  // Read by the modules below when they load: set before importing them.
  Object.assign(process.env, {
    DATABASE_URL: database.url,
    APP_ENCRYPTION_KEY: randomBytes(32).toString("base64"),
    EXECUTOR_KEY: randomBytes(32).toString("hex"),
    EXECUTOR_INGEST_IN_PROCESS: "1",
    RETENTION_MS: String(retentionSeconds * 1_000),
    EXECUTOR_RETENTION_MS: String(retentionSeconds * 1_000),
    RETENTION_SCHEDULE: "* * * * *",
  });
  const { inngest } = await import("@/inngest/client");
  const { functions } = await import("@/inngest/functions");
  const { executorConfig } = await import("@/inngest/executor/config");
  const { startEmbeddedExecutor } = await import("@/inngest/executor/embedded");
  const { seedCatalog } = await import("@/lib/catalog/event-types");
  const { SEED_CATALOG } = await import("@/lib/catalog/seed-catalog");
  const { db } = await import("@/lib/db");
  const { createEndpoint } = await import("@/lib/endpoints/endpoints");
  const { sendEvent } = await import("@/lib/messages/send-event");
  const { endpointConfigSchema } = await import("@/lib/validations/endpoint");

  const receiver = await startReceiver({ mode: { kind: "status", status: 200 }, maxRecorded: 0 });
  const config = executorConfig();
  const executor = await startEmbeddedExecutor({
    databaseUrl: database.url,
    config,
    executorKey: config.executorKey!,
    log: () => {},
    serveLocally: { client: inngest, functions },
  });
  try {
    await seedCatalog(db, SEED_CATALOG);
    const payload = SEED_CATALOG.find((t) => t.name === "contract.created")!.examples[0]!.payload;
    const user = await db.user.create({ data: { email: `bench-${Date.now()}@bench.test`, passwordHash: "!" } });
    const org = await db.organization.create({ data: { name: "Bench", slug: `bench-${Date.now()}`, webhooksEnabled: true } });
    const created = await createEndpoint(org.id, endpointConfigSchema.parse({ url: receiver.url, eventTypes: ["contract.created"], rateLimit: "" }), {
      id: user.id,
      email: user.email,
    });
    if (!created.ok) throw new Error(created.message);

    log(`${seconds} s at ${rate} messages/s, retention ${retentionSeconds} s for messages and executor history, purge every minute`);
    console.log("elapsed  sent  delivered  messages  deliveries  attempts  runs  steps  events  purges  size");
    const start = Date.now();
    let sent = 0;
    let nextReport = start;
    const report = async () => {
      const [row] = await db.$queryRawUnsafe<Record<string, number | string>[]>(COUNTS);
      const cells = [`${Math.round((Date.now() - start) / 1_000)} s`, sent, receiver.total, row.messages, row.deliveries, row.attempts, row.runs, row.steps, row.events, row.purges, row.size];
      console.log(cells.map(String).join("  "));
    };
    while (Date.now() - start < seconds * 1_000) {
      // Paced by the wall clock: a slow moment is caught up, never exceeded on average.
      const due = Math.floor(((Date.now() - start) / 1_000) * rate);
      while (sent < due) {
        const result = await sendEvent({ id: org.id, webhooksEnabled: true }, { eventType: "contract.created", payload });
        if (!result.ok) throw new Error(result.message);
        sent++;
      }
      if (Date.now() >= nextReport) {
        await report();
        nextReport += REPORT_EVERY_MS;
      }
      await new Promise((r) => setTimeout(r, 20));
    }
    await report();
    log("expected: the counts stop growing after the first retention period plus a purge interval");
  } finally {
    await executor.stop(5_000);
    await receiver.close();
    await db.$disconnect();
    const { sqlPool } = await import("@/lib/db/pool");
    await sqlPool().end();
    await database.cleanup();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
