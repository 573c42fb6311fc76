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
  return {
    isDev: true,
    baseUrl: config.ingestBaseUrl,
    // Read when an event is sent, not when the client is built: `npm start` and `npm run worker`
    // import the client before they have read or generated the key (then set EXECUTOR_KEY), and
    // their functions send events (step.sendEvent) with it. The SDK keeps this object and reads
    // `eventKey` from it on every send.
    get eventKey() {
      return config.executorKey ?? process.env.EXECUTOR_KEY;
    },
    // In the app's server process (npm start sets it), events are ingested without a loopback HTTP trip.
    ...(config.ingestInProcess ? { fetch: inProcessIngestFetch(config) } : {}),
  };
}
