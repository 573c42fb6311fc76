/**
 * `npm start`: embedded PostgreSQL (unless DATABASE_URL is set), migrations, seed, a production
 * build when sources changed, then the dashboard and (embedded mode, the default) the embedded
 * Inngest executor. Ctrl-C (or SIGTERM) stops the server, lets deliveries in flight finish, then
 * stops the executor and the database.
 *
 *   npm start            production server (builds first when needed)
 *   npm run dev          Next in dev mode, same database bootstrap
 */
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { createPrismaClient } from "../lib/db";
import { EnvError, parseEnv } from "../lib/env";
import { DeliveryConfigError, parseDeliveryConfig } from "../lib/delivery/config";
import { parseRetentionConfig, RetentionConfigError } from "../lib/retention/config";
import { ExecutorConfigError, parseExecutorConfig } from "../inngest/executor/config";
import { startEmbeddedExecutor } from "../inngest/executor/embedded";
import { inngest } from "../inngest/client";
import { functions } from "../inngest/functions";
import { seed } from "../lib/seed";
import { dropNpmVariables, persistentSecret, prepareDatabase } from "./lib/server/bootstrap";
import { EmbeddedPostgresError } from "./lib/server/embedded-postgres";
import { buildIfNeeded } from "./lib/build";
import { startWorkerProcesses, type WorkerProcesses } from "./lib/server/workers";

const root = path.resolve(import.meta.dirname, "..");
const dev = process.argv.includes("--dev");
const log = (line: string) => console.log(`[hookrelay] ${line}`);
/** Beyond the attempt timeout: time for a finished attempt to be recorded. */
const STOP_MARGIN_MS = 5_000;

async function main() {
  dropNpmVariables();
  const env = parseEnv();
  const executorConfig = parseExecutorConfig();
  const deliveryConfig = parseDeliveryConfig();
  // The purge function reads it on its first tick; a typo should stop the start, not that run.
  parseRetentionConfig();
  const database = await prepareDatabase(env, log);
  const running: { child?: ChildProcess; executor?: { stop(graceMs?: number): Promise<void> }; workers?: WorkerProcesses } = {};
  let stopping = false;

  /**
   * The order matters: the server stops taking requests (finishing those it holds), deliveries in
   * flight get up to one attempt timeout to answer and be recorded, then the executor hands back
   * what is left, and PostgreSQL, which all of them write to, stops last.
   */
  const shutdown = async (code: number) => {
    if (stopping) return;
    stopping = true;
    log("stopping ...");
    const child = running.child;
    const serverStopped =
      child && child.exitCode === null && child.signalCode === null
        ? new Promise((r) => {
            child.once("exit", r);
            // A terminal's Ctrl-C reached it already; a SIGTERM sent to this process alone did not.
            child.kill("SIGTERM");
          })
        : undefined;
    await Promise.all([running.executor?.stop(deliveryConfig.attemptTimeoutMs + STOP_MARGIN_MS), running.workers?.stop(), serverStopped]);
    await database.cluster?.stop();
    log("stopped");
    process.exit(code);
  };
  process.on("SIGINT", () => void shutdown(0));
  process.on("SIGTERM", () => void shutdown(0));

  // The executor runs the functions (deliveries) in this process: they use the same database.
  process.env.DATABASE_URL = database.url;
  const authSecret = persistentSecret(env, "auth", env.AUTH_SECRET);
  const encryptionKey = persistentSecret(env, "encryption", process.env.APP_ENCRYPTION_KEY);
  // The seed encrypts the demo endpoint's signing secret with it.
  process.env.APP_ENCRYPTION_KEY = encryptionKey;
  const embedded = executorConfig.mode === "embedded";
  const executorKey = embedded ? persistentSecret(env, "executor", executorConfig.executorKey) : undefined;
  // This process's functions send events too (step.sendEvent): the client reads the key from here.
  if (executorKey) process.env.EXECUTOR_KEY = executorKey;
  if (env.SEED_DEMO) {
    const prisma = createPrismaClient(database.url);
    try {
      const { createdAdmin } = await seed(prisma, {
        adminEmail: env.ADMIN_EMAIL,
        adminPassword: env.ADMIN_PASSWORD,
        appUrl: `http://127.0.0.1:${env.PORT}`,
        log,
      });
      if (createdAdmin && !process.env.ADMIN_PASSWORD) log(`default password for ${env.ADMIN_EMAIL}: ${env.ADMIN_PASSWORD} (change it on the account page, /account, or set ADMIN_PASSWORD before the first start)`);
    } finally {
      await prisma.$disconnect();
    }
  }

  if (!dev) buildIfNeeded(root, log, process.env.FORCE_BUILD === "1");

  const childEnv: NodeJS.ProcessEnv = {
    // Without npm's npm_* variables (dropNpmVariables): the SDK scans the environment per request.
    ...process.env,
    NODE_ENV: process.env.NODE_ENV ?? (dev ? "development" : "production"),
    DATABASE_URL: database.url,
    AUTH_SECRET: authSecret,
    APP_ENCRYPTION_KEY: encryptionKey,
    AUTH_TRUST_HOST: "true",
    NEXT_TELEMETRY_DISABLED: "1",
    PORT: String(env.PORT),
    // Embedded mode: inngest.send() posts to this app's ingest route with the executor key.
    ...(executorKey ? { EXECUTOR_KEY: executorKey, EXECUTOR_INGEST_IN_PROCESS: "1" } : {}),
  };
  const child = spawn(process.execPath, ["--import", "tsx", path.join(root, "scripts/serve.ts"), ...(dev ? ["--dev"] : [])], {
    cwd: root,
    stdio: ["ignore", "inherit", "inherit"],
    env: childEnv,
  });
  running.child = child;
  child.once("exit", (code) => {
    if (!stopping) {
      log(`next exited with code ${code}`);
      void shutdown(code ?? 1);
    }
  });
  log(`dashboard: http://localhost:${env.PORT}  (sign in as ${env.ADMIN_EMAIL})`);

  if (!embedded) {
    log("Inngest mode (INNGEST_* set): functions are served at /api/inngest for Inngest to call; no embedded executor");
    return;
  }
  // The executor syncs the functions from /api/inngest, so it starts once next answers there.
  try {
    running.executor = await startEmbeddedExecutor({
      databaseUrl: database.url,
      config: executorConfig,
      executorKey: executorKey!,
      log: (line) => log(`executor: ${line}`),
      serveLocally: executorConfig.serve === "local" ? { client: inngest, functions } : undefined,
    });
    if (executorConfig.processes > 1 && !stopping) {
      log(`executor: ${executorConfig.processes} processes (this one and ${executorConfig.processes - 1} workers; EXECUTOR_PROCESSES)`);
      running.workers = startWorkerProcesses(executorConfig.processes - 1, { root, env: childEnv, log });
    }
  } catch (error) {
    if (stopping) return;
    log(`the embedded executor could not start: ${error instanceof Error ? error.message : String(error)}`);
    await shutdown(1);
  }
}

main().catch((error: unknown) => {
  const explained = [EnvError, ExecutorConfigError, DeliveryConfigError, RetentionConfigError, EmbeddedPostgresError].some((kind) => error instanceof kind);
  console.error(explained && error instanceof Error ? error.message : error);
  process.exit(1);
});
