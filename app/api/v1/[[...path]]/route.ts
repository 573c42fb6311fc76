import { problem } from "@/lib/api/problem";

export const dynamic = "force-dynamic";

/** Any `/api/v1` path no route serves: the API's problem shape rather than Next's HTML 404 page. */
function notFound(request: Request): Response {
  return problem("not_found", `No API endpoint at ${new URL(request.url).pathname}.`);
}

export const GET = notFound;
export const POST = notFound;
export const PUT = notFound;
export const PATCH = notFound;
export const DELETE = notFound;
export const OPTIONS = notFound;
