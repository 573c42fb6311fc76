/**
 * API errors: a JSON body `{ code, message, details }` with a stable machine-readable `code`.
 * Nothing else (no stack trace) ever leaves the server.
 */
export type ProblemCode =
  | "unauthorized"
  | "forbidden"
  | "not_found"
  | "method_not_allowed"
  | "invalid_json"
  | "invalid_body"
  | "payload_too_large"
  | "unknown_event_type"
  | "archived_event_type"
  | "invalid_payload"
  | "webhooks_disabled"
  | "endpoint_disabled"
  | "operation_in_progress"
  | "attempt_in_flight"
  | "delivery_in_progress"
  | "already_delivered"
  | "not_attempted"
  | "aged_out"
  | "not_scheduled"
  | "not_running"
  | "internal";

const STATUS: Record<ProblemCode, number> = {
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  method_not_allowed: 405,
  invalid_json: 400,
  invalid_body: 422,
  payload_too_large: 413,
  unknown_event_type: 422,
  archived_event_type: 422,
  invalid_payload: 422,
  webhooks_disabled: 409,
  endpoint_disabled: 409,
  operation_in_progress: 409,
  attempt_in_flight: 409,
  delivery_in_progress: 409,
  already_delivered: 409,
  not_attempted: 409,
  aged_out: 410,
  not_scheduled: 503,
  not_running: 409,
  internal: 500,
};

export function problem(code: ProblemCode, message: string, details?: unknown, init: ResponseInit = {}): Response {
  return Response.json(
    { code, message, details: details ?? null },
    { ...init, status: STATUS[code], headers: { "cache-control": "no-store", ...init.headers } },
  );
}

/**
 * The handler of every method a route does not serve (exported under those names): without one,
 * Next answers 405 with an empty body, which an API client cannot tell from a proxy error.
 */
export function methodNotAllowed(allowed: readonly string[]): () => Response {
  const allow = [...allowed, "OPTIONS"].join(", ");
  return () => problem("method_not_allowed", `This endpoint accepts ${allowed.join(", ")} only.`, { allow: allowed }, { headers: { allow } });
}

/** `OPTIONS` for a route that defines its other methods itself: Next's automatic one would list them all. */
export function allowedMethods(allowed: readonly string[]): () => Response {
  const allow = [...allowed, "OPTIONS"].join(", ");
  return () => new Response(null, { status: 204, headers: { allow } });
}
