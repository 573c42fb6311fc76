import { inject } from "vitest";
import { inngest } from "@/inngest/client";
import { functions } from "@/inngest/functions";
import { createEndpoint } from "@/lib/endpoints/endpoints";
import { executorConfig } from "@/inngest/executor/config";
import { startEmbeddedExecutor } from "@/inngest/executor/embedded";
import { SEED_CATALOG } from "@/lib/catalog/seed-catalog";
import { db } from "@/lib/db";
import { endpointConfigSchema, type EndpointConfigInput } from "@/lib/validations/endpoint";
import { createExecutorDatabase, startTestApp, TEST_EXECUTOR_KEY, type ExecutorDatabase, type TestApp } from "@/tests/helpers/executor-harness";
import { createOrg, createUser } from "@/tests/helpers/factories";
import { ensureCatalog, setTestEncryptionKey } from "@/tests/helpers/webhooks-factories";

/**
 * The whole delivery pipeline on real parts, per test file: a fresh database (the executor
 * dispatches every stored event, so files must not share one), the app's ingest route (and its
 * real functions behind the real serve() handler) on TEST_APP_PORT, and an embedded executor
 * driving them, configured like production.
 * Call `startDeliveryPipeline()` in beforeAll, before anything touches the database.
 */
export interface DeliveryPipeline {
  database: ExecutorDatabase;
  app: TestApp;
  executor: { stop(): Promise<void> };
  restartExecutor(): Promise<void>;
  stopExecutor(): Promise<void>;
  close(): Promise<void>;
}

/** The pipeline executor's timing: tests derive their waits from it. */
export const PIPELINE_EXECUTOR = { pollMs: 200, leaseMs: 2_000 } as const;

export async function startDeliveryPipeline(env: Record<string, string> = {}): Promise<DeliveryPipeline> {
  Object.assign(process.env, env);
  setTestEncryptionKey();
  const database = await createExecutorDatabase(inject("adminDatabaseUrl"), "pipeline");
  process.env.DATABASE_URL = database.url;
  await ensureCatalog();
  const app = await startTestApp({ port: Number(process.env.TEST_APP_PORT), client: inngest, functions, pool: database.pool });
  const config = { ...executorConfig(), pollMs: PIPELINE_EXECUTOR.pollMs, leaseMs: PIPELINE_EXECUTOR.leaseMs };
  // EXECUTOR_SERVE decides, as in production: "local" (the default) runs the functions behind this
  // executor's own serve() handler, "app" drives the test app's /api/inngest.
  const start = () =>
    startEmbeddedExecutor({
      databaseUrl: database.url,
      config,
      executorKey: TEST_EXECUTOR_KEY,
      log: () => {},
      serveLocally: config.serve === "local" ? { client: inngest, functions } : undefined,
    });
  const pipeline: DeliveryPipeline = {
    database,
    app,
    executor: await start(),
    async stopExecutor() {
      await pipeline.executor.stop();
    },
    async restartExecutor() {
      pipeline.executor = await start();
    },
    async close() {
      await pipeline.executor.stop().catch(() => {});
      await app.close();
      await db.$disconnect();
      await database.cleanup();
    },
  };
  return pipeline;
}

/** An organization with webhooks on and one endpoint pointing at `url`. */
export async function orgWithEndpoint(url: string, config: Partial<EndpointConfigInput> = {}) {
  await ensureCatalog();
  const org = await createOrg({ webhooksEnabled: true });
  const user = await createUser();
  const parsed = endpointConfigSchema.parse({ url, eventTypes: ["contract.created"], rateLimit: "", ...config });
  const created = await createEndpoint(org.id, parsed, { id: user.id, email: user.email });
  if (!created.ok) throw new Error(created.message);
  return { org, endpointId: created.id, actor: { id: user.id, email: user.email } };
}

const example = SEED_CATALOG.find((t) => t.name === "contract.created")!.examples[0]!.payload;

/** A valid contract.created event; `n` makes each payload distinct. */
export const contractCreated = (n = 1): { eventType: string; payload: Record<string, unknown> } => ({
  eventType: "contract.created",
  payload: { ...example, occurred_at: new Date(Date.UTC(2026, 0, 1, 0, 0, n)).toISOString().replace(".000", "") },
});
