import { inngest } from "@/inngest/client";
import { functions } from "@/inngest/functions";
import { createServeHandlers } from "@/inngest/serve";
import { executorConfig } from "@/inngest/executor/config";

export const { GET, POST, PUT } = createServeHandlers(inngest, functions, executorConfig());
