import type pg from "pg";
import { systemClock, type Clock } from "@/inngest/executor/clock";
import type { ExecutorConfig } from "@/inngest/executor/config";
import { EXECUTOR_KEY_HEADER, matchesExecutorKey } from "@/inngest/executor/auth";
import { eventBatchSchema, ingestEvents } from "@/inngest/executor/ingest";

/**
 * The two HTTP doors of embedded mode, as plain `Request => Response` handlers (mounted by the
 * Next routes, and by tests in a plain Node server).
 */

export type WebHandler<R extends Request = Request> = (request: R) => Promise<Response>;

const problem = (status: number, error: string) => Response.json({ error, status }, { status });

/**
 * `serve()` behind the executor key in embedded mode: the SDK runs in dev mode there and checks
 * no signature, so an unauthenticated caller must never reach it. In Inngest mode the SDK
 * verifies Inngest's signature itself.
 */
export function guardServe<R extends Request>(handler: WebHandler<R>, config: Pick<ExecutorConfig, "mode" | "executorKey">): WebHandler<R> {
  if (config.mode !== "embedded") return handler;
  return async (request) => {
    if (!matchesExecutorKey(request.headers.get(EXECUTOR_KEY_HEADER), config.executorKey)) {
      return problem(401, `Embedded mode: requests to this endpoint must carry the executor key (${EXECUTOR_KEY_HEADER})`);
    }
    return handler(request);
  };
}

/** `POST <serve url>/e/<key>`: where `inngest.send()` posts events in embedded mode. */
export function createIngestHandler(opts: {
  config: Pick<ExecutorConfig, "mode" | "executorKey">;
  pool: () => pg.Pool;
  clock?: Clock;
}): (request: Request, key: string) => Promise<Response> {
  const clock = opts.clock ?? systemClock;
  return async (request, key) => {
    if (opts.config.mode !== "embedded") return problem(404, "Events go to Inngest in this deployment, not to this app");
    if (!matchesExecutorKey(key, opts.config.executorKey)) return problem(401, "Unknown event key");
    let body: unknown;
    try {
      body = await request.json();
    } catch {
      return problem(400, "The body must be a JSON event or array of events");
    }
    const parsed = eventBatchSchema.safeParse(body);
    if (!parsed.success) {
      return problem(400, `Invalid events: ${parsed.error.issues.map((i) => `${i.path.join(".") || "body"}: ${i.message}`).join("; ")}`);
    }
    const ids = await ingestEvents(opts.pool(), parsed.data, clock.now());
    return Response.json({ ids, status: 200 });
  };
}
