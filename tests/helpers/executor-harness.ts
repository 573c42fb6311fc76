import { spawn, type ChildProcess } from "node:child_process";
import http from "node:http";
import path from "node:path";
import { Inngest, type InngestFunction } from "inngest";
import { NextRequest } from "next/server";
import pg from "pg";
import { createServeHandlers } from "@/inngest/serve";
import { createIngestHandler } from "@/inngest/executor/http-handlers";
import type { Clock } from "@/inngest/executor/clock";
import { freePort, withDatabase } from "@/scripts/lib/test-database";
import { migrate } from "@/lib/db/migrate";
import { createDatabaseIfMissing, dropDatabase } from "@/scripts/lib/server/embedded-postgres";

/**
 * Real parts for executor tests: a fresh migrated database per test file (executors dispatch every
 * stored event, so files must not share one), and the real `serve()` handler plus the ingest
 * route mounted in a plain Node HTTP server on 127.0.0.1.
 */

export const TEST_EXECUTOR_KEY = "test-executor-key-0123456789abcdef0123456789";

export interface ExecutorDatabase {
  url: string;
  pool: pg.Pool;
  cleanup(): Promise<void>;
}

export async function createExecutorDatabase(adminUrl: string, prefix: string): Promise<ExecutorDatabase> {
  const name = `${prefix}_${Date.now().toString(36)}_${process.pid}`;
  await createDatabaseIfMissing(adminUrl, name);
  const url = withDatabase(adminUrl, name);
  await migrate(url);
  const pool = new pg.Pool({ connectionString: url, max: 5 });
  return {
    url,
    pool,
    async cleanup() {
      await pool.end();
      await dropDatabase(adminUrl, name).catch(() => {});
    },
  };
}

export interface TestApp {
  port: number;
  serveUrl: string;
  client: Inngest.Any;
  close(): Promise<void>;
}

/** Reserves a port and creates the app's Inngest client pointed at it (functions need the client first). */
export async function createTestClient(appId: string): Promise<{ port: number; client: Inngest.Any }> {
  const port = await freePort();
  const client = new Inngest({ id: appId, isDev: true, baseUrl: `http://127.0.0.1:${port}/api/inngest/`, eventKey: TEST_EXECUTOR_KEY });
  return { port, client };
}

async function toNextRequest(req: http.IncomingMessage, port: number): Promise<NextRequest> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const headers = new Headers();
  for (const [k, v] of Object.entries(req.headers)) if (typeof v === "string") headers.set(k, v);
  const body = chunks.length > 0 && req.method !== "GET" ? Buffer.concat(chunks) : undefined;
  return new NextRequest(`http://127.0.0.1:${port}${req.url}`, { method: req.method, headers, body });
}

async function send(res: http.ServerResponse, response: Response): Promise<void> {
  const headers: Record<string, string> = {};
  response.headers.forEach((v, k) => (headers[k] = v));
  res.writeHead(response.status, headers);
  res.end(Buffer.from(await response.arrayBuffer()));
}

/** Serves `functions` at /api/inngest (embedded-mode guard) and the ingest route, on 127.0.0.1:port. */
export async function startTestApp(opts: {
  port: number;
  client: Inngest.Any;
  functions: InngestFunction.Any[];
  pool: pg.Pool;
  clock?: Clock;
  mode?: "embedded" | "inngest";
}): Promise<TestApp> {
  const config = { mode: opts.mode ?? "embedded", executorKey: TEST_EXECUTOR_KEY } as const;
  const serve = createServeHandlers(opts.client, opts.functions, config);
  const ingest = createIngestHandler({ config, pool: () => opts.pool, clock: opts.clock });
  const server = http.createServer((req, res) => {
    void (async () => {
      try {
        const request = await toNextRequest(req, opts.port);
        const pathname = request.nextUrl.pathname;
        const ingestMatch = /^\/api\/inngest\/e\/([^/]+)$/.exec(pathname);
        if (ingestMatch && req.method === "POST") return await send(res, await ingest(request, decodeURIComponent(ingestMatch[1])));
        if (pathname === "/api/inngest") {
          const handler = req.method === "PUT" ? serve.PUT : req.method === "POST" ? serve.POST : serve.GET;
          return await send(res, await handler(request));
        }
        res.writeHead(404).end();
      } catch (error) {
        res.writeHead(500).end(String(error));
      }
    })();
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve) => server.listen(opts.port, "127.0.0.1", resolve));
  return {
    port: opts.port,
    serveUrl: `http://127.0.0.1:${opts.port}/api/inngest`,
    client: opts.client,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Polls `check` until it returns a value (not undefined/false), bounded by `timeoutMs`. */
export async function waitFor<T>(what: string, check: () => Promise<T | undefined | false>, timeoutMs = 10_000, everyMs = 20): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

export interface RunRow {
  id: string;
  function_id: string;
  status: string;
  attempt: number;
  wake_at: Date | null;
  output: unknown;
  error: unknown;
  event_id: string;
}

export async function runsOf(pool: pg.Pool, functionId: string): Promise<RunRow[]> {
  const { rows } = await pool.query<RunRow>(
    `SELECT id, function_id, status, attempt, wake_at, output, error, event_id FROM executor_runs WHERE function_id = $1 ORDER BY created_at, id`,
    [functionId],
  );
  return rows;
}

export async function stepsOf(pool: pg.Pool, runId: string): Promise<{ name: string | null; op: string; data: unknown; error: unknown }[]> {
  const { rows } = await pool.query(`SELECT name, op, data, error FROM executor_steps WHERE run_id = $1 ORDER BY seq`, [runId]);
  return rows;
}

/**
 * `npm run worker` as a child process, with the given extra environment. Node loads tsx itself
 * (`--import tsx`) so that the child is the worker: SIGKILL then really kills the executor.
 * `nodeArgs` go to node itself (e.g. `--cpu-prof`, which NODE_OPTIONS refuses).
 */
export function spawnWorker(
  env: Record<string, string>,
  nodeArgs: string[] = [],
): { child: ChildProcess; ready: Promise<void>; output: () => string } {
  const root = path.resolve(import.meta.dirname, "../..");
  let output = "";
  const child = spawn(process.execPath, [...nodeArgs, "--import", "tsx", path.join(root, "scripts/worker.ts")], {
    cwd: root,
    // These workers drive the test app's functions, served at EXECUTOR_APP_URL.
    env: { NODE_ENV: "test", PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", EXECUTOR_SERVE: "app", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const ready = new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes("started:")) resolve();
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", (c: Buffer) => (output += c.toString()));
    child.once("exit", (code) => reject(new Error(`worker exited with code ${code} before it started:\n${output}`)));
  });
  return { child, ready, output: () => output };
}
