import type { Inngest, InngestFunction } from "inngest";
import { serve } from "inngest/next";
import type { NextRequest } from "next/server";
import type { ExecutorConfig } from "@/inngest/executor/config";
import { guardServe, type WebHandler } from "@/inngest/executor/http-handlers";

/** The serve() handlers of /api/inngest, guarded by the executor key in embedded mode. */
export function createServeHandlers(
  client: Inngest.Any,
  functions: InngestFunction.Any[],
  config: Pick<ExecutorConfig, "mode" | "executorKey">,
): { GET: WebHandler<NextRequest>; POST: WebHandler<NextRequest>; PUT: WebHandler<NextRequest> } {
  const handler = serve({ client, functions });
  return {
    GET: guardServe((req) => handler.GET(req, undefined), config),
    POST: guardServe((req) => handler.POST(req, undefined), config),
    PUT: guardServe((req) => handler.PUT(req, undefined), config),
  };
}
