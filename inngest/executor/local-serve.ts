import http from "node:http";
import type { AddressInfo } from "node:net";
import type { Inngest, InngestFunction } from "inngest";
import { serve } from "inngest/node";
import { EXECUTOR_KEY_HEADER, matchesExecutorKey } from "@/inngest/executor/auth";

/**
 * The app's functions served by the executor's own process on loopback, behind the executor key.
 * The executor still drives them through the SDK's HTTP contract, but step bodies (deliveries)
 * run in the executor process instead of competing with the dashboard and API for the Next
 * server's one thread; more `npm run worker` processes then add CPU, not just concurrency.
 */
export interface LocalServe {
  serveUrl: string;
  close(): Promise<void>;
}

export async function startLocalServe(opts: { client: Inngest.Any; functions: InngestFunction.Any[]; executorKey: string }): Promise<LocalServe> {
  const handler = serve({ client: opts.client, functions: opts.functions });
  const server = http.createServer((req, res) => {
    const key = req.headers[EXECUTOR_KEY_HEADER];
    if (!matchesExecutorKey(typeof key === "string" ? key : undefined, opts.executorKey)) {
      res.writeHead(401, { "content-type": "application/json" }).end(JSON.stringify({ error: `requests must carry the executor key (${EXECUTOR_KEY_HEADER})` }));
      return;
    }
    void handler(req, res);
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    serveUrl: `http://127.0.0.1:${port}/api/inngest`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
