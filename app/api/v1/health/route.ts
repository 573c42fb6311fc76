import { allowedMethods, methodNotAllowed } from "@/lib/api/problem";

export const dynamic = "force-dynamic";

/**
 * Svix's `GET /api/v1/health`: 204 while the API answers, with no database work (the dashboard's
 * `/api/health` also checks the database). Also the benchmark's "trivial route" for ingestion.
 */
export function GET() {
  return new Response(null, { status: 204 });
}

const notAllowed = methodNotAllowed(["GET", "HEAD"]);
export const POST = notAllowed;
export const PUT = notAllowed;
export const PATCH = notAllowed;
export const DELETE = notAllowed;
export const OPTIONS = allowedMethods(["GET", "HEAD"]);
