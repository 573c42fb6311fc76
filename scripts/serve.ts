/**
 * The app's HTTP server, started by `scripts/start.ts`: Next's own request handler (the one
 * `next start` and `next dev` use) behind a server that first records the TCP peer in the
 * forwarding headers. Next keeps a client's `X-Forwarded-For` as sent, so without this step the
 * app could not tell the client's address from one the client made up (see lib/http/forwarded.ts).
 *
 * In production, the busiest API call (message.create) is answered before Next by a plain Node
 * handler running the same pipeline as its route (lib/api/v1/node.ts): Next's routing and request
 * wrapping cost more CPU per call than the pipeline itself. `API_PLAIN_PATH=off` hands it to Next
 * too; `next dev` always does, so that edits reach it. On stop, the server logs how many calls the
 * plain path answered.
 *
 * On Inngest (INNGEST_* set), it also runs the outbox relay that hands the events the domain
 * published to Inngest (lib/outbox/relay.ts); with the embedded executor there is nothing to relay.
 * In either mode it runs the stalled-work watchdog (inngest/executor/watchdog.ts; one server at a
 * time does a pass).
 *
 * `GET /metrics` (METRICS_TOKEN) is answered here too, before Next: this process's metrics, those
 * of `npm start`'s executor processes (asked over IPC through the parent) and the database's
 * gauges (docs/operations.md).
 *
 *   tsx scripts/serve.ts [--dev]     listens on PORT
 */
import http from "node:http";
import path from "node:path";
import { pathToFileURL } from "node:url";
import next from "next";
import { z } from "zod";
import { ExecutorConfigError, parseExecutorConfig } from "../inngest/executor/config";
import { startWatchdogFromEnv, WatchdogConfigError, type Watchdog } from "../inngest/executor/watchdog";
import { sqlPool } from "../lib/db/pool";
import { parseRetentionConfig } from "../lib/retention/config";
import { startTracing, TracingConfigError } from "../lib/observability/tracing-sdk";
import { EnvError, parseEnv } from "../lib/env";
import { recordPeer } from "../lib/http/forwarded";
import { startInngestRelay, type OutboxRelay } from "../lib/outbox/relay";
import { errorFields, loggerFor, withRequest } from "../lib/observability/log";
import { processMetrics, startProcessMetrics } from "../lib/observability/metrics";
import { MetricsConfigError, parseMetricsConfig } from "../lib/observability/metrics-config";
import { closeDatabaseGauges, databaseGauges } from "../lib/observability/metrics-db";
import { metricsEndpoint } from "../lib/observability/metrics-endpoint";
import { peerMetrics } from "../lib/observability/metrics-ipc";
import { exitWithParent } from "./lib/exit-with-parent";
import { SERVER_LISTENING } from "./lib/server/listening";

const root = path.resolve(import.meta.dirname, "..");
/** How long requests in flight may take to finish once a stop is asked for. */
const STOP_GRACE_MS = 10_000;
/** The calls the plain path answers: the ones clients make most, whose pipeline is most of their cost. */
const PLAIN_OPERATIONS = ["v1.message.create"];
const log = loggerFor("[hookrelay]");

/** What next.config says of every answer: its `headers()` rules, and whether Next compresses (`compress`, on unless false). */
async function nextConfigAnswers(): Promise<{ headers: unknown; compress: boolean }> {
  const loaded: unknown = await import(pathToFileURL(path.join(root, "next.config.mjs")).href);
  const config = z
    .object({ default: z.object({ headers: z.custom<() => Promise<unknown>>((v) => typeof v === "function").optional(), compress: z.boolean().optional() }) })
    .parse(loaded).default;
  return { headers: (await config.headers?.()) ?? [], compress: config.compress !== false };
}

