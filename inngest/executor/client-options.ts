import type { ClientOptions } from "inngest";
import type { ExecutorConfig } from "@/inngest/executor/config";
import { inProcessIngestFetch } from "@/inngest/executor/in-process-ingest";

/**
 * Inngest client options for the configured mode. Embedded: dev mode (the executor, not Inngest,
 * calls serve(); the executor key guards it), events posted to the app's own ingest route with
 * the executor key as event key. Inngest mode: the SDK reads INNGEST_* itself.
 */
export function clientOptions(config: ExecutorConfig): Pick<ClientOptions, "isDev" | "baseUrl" | "eventKey" | "fetch"> {
  if (config.mode !== "embedded") return {};
  const options = { isDev: true, baseUrl: config.ingestBaseUrl, eventKey: config.executorKey };
  // In the app's server process (npm start sets it), events are ingested without a loopback HTTP trip.
  return config.ingestInProcess ? { ...options, fetch: inProcessIngestFetch(config) } : options;
}
