/**
 * The app's HTTP server, started by `scripts/start.ts`: Next's own request handler (the one
 * `next start` and `next dev` use) behind a server that first records the TCP peer in the
 * forwarding headers. Next keeps a client's `X-Forwarded-For` as sent, so without this step the
 * app could not tell the client's address from one the client made up (see lib/http/forwarded.ts).
 * On Inngest (INNGEST_* set), it also runs the outbox relay that hands the events the domain
 * published to Inngest (lib/outbox/relay.ts); with the embedded executor there is nothing to relay.
 *
 *   tsx scripts/serve.ts [--dev]     listens on PORT
 */
import http from "node:http";
import path from "node:path";
import next from "next";
import { ExecutorConfigError, parseExecutorConfig } from "../inngest/executor/config";
import { EnvError, parseEnv } from "../lib/env";
import { recordPeer } from "../lib/http/forwarded";
import { startInngestRelay, type OutboxRelay } from "../lib/outbox/relay";
import { exitWithParent } from "./lib/exit-with-parent";

const root = path.resolve(import.meta.dirname, "..");
/** How long requests in flight may take to finish once a stop is asked for. */
const STOP_GRACE_MS = 10_000;

async function main() {
  const env = parseEnv();
  const executor = parseExecutorConfig();
  const dev = process.argv.includes("--dev");
  const app = next({ dev, dir: root, port: env.PORT });
  await app.prepare();
  const handle = app.getRequestHandler();
  const server = http.createServer((req, res) => {
    recordPeer(req, env.TRUST_PROXY);
    void handle(req, res);
  });
  let relay: OutboxRelay | undefined;
  if (executor.mode === "inngest") {
    if (!env.DATABASE_URL) throw new EnvError("DATABASE_URL is not set: start the app with `npm start`, which provides it");
    relay = await startInngestRelay(env.DATABASE_URL);
  }
  // Stop taking connections, let requests in flight finish (a few seconds at most), then exit.
  const stop = () => {
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    const grace = new Promise<void>((resolve) => setTimeout(resolve, STOP_GRACE_MS).unref());
    void Promise.race([closed, grace])
      .then(() => {
        server.closeAllConnections();
        return Promise.all([app.close(), relay?.stop()]);
      })
      .finally(() => process.exit(0));
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
  exitWithParent(stop);
  server.listen(env.PORT, () => console.log(`[hookrelay] listening on port ${env.PORT}${dev ? " (dev)" : ""}`));
}

main().catch((error: unknown) => {
  console.error(error instanceof EnvError || error instanceof ExecutorConfigError ? error.message : error);
  process.exit(1);
});
