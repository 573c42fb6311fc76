import { Inngest } from "inngest";
import { executorConfig } from "@/inngest/executor/config";
import { clientOptions } from "@/inngest/executor/client-options";

/**
 * The one Inngest client. Mode (embedded executor or real Inngest) is decided by configuration
 * only; see docs/executor.md. App code sends events with `inngest.send()` either way.
 */
// Object.assign, not a spread: the options object keeps its `eventKey` getter (client-options.ts),
// which the SDK reads on every send.
export const inngest = new Inngest(Object.assign(clientOptions(executorConfig()), { id: "hookrelay" as const }));
