import { problem } from "@/lib/api/problem";
import { AuthorizationError } from "@/lib/auth/session";
import type { Overview } from "@/lib/overview/wire";
import { errorFields, loggerFor } from "@/lib/observability/log";

/**
 * The live routes' answer: the figures, never cached, or a JSON problem. A caller who may not see
 * them gets 404, as the page itself answers (a platform page does not tell others it exists).
 */
export async function overviewResponse(read: () => Promise<Overview>, route: string): Promise<Response> {
  try {
    return Response.json(await read(), { headers: { "cache-control": "no-store" } });
  } catch (error) {
    if (error instanceof AuthorizationError) {
      return error.code === "unauthenticated" ? problem("unauthorized", error.message) : problem("not_found", "Not found.");
    }
    loggerFor("[overview]").error(errorFields(error), `${route} failed`);
    return problem("internal", "The overview could not be read because of a server error.");
  }
}
