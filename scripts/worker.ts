/**
 * An embedded-executor process: `npm start` runs its executors as these (scripts/lib/server/workers.ts),
 * and `npm run worker` starts one more next to `npm start` (same database, same app URL). Any
 * number may run; runs are leased, never driven twice at once. Ctrl-C lets the deliveries in
 * flight finish, then hands what is left back to the other workers.
 *
 * Metrics (METRICS_TOKEN): started by `npm start`, it answers the server's requests over IPC, so
 * the app's `/metrics` includes it; started on its own, it serves `/metrics` on METRICS_PORT when
 * that is set (docs/operations.md).
 */
import http from "node:http";
import { EnvError, parseEnv } from "../lib/env";
import { DeliveryConfigError, parseDeliveryConfig } from "../lib/delivery/config";
import { parseRetentionConfig, RetentionConfigError } from "../lib/retention/config";
import { ExecutorConfigError, parseExecutorConfig } from "../inngest/executor/config";
import { inngest } from "../inngest/client";
import { functions } from "../inngest/functions";
import { startEmbeddedExecutor } from "../inngest/executor/embedded";
import { dropNpmVariables, EMBEDDED_DATABASE, persistentSecret } from "./lib/server/bootstrap";
import { urlFor } from "./lib/server/embedded-postgres";
import { exitWithParent } from "./lib/exit-with-parent";
import { WORKER_STARTED } from "./lib/server/workers";
import { startTracing, TracingConfigError } from "../lib/observability/tracing-sdk";
import { errorFields, loggerFor } from "../lib/observability/log";
import { processMetrics, startProcessMetrics } from "../lib/observability/metrics";
import { MetricsConfigError, parseMetricsConfig } from "../lib/observability/metrics-config";
import { metricsEndpoint } from "../lib/observability/metrics-endpoint";
import { answerMetricsRequests } from "../lib/observability/metrics-ipc";

const prefix = process.env.WORKER_LOG_PREFIX ?? `[${process.env.WORKER_NAME ?? "worker"}]`;
const logger = loggerFor(prefix);
const log = (line: string) => logger.info(line);

/**
 * Over IPC when `npm start` started this process (it sets HOOKRELAY_PROCESS and holds the IPC
 * channel); on METRICS_PORT (loopback and beyond, with the token) otherwise: a worker that another
 * parent (pm2, a cluster) forked with an IPC channel still serves its port. Resolves once
 * listening; a port that cannot be bound stops the start with the reason.
 */
async function startMetrics(): Promise<http.Server | null> {
  const { token, port } = parseMetricsConfig();
  if (!token) return null;
  const spawnedByStart = process.env.HOOKRELAY_PROCESS;
  startProcessMetrics(spawnedByStart ?? "worker");
  if (spawnedByStart && process.send) {
    answerMetricsRequests();
    return null;
  }
  if (!port) return null;
  const handle = metricsEndpoint({
    token,
    gather: async () => [await processMetrics()],
    onError: (error) => logger.error(errorFields(error), "metrics: the scrape failed"),
  });
  const server = http.createServer((req, res) => {
    if (!handle(req, res)) res.writeHead(404).end();
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", (error: NodeJS.ErrnoException) => {
      const why = error.code === "EADDRINUSE" ? "is in use by another process" : error.code === "EACCES" ? "may not be bound by this user" : `cannot be bound (${error.message})`;
      reject(new MetricsConfigError(`METRICS_PORT ${port} ${why}: choose another port, or unset METRICS_PORT to serve no /metrics from this worker.`));
    });
    server.listen(port, () => resolve());
  });
  // After the start, a server error (rare: the socket failing) is logged; deliveries go on.
  server.on("error", (error) => logger.error(errorFields(error), "metrics: the server failed"));
  log(`metrics on port ${port}`);
  return server;
}

async function main() {
  dropNpmVariables();
  const env = parseEnv();
  const config = parseExecutorConfig();
  const { attemptTimeoutMs } = parseDeliveryConfig();
  parseRetentionConfig();
  if (config.mode !== "embedded") {
    throw new ExecutorConfigError("INNGEST_* variables are set, so Inngest drives the functions: there is nothing for an embedded worker to do.");
  }
  // Before the functions run: their deliveries continue the traces of the calls that created them.
  const stopTracing = await startTracing("hookrelay-executor");
  const metricsServer = await startMetrics();
  const databaseUrl = env.DATABASE_URL ?? urlFor(env.EMBEDDED_PG_PORT, EMBEDDED_DATABASE);
  // Functions served by this process (deliveries) read the same database and signing secrets as the app.
  process.env.DATABASE_URL = databaseUrl;
  process.env.APP_ENCRYPTION_KEY = persistentSecret(env, "encryption", process.env.APP_ENCRYPTION_KEY);
  const executorKey = persistentSecret(env, "executor", config.executorKey);
  // This process's functions send events too (step.sendEvent): the client reads the key from here.
  process.env.EXECUTOR_KEY = executorKey;
  const starting = startEmbeddedExecutor({
    databaseUrl,
    config,
    executorKey,
    log,
    serveLocally: config.serve === "local" ? { client: inngest, functions } : undefined,
  });
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    log("stopping ...");
    // A signal during start waits for the executor to be up, then stops it like any other.
    const executor = await starting.catch(() => null);
    // Deliveries in flight get one attempt timeout (and time to record it) before being handed back.
    await executor?.stop(attemptTimeoutMs + 5_000);
    await stopTracing().catch(() => {});
    metricsServer?.close();
    process.exit(0);
  };
  // Before the executor logs "started": a supervisor that stops it right after that line finds the handlers in place.
  process.on("SIGINT", () => void stop());
  process.on("SIGTERM", () => void stop());
  await starting;
  if (process.send) {
    process.send(WORKER_STARTED);
    // Started by `npm start`: its executor does not outlive it, however it ended (even SIGKILL).
    process.once("disconnect", () => void stop());
  } else {
    // Started some other way (`npm run worker`): it stops when whatever started it is gone.
    exitWithParent(() => void stop());
  }
}

main().catch((error: unknown) => {
  const explained = [EnvError, ExecutorConfigError, DeliveryConfigError, RetentionConfigError, TracingConfigError, MetricsConfigError].some((kind) => error instanceof kind);
  if (explained && error instanceof Error) logger.error(error.message);
  else logger.error(errorFields(error), "the executor could not start");
  process.exit(1);
});
