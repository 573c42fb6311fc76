import type { Inngest, InngestFunction } from "inngest";
import { Executor } from "@/inngest/executor/executor";
import type { ExecutorConfig } from "@/inngest/executor/config";
import { startLocalServe, type LocalServe } from "@/inngest/executor/local-serve";

/**
 * An executor configured from the environment (npm start, npm run worker). With `serveLocally`
 * it drives the functions served by its own process (see local-serve.ts); otherwise it calls the
 * app's /api/inngest at EXECUTOR_APP_URL.
 */
export async function startEmbeddedExecutor(opts: {
  databaseUrl: string;
  config: ExecutorConfig;
  executorKey: string;
  log: (line: string) => void;
  serveLocally?: { client: Inngest.Any; functions: InngestFunction.Any[] };
}): Promise<{ executor: Executor; stop(graceMs?: number): Promise<void> }> {
  const { config } = opts;
  let local: LocalServe | undefined;
  if (opts.serveLocally) local = await startLocalServe({ ...opts.serveLocally, executorKey: opts.executorKey });
  const executor = new Executor({
    databaseUrl: opts.databaseUrl,
    serveUrl: local?.serveUrl ?? config.serveUrl,
    executorKey: opts.executorKey,
    concurrency: config.concurrency,
    leaseMs: config.leaseMs,
    pollMs: config.pollMs,
    requestTimeoutMs: config.requestTimeoutMs,
    retryBaseMs: config.retryBaseMs,
    retryMaxMs: config.retryMaxMs,
    // `next dev` compiles /api/inngest on its first request, which can take a while.
    syncTimeoutMs: 120_000,
    log: opts.log,
  });
  try {
    await executor.start();
  } catch (error) {
    await local?.close();
    throw error;
  }
  return {
    executor,
    async stop(graceMs?: number) {
      await executor.stop(graceMs);
      await local?.close();
    },
  };
}