/** The plain API path's handler, or null when Next answers everything. */
async function plainPath(dev: boolean, port: number) {
  const setting = z.enum(["on", "off"], { error: "API_PLAIN_PATH must be on or off" }).default("on").parse(process.env.API_PLAIN_PATH || undefined);
  if (dev || setting === "off") return null;
  // Loaded only here: `next dev` never needs a second copy of the API's modules.
  const [{ plainApiHandler }, { operations }, { configHeaders }] = await Promise.all([import("../lib/api/v1/node"), import("../lib/api/v1/registry"), import("../lib/http/config-headers")]);
  const served = PLAIN_OPERATIONS.map((id) => operations.find((op) => op.operationId === id) ?? null);
  if (served.includes(null)) throw new Error(`the plain API path names an operation the registry does not have: ${PLAIN_OPERATIONS.join(", ")}`);
  const answers = await nextConfigAnswers();
  let count = 0;
  const handler = plainApiHandler(
    served.filter((op) => op !== null),
    { port, headers: configHeaders(answers.headers), compress: answers.compress },
  );
  return {
    handle: (req: http.IncomingMessage, res: http.ServerResponse) => {
      if (!handler(req, res)) return false;
      count++;
      return true;
    },
    answered: () => count,
  };
}

/** `GET /metrics`: 404 unless METRICS_TOKEN is set. */
function metricsHandler() {
  const { token } = parseMetricsConfig();
  if (token) startProcessMetrics("server");
  return metricsEndpoint({
    token,
    gather: async () => {
      const [own, peers, database] = await Promise.all([
        processMetrics(),
        peerMetrics(),
        databaseGauges(new Date(), (error) => log.warn(errorFields(error), "metrics: the database gauges could not be read")),
      ]);
      return [own, ...peers, database];
    },
    onError: (error) => log.error(errorFields(error), "metrics: the scrape failed"),
  });
}

async function main() {
  const env = parseEnv();
  const executor = parseExecutorConfig();
  const metrics = metricsHandler();
  const dev = process.argv.includes("--dev");
  // Before Next loads the routes: the API's spans need the SDK registered (lib/observability/tracing.ts).
  const stopTracing = await startTracing("hookrelay");
  const app = next({ dev, dir: root, port: env.PORT });
  await app.prepare();
  const handle = app.getRequestHandler();
  const plain = await plainPath(dev, env.PORT);
  // Every line logged while a request is handled (a page, a server action, an API call) carries its id.
  const server = http.createServer((req, res) =>
    withRequest(req.headers["x-request-id"]?.toString(), () => {
      recordPeer(req, env.TRUST_PROXY);
      if (metrics(req, res)) return;
      if (plain?.handle(req, res)) return;
      void handle(req, res);
    }),
  );
  let relay: OutboxRelay | undefined;
  if (executor.mode === "inngest") {
    if (!env.DATABASE_URL) throw new EnvError("DATABASE_URL is not set: start the app with `npm start`, which provides it");
    relay = await startInngestRelay(env.DATABASE_URL);
  }
  const watchdog: Watchdog | undefined = env.DATABASE_URL
    ? startWatchdogFromEnv(sqlPool(), executor, parseRetentionConfig().executorMs, (line) => loggerFor("[watchdog]").info(line))
    : undefined;
  // Stop taking connections, let requests in flight finish (a few seconds at most), then exit.
  const stop = () => {
    if (plain) log.info(`the plain API path answered ${plain.answered()} calls`);
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    const grace = new Promise<void>((resolve) => setTimeout(resolve, STOP_GRACE_MS).unref());
    void Promise.race([closed, grace])
      .then(() => {
        server.closeAllConnections();
        return Promise.all([app.close(), relay?.stop(), watchdog?.stop(), closeDatabaseGauges()]).then(() => stopTracing());
      })
      .finally(() => process.exit(0));
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
  exitWithParent(stop);
  server.listen(env.PORT, () => {
    log.info(`listening on port ${env.PORT}${dev ? " (dev)" : ""}`);
    if (process.send && process.connected) process.send(SERVER_LISTENING);
  });
}

main().catch((error: unknown) => {
  if (error instanceof EnvError || error instanceof ExecutorConfigError || error instanceof MetricsConfigError || error instanceof WatchdogConfigError || error instanceof TracingConfigError) log.error(error.message);
  else log.error(errorFields(error), "the server could not start");
  process.exit(1);
});
