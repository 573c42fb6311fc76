/**
 * `npm start`: embedded PostgreSQL (unless DATABASE_URL is set), migrations, seed, a production
 * build when sources changed, then the dashboard (`scripts/serve.ts`) and (embedded mode, the
 * default) the embedded Inngest executors (`scripts/worker.ts`), each a process of its own run from
 * a bundle without tsx (scripts/lib/server/bundle.ts) and with the V8 flags of
 * scripts/lib/server/node-flags.ts. This process keeps only the database and the stop order:
 * Ctrl-C (or SIGTERM) stops the server, lets deliveries in flight finish, then stops the executors
 * and the database.
 *
 *   npm start            production server (builds first when needed)
 *   npm run dev          Next in dev mode, same database bootstrap
 */
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { EnvError, parseEnv } from "../lib/env";
import { DeliveryConfigError, parseDeliveryConfig } from "../lib/delivery/config";
import { parseRetentionConfig, RetentionConfigError } from "../lib/retention/config";
import { ExecutorConfigError, parseExecutorConfig } from "../inngest/executor/config";
import { dropNpmVariables, persistentSecret, prepareDatabase } from "./lib/server/bootstrap";
import { bundleScripts } from "./lib/server/bundle";
import { EmbeddedPostgresError } from "./lib/server/embedded-postgres";
import { nodeFlags } from "./lib/server/node-flags";
import { buildIfNeeded } from "./lib/build";
import { startWorkerProcesses, type WorkerProcesses } from "./lib/server/workers";
import { isServerListening } from "./lib/server/listening";
import { errorFields, loggerFor } from "../lib/observability/log";
import { MetricsConfigError, parseMetricsConfig } from "../lib/observability/metrics-config";
import { relayMetricsRequests } from "../lib/observability/metrics-ipc";

const root = path.resolve(import.meta.dirname, "..");
const dev = process.argv.includes("--dev");
// This process's own lines follow the format its children use (pretty with --dev unless NODE_ENV says otherwise).
if (dev && !process.env.NODE_ENV) Object.assign(process.env, { NODE_ENV: "development" });
const logger = loggerFor("[hookrelay]");
const log = (line: string) => logger.info(line);

async function main() {
  dropNpmVariables();
  const env = parseEnv();
  const executorConfig = parseExecutorConfig();
  // The executors read them; a typo should stop the start, not an executor (or the purge's first tick).
  parseDeliveryConfig();
  parseRetentionConfig();
  parseMetricsConfig();
  const database = await prepareDatabase(env, log);
  const running: { child?: ChildProcess; workers?: WorkerProcesses } = {};
  let stopping = false;

  /**
   * The order matters: the server stops taking requests (finishing those it holds), deliveries in
   * flight get up to one attempt timeout to answer and be recorded, then the executors hand back
   * what is left (scripts/worker.ts), and PostgreSQL, which all of them write to, stops last.
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
    await Promise.all([running.workers?.stop(), serverStopped]);
    await database.cluster?.stop();
    log("stopped");
    process.exit(code);
  };
  process.on("SIGINT", () => void shutdown(0));
  process.on("SIGTERM", () => void shutdown(0));

  const authSecret = persistentSecret(env, "auth", env.AUTH_SECRET);
  const encryptionKey = persistentSecret(env, "encryption", process.env.APP_ENCRYPTION_KEY);
  // The seed encrypts the demo endpoint's signing secret with it.
  process.env.APP_ENCRYPTION_KEY = encryptionKey;
  const executorKey = executorConfig.mode === "embedded" ? persistentSecret(env, "executor", executorConfig.executorKey) : undefined;
  if (env.SEED_DEMO) {
    // Loaded only to seed: the rest of this process never queries through Prisma.
    const [{ createPrismaClient }, { seed }] = await Promise.all([import("../lib/db"), import("../lib/seed")]);
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
  const embedded = executorConfig.mode === "embedded";
  const scripts = await bundleScripts(root, embedded ? ["serve", "worker"] : ["serve"]);

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
  const child = spawn(process.execPath, [...nodeFlags(childEnv), scripts.serve, ...(dev ? ["--dev"] : [])], {
    cwd: root,
    // The channel carries the server's /metrics requests to the executor processes.
    stdio: ["ignore", "inherit", "inherit", "ipc"],
    env: childEnv,
  });
  running.child = child;
  relayMetricsRequests(child, () => running.workers?.running() ?? []);
  child.once("exit", (code) => {
    if (!stopping) {
      log(`next exited with code ${code}`);
      void shutdown(code ?? 1);
    }
  });
  // Once the server answers: printed before, it came ahead of the lines of a server still starting.
  child.on("message", (message) => {
    if (isServerListening(message)) log(`dashboard: http://localhost:${env.PORT}  (sign in as ${env.ADMIN_EMAIL})`);
  });

  if (!embedded) {
    log("Inngest mode (INNGEST_* set): functions are served at /api/inngest for Inngest to call; no embedded executor");
    return;
  }
  if (executorConfig.processes > 1) log(`executor: ${executorConfig.processes} processes (EXECUTOR_PROCESSES)`);
  running.workers = startWorkerProcesses(executorConfig.processes, {
    root,
    script: scripts.worker,
    env: childEnv,
    log,
    onFailedStart: (code) => {
      log(`the embedded executor could not start (exit code ${code}; see above)`);
      void shutdown(1);
    },
  });
}

main().catch((error: unknown) => {
  const explained = [EnvError, ExecutorConfigError, DeliveryConfigError, RetentionConfigError, EmbeddedPostgresError, MetricsConfigError].some((kind) => error instanceof kind);
  if (explained && error instanceof Error) logger.error(error.message);
  else logger.error(errorFields(error), "the start failed");
  process.exit(1);
});
