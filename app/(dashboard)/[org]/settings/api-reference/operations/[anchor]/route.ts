import { problem } from "@/lib/api/problem";
import { operationDetails } from "@/lib/api/v1/reference";
import { servedOperation } from "@/lib/api/v1/served-reference";
import { AuthorizationError, requireMember } from "@/lib/auth/session";
import { operationAnchorSchema } from "@/lib/validations/api-reference";
import { errorFields, loggerFor } from "@/lib/observability/log";

/**
 * One operation's tables (parameters, request body, responses), fetched when the reference page
 * opens it, so the page itself carries only the index and the operations' headers. Any member may read it.
 */
export async function GET(_request: Request, { params }: { params: Promise<{ org: string; anchor: string }> }) {
  try {
    const { org, anchor } = await params;
    await requireMember(org, "VIEWER");
    const parsed = operationAnchorSchema.safeParse(anchor);
    const operation = parsed.success ? servedOperation(parsed.data) : undefined;
    if (!operation) return problem("not_found", "No operation has this anchor.");
    return Response.json(operationDetails(operation), { headers: { "cache-control": "private, no-cache" } });
  } catch (error) {
    if (error instanceof AuthorizationError) {
      return problem(error.code === "unauthenticated" ? "unauthorized" : error.code === "forbidden" ? "forbidden" : "not_found", error.message);
    }
    loggerFor("[api-reference]").error(errorFields(error), "GET api-reference/operations failed");
    return problem("internal", "The operation could not be read because of a server error.");
  }
}
