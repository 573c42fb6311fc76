import { Inngest } from "inngest";
import { executorConfig } from "@/inngest/executor/config";
import { clientOptions } from "@/inngest/executor/client-options";

/**
 * The one Inngest client. Mode (embedded executor or real Inngest) is decided by configuration
 * only; see docs/executor.md. App code sends events with `inngest.send()` either way.
 */
export const inngest = new Inngest({ id: "hookrelay", ...clientOptions(executorConfig()) });
