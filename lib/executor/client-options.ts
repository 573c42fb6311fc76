import type { ClientOptions } from "inngest";
import type { ExecutorConfig } from "@/lib/executor/config";

/**
 * Inngest client options for the configured mode. Embedded: dev mode (the executor, not Inngest,
 * calls serve(); the executor key guards it), events posted to the app's own ingest route with
 * the executor key as event key. Inngest mode: the SDK reads INNGEST_* itself.
 */
export function clientOptions(config: ExecutorConfig): Pick<ClientOptions, "isDev" | "baseUrl" | "eventKey"> {
  if (config.mode !== "embedded") return {};
  return { isDev: true, baseUrl: config.ingestBaseUrl, eventKey: config.executorKey };
}
