import { Executor } from "@/lib/executor/executor";
import type { ExecutorConfig } from "@/lib/executor/config";

/** An executor configured from the environment (npm start, npm run worker). */
export async function startEmbeddedExecutor(opts: {
  databaseUrl: string;
  config: ExecutorConfig;
  executorKey: string;
  log: (line: string) => void;
}): Promise<Executor> {
  const { config } = opts;
  const executor = new Executor({
    databaseUrl: opts.databaseUrl,
    serveUrl: config.serveUrl,
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
  await executor.start();
  return executor;
}
