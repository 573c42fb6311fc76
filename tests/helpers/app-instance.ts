/**
 * One HookRelay instance for the scale-out test (tests/integration/scale-out.test.ts), run with
 * `node --import tsx` so that SIGKILL kills it outright. It does what `npm start` does with
 * DATABASE_URL set (scripts/start.ts): migrations and the seed through the same functions, then
 * the embedded executor in this process. Instead of Next, which two instances and a restart
 * could not afford inside the test suite, a plain Node server answers the two routes the test
 * uses: the message API (`POST /api/v1/app/{app_id}/msg`, the real pipeline of
 * lib/api/v1/registry: key, rate limit, validation, idempotency) and the executor's ingest route
 * (`POST /api/inngest/e/<key>`, where this process's functions send their events, as the app's
 * route takes them).
 *
 * Prints `ready <port>` once it serves and its executor runs.
 */
import http from "node:http";
import { inngest } from "@/inngest/client";
import { parseExecutorConfig } from "@/inngest/executor/config";
import { startEmbeddedExecutor } from "@/inngest/executor/embedded";
import { createIngestHandler } from "@/inngest/executor/http-handlers";
import { functions } from "@/inngest/functions";
import { route } from "@/lib/api/v1/registry";
import { createPrismaClient } from "@/lib/db";
import { sqlPool } from "@/lib/db/pool";
import { parseEnv } from "@/lib/env";
import { seed } from "@/lib/seed";
import { prepareDatabase } from "@/scripts/lib/server/bootstrap";

const log = (line: string) => console.log(`[instance ${process.env.PORT}] ${line}`);
const INGEST_PATH = /^\/api\/inngest\/e\/([^/?]+)/;
const MESSAGES_PATH = /^\/api\/v1\/app\/[^/]+\/msg\/?(\?|$)/;

async function main() {
  const env = parseEnv();
  const config = parseExecutorConfig();
  const executorKey = config.executorKey;
  if (!env.DATABASE_URL || !executorKey) throw new Error("DATABASE_URL and EXECUTOR_KEY must be set");
  const database = await prepareDatabase(env, log);
  const prisma = createPrismaClient(database.url);
  try {
    await seed(prisma, { adminEmail: env.ADMIN_EMAIL, adminPassword: env.ADMIN_PASSWORD, appUrl: `http://127.0.0.1:${env.PORT}`, log });
  } finally {
    await prisma.$disconnect();
  }

  const messages = route("/api/v1/app/{app_id}/msg");
  const ingest = createIngestHandler({ config, pool: sqlPool });
  const server = http.createServer((req, res) => {
    void (async () => {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const headers = new Headers();
      for (const [name, value] of Object.entries(req.headers)) if (typeof value === "string") headers.set(name, value);
      const request = new Request(`http://127.0.0.1:${env.PORT}${req.url}`, { method: req.method, headers, body: req.method === "POST" ? Buffer.concat(chunks) : undefined });
      const ingestMatch = INGEST_PATH.exec(req.url ?? "");
      const response =
        req.method === "POST" && ingestMatch
          ? await ingest(request, decodeURIComponent(ingestMatch[1]!))
          : req.method === "POST" && MESSAGES_PATH.test(req.url ?? "")
            ? await messages.POST(request)
            : new Response(null, { status: 404 });
      const out: Record<string, string> = {};
      response.headers.forEach((value, name) => (out[name] = value));
      res.writeHead(response.status, out).end(Buffer.from(await response.arrayBuffer()));
    })().catch((error: unknown) => {
      log(`request failed: ${error instanceof Error ? error.message : String(error)}`);
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve) => server.listen(env.PORT, "127.0.0.1", resolve));

  const executor = await startEmbeddedExecutor({
    databaseUrl: database.url,
    config,
    executorKey,
    log,
    serveLocally: config.serve === "local" ? { client: inngest, functions } : undefined,
  });
  const stop = async () => {
    server.close();
    server.closeIdleConnections();
    await executor.stop(5_000);
    process.exit(0);
  };
  process.on("SIGTERM", () => void stop());
  process.on("SIGINT", () => void stop());
  console.log(`ready ${env.PORT}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
