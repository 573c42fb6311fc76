import type { ExecutorConfig } from "@/inngest/executor/config";
import { createIngestHandler } from "@/inngest/executor/http-handlers";
import { sqlPool } from "@/lib/db/pool";

/**
 * A `fetch` for the Inngest client in the app's own server process: requests to the embedded
 * ingest route (`<ingest base>e/<key>`) are answered by the same handler the route uses, without
 * a second trip through HTTP; anything else goes to the real fetch. `inngest.send()` still builds,
 * validates and parses exactly what it would over the network.
 */
export function inProcessIngestFetch(config: Pick<ExecutorConfig, "mode" | "executorKey" | "ingestBaseUrl">): typeof fetch {
  const ingest = createIngestHandler({ config, pool: sqlPool });
  const prefix = `${config.ingestBaseUrl}e/`;
  return async (input, init) => {
    const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
    if (!url.startsWith(prefix)) return fetch(input, init);
    return ingest(new Request(url, init), decodeURIComponent(url.slice(prefix.length).split(/[/?#]/)[0]!));
  };
}
