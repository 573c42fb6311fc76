/**
 * API errors, in Svix's shape so its SDKs surface them as `ApiException` with a readable body:
 * `{ code, detail }` with a stable machine-readable `code` and a human `detail`; a 422 carries
 * `detail` as a list of `{ loc, msg, type }` (Svix's `HTTPValidationError`), one per invalid field.
 * Nothing else (no stack trace) ever leaves the server.
 */
export type ProblemCode =
  | "unauthorized"
  | "forbidden"
  | "organization_disabled"
  | "not_found"
  | "method_not_allowed"
  | "invalid_json"
  | "invalid_body"
  | "invalid_query"
  | "payload_too_large"
  | "unknown_event_type"
  | "unknown_event_types"
  | "archived_event_type"
  | "invalid_payload"
  | "conflict"
  | "idempotency_key_reused"
  | "idempotency_key_in_use"
  | "rate_limited"
  | "webhooks_disabled"
  | "endpoint_disabled"
  | "operation_in_progress"
  | "attempt_in_flight"
  | "delivery_in_progress"
  | "already_delivered"
  | "scheduled"
  | "not_attempted"
  | "aged_out"
  | "missing_payload"
  | "not_running"
  | "internal";

export const PROBLEM_STATUS: Record<ProblemCode, number> = {
  unauthorized: 401,
  forbidden: 403,
  organization_disabled: 403,
  not_found: 404,
  method_not_allowed: 405,
  invalid_json: 400,
  invalid_body: 422,
  invalid_query: 422,
  payload_too_large: 413,
  unknown_event_type: 422,
  unknown_event_types: 422,
  archived_event_type: 422,
  invalid_payload: 422,
  conflict: 409,
  idempotency_key_reused: 422,
  idempotency_key_in_use: 409,
  rate_limited: 429,
  webhooks_disabled: 409,
  endpoint_disabled: 409,
  operation_in_progress: 409,
  attempt_in_flight: 409,
  delivery_in_progress: 409,
  already_delivered: 409,
  scheduled: 409,
  not_attempted: 409,
  aged_out: 410,
  missing_payload: 400,
  not_running: 409,
  internal: 500,
};

/** One invalid field of a 422: where (`["body", "url"]`), what, and a short kind. */
export interface ValidationIssue {
  loc: (string | number)[];
  msg: string;
  type: string;
}

/** Field errors keyed by dotted path (`headers.2.name`, as forms use them) as 422 issues under `location`. */
export function issuesFromFieldErrors(fieldErrors: Record<string, string[]>, location: "body" | "query" | "path" = "body", type = "value_error"): ValidationIssue[] {
  return Object.entries(fieldErrors).flatMap(([path, messages]) =>
    messages.map((msg) => ({ loc: [location, ...(path === "_form" ? [] : path.split(".").map((p) => (/^\d+$/.test(p) ? Number(p) : p)))], msg, type })),
  );
}

function isFieldErrors(value: unknown): value is Record<string, string[]> {
  return typeof value === "object" && value !== null && !Array.isArray(value) && Object.values(value).every((v) => Array.isArray(v) && v.every((m) => typeof m === "string"));
}

/**
 * The error response for `code`. A 422's `details` are its field issues (issues, or field errors
 * by path); any other `details` object is merged into the body beside `code` and `detail`
 * (e.g. `{ taskId }` of the operation already running).
 */
export function problem(code: ProblemCode, message: string, details?: unknown, init: ResponseInit = {}): Response {
  const status = PROBLEM_STATUS[code];
  let body: Record<string, unknown>;
  if (status === 422) {
    const issues = Array.isArray(details) ? (details as ValidationIssue[]) : isFieldErrors(details) ? issuesFromFieldErrors(details) : [{ loc: ["body"], msg: message, type: code }];
    body = { code, detail: issues.length ? issues : [{ loc: ["body"], msg: message, type: code }], message };
  } else {
    body = { code, detail: message, ...(typeof details === "object" && details !== null && !Array.isArray(details) ? details : {}) };
  }
  return Response.json(body, { ...init, status, headers: { "cache-control": "no-store", ...init.headers } });
}

/**
 * The handler of every method a route does not serve (exported under those names): without one,
 * Next answers 405 with an empty body, which an API client cannot tell from a proxy error.
 */
export function methodNotAllowed(allowed: readonly string[], label = "This endpoint"): () => Response {
  const allow = [...allowed, "OPTIONS"].join(", ");
  return () => problem("method_not_allowed", `${label} accepts ${allowed.join(", ")} only.`, { allow: allowed }, { headers: { allow } });
}

/** `OPTIONS` for a route that defines its other methods itself: Next's automatic one would list them all. */
export function allowedMethods(allowed: readonly string[]): () => Response {
  const allow = [...allowed, "OPTIONS"].join(", ");
  return () => new Response(null, { status: 204, headers: { allow } });
}
