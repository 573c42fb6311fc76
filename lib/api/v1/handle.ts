import type { z } from "zod";
import { looksLikeApiKey } from "@/lib/api-keys/key";
import { authenticateApiKey, bearerOf, mayActOn, type ApiPrincipal } from "@/lib/api/authenticate";
import { looksLikePortalToken } from "@/lib/portal/access";
import { findOrganization } from "@/lib/organizations/cache";
import { isOrganizationDisabled, ORGANIZATION_DISABLED, organizationDisabledMessage } from "@/lib/organizations/disabled";
import { allowedMethods, methodNotAllowed, problem, type ValidationIssue } from "@/lib/api/problem";
import { declaresMoreThan, readCappedBody, type CappedBody } from "@/lib/http/read-body";
import { beginIdempotent, finishIdempotent, type IdempotencyClaim } from "@/lib/api/v1/idempotency";
import { Answer, ApiError, type AnyOperation, type HttpMethod, type Organization } from "@/lib/api/v1/operation";
import { takeRateToken } from "@/lib/api/v1/rate-limit";
import { apiSpan, tracingEnabled } from "@/lib/observability/tracing";
import { describePath, findUnstorableJson } from "@/lib/validations/storable-json";
import { errorFields, inRequest, loggerFor, withRequest } from "@/lib/observability/log";
import { countApiRequest } from "@/lib/observability/metrics";

/**
 * The request pipeline of every `/api/v1` operation: API key, per-key rate limit, path
 * parameters, the organization of `{app_id}` and the key's right to it, query, body (capped,
 * JSON), idempotency of POSTs, the handler, and the answer in Svix's shapes. Errors thrown as
 * `ApiError` become their status and code; anything else is logged and answered 500 without
 * detail. Every line logged while a request is handled carries its request id (the client's
 * `X-Request-Id` when it sends a well-formed one), and each answer is counted by operation and
 * status class (lib/observability/metrics.ts).
 */

const log = () => loggerFor("[api]");

const DEFAULT_MAX_BODY_BYTES = 256 * 1024;
const METHODS: readonly HttpMethod[] = ["GET", "POST", "PUT", "PATCH", "DELETE"];

/** `/api/v1/app/{app_id}/endpoint/{endpoint_id}` → a matcher of concrete paths and its parameter names. */
export function pathMatcher(template: string): { regex: RegExp; names: string[] } {
  const names: string[] = [];
  const source = template.replace(/[.*+?^$()|[\]\\]/g, "\\$&").replace(/\{([a-z_]+)\}/g, (_, name: string) => {
    names.push(name);
    return "([^/]+)";
  });
  return { regex: new RegExp(`^${source}/?$`), names };
}

function issuesOf(error: z.ZodError, location: "query" | "body" | "path"): ValidationIssue[] {
  return error.issues.map((issue) => ({ loc: [location, ...issue.path.map((p) => (typeof p === "symbol" ? String(p) : p))], msg: issue.message, type: issue.code }));
}

function invalid(location: "query" | "body", error: z.ZodError): Response {
  const first = error.issues[0];
  const where = first?.path.length ? `${first.path.join(".")}: ` : "";
  return problem(location === "query" ? "invalid_query" : "invalid_body", `${where}${first?.message ?? "Invalid input"}`, issuesOf(error, location));
}

/** Query parameters as one object: a repeated name and Svix's comma-joined lists both read as the joined text. */
function queryObject(url: URL): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of new Set(url.searchParams.keys())) out[name] = url.searchParams.getAll(name).join(",");
  return out;
}

/**
 * What the pipeline reads of a request. Next's route handlers give it a web `Request`
 * (`webRequestInput`); the plain Node server in front of Next (`lib/api/v1/node.ts`) gives it the
 * Node request's headers and body directly, and builds a web `Request` only for a handler that
 * reads one: building it costs more than the rest of the adapter.
 */
export interface PipelineRequest {
  readonly headers: { get(name: string): string | null };
  /** At most `maxBytes` of the body (lib/http/read-body.ts). */
  readBody(maxBytes: number): Promise<CappedBody>;
  /** The request as the operation's handler receives it. */
  web(): Request;
}

function webRequestInput(request: Request): PipelineRequest {
  return { headers: request.headers, readBody: (maxBytes) => readCappedBody(request, maxBytes), web: () => request };
}

async function readBody(request: PipelineRequest, maxBytes: number): Promise<{ ok: true; raw: string; value: unknown } | { ok: false; response: Response }> {
  const tooLarge = () => ({ ok: false as const, response: problem("payload_too_large", `The request body is larger than ${Math.round(maxBytes / 1024)} KB.`, { limitBytes: maxBytes }) });
  if (declaresMoreThan(request, maxBytes)) return tooLarge();
  const body = await request.readBody(maxBytes);
  if (body.truncated) return tooLarge();
  const raw = Buffer.from(body.bytes).toString("utf8");
  // Svix's calls without a body (rotate, resend, send-example's defaults) may send nothing at all.
  if (raw.trim() === "") return { ok: true, raw, value: {} };
  try {
    return { ok: true, raw, value: JSON.parse(raw) as unknown };
  } catch (error) {
    return { ok: false, response: problem("invalid_json", `The request body is not valid JSON: ${error instanceof Error ? error.message : "parse error"}.`) };
  }
}

function unauthorized(message: string): Response {
  return problem("unauthorized", message, null, { headers: { "www-authenticate": "Bearer" } });
}

const ANOTHER_ORGANIZATION = "This API key belongs to another organization.";

const unknownApp = (app: string) => problem("not_found", `No application (organization) with id or uid "${app}".`);

/** The organization `app` names; null only when `mayCreate` and the key is a platform key (the operation creates it). */
async function authorizeOrganization(principal: ApiPrincipal, app: string, mayCreate: boolean): Promise<{ ok: true; organization: Organization | null } | { ok: false; response: Response }> {
  const organization = await findOrganization(app);
  // An organization key learns nothing about other organizations, not even whether they exist.
  if (!organization) {
    if (principal.scope !== "PLATFORM") return { ok: false, response: problem("forbidden", ANOTHER_ORGANIZATION) };
    return mayCreate ? { ok: true, organization: null } : { ok: false, response: unknownApp(app) };
  }
  if (!mayActOn(principal, organization.id)) return { ok: false, response: problem("forbidden", ANOTHER_ORGANIZATION) };
  return { ok: true, organization };
}

/**
 * An organization key of an organization staff disabled is refused on every call. The organization
 * comes from the per-process cache the `app` access reads anyway, so this costs no query; a
 * disable reaches every process through the `organization_changed` trigger. Platform keys still
 * manage a disabled organization.
 */
async function refusedAsDisabled(principal: ApiPrincipal): Promise<Response | null> {
  if (principal.scope !== "ORGANIZATION" || !principal.organizationId) return null;
  const own = await findOrganization(principal.organizationId);
  if (!own || !isOrganizationDisabled(own)) return null;
  return problem(ORGANIZATION_DISABLED, organizationDisabledMessage.apiKey);
}

/** Whether answers are checked against their schemas (tests and development: a wrong shape is a 500 there, never in production). */
function checkResponses(): boolean {
  return process.env.API_CHECK_RESPONSES === "true";
}

function jsonResponse(status: number, value: unknown): Response {
  if (status === 204) return new Response(null, { status: 204, headers: { "cache-control": "no-store" } });
  return Response.json(value, { status, headers: { "cache-control": "no-store" } });
}

/** The idempotency-key this request claimed, kept outside `run` so that a thrown error's answer is recorded too. */
interface RequestState {
  claim: IdempotencyClaim | null;
}

/**
 * The bearer of a `portal` operation: a portal token, whose shape alone is checked here (the
 * handler looks it up). An API key is a valid credential of the wrong kind: 403, as Svix refuses
 * logging out anything but an app token.
 */
function portalBearer(authorization: string | null): { ok: true; token: string } | { ok: false; response: Response } {
  const bearer = bearerOf(authorization);
  if (!bearer) return { ok: false, response: unauthorized("Send the portal token (from app-portal-access) as `Authorization: Bearer <token>`.") };
  if (looksLikeApiKey(bearer)) return { ok: false, response: problem("forbidden", "This call takes a portal token (hrp_…, from app-portal-access), not an API key: an API key cannot be logged out. Revoke keys in Settings → API keys.") };
  if (!looksLikePortalToken(bearer)) return { ok: false, response: unauthorized("The portal token is malformed.") };
  return { ok: true, token: bearer };
}

async function run(op: AnyOperation, request: PipelineRequest, url: URL, rawParams: Record<string, string>, state: RequestState): Promise<Response> {
  let principal: ApiPrincipal | null = null;
  let portalToken: string | null = null;
  if (op.access === "portal") {
    const bearer = portalBearer(request.headers.get("authorization"));
    if (!bearer.ok) return bearer.response;
    portalToken = bearer.token;
  } else if (op.access !== "public") {
    const auth = await authenticateApiKey(request.headers.get("authorization"));
    if (!auth.ok) return unauthorized(auth.message);
    principal = auth.principal;
    const disabled = await refusedAsDisabled(principal);
    if (disabled) return disabled;
    const rate = await takeRateToken(principal.keyId);
    if (!rate.ok) {
      return problem("rate_limited", `Too many requests for this API key (limit ${rate.limit} per second): retry after ${rate.retryAfterSeconds} s.`, null, { headers: { "retry-after": String(rate.retryAfterSeconds) } });
    }
    if (op.access === "platform" && principal.scope !== "PLATFORM") {
      return problem("forbidden", "This call needs a platform API key: an organization key manages only its own organization's endpoints and messages.");
    }
  }

  const params = op.params ? op.params.safeParse(rawParams) : { success: true as const, data: {} };
  if (!params.success) {
    const name = String(params.error.issues[0]?.path[0] ?? "");
    return problem("not_found", `No ${name.replace(/_id$/, "").replace(/_/g, " ")} "${rawParams[name] ?? ""}".`);
  }

  let organization: Organization | null = null;
  if (op.access === "app") {
    const app = rawParams.app_id;
    if (!app || !principal) throw new Error(`${op.operationId}: an "app" operation needs {app_id} in its path`);
    const authorized = await authorizeOrganization(principal, app, op.createApp !== undefined);
    if (!authorized.ok) return authorized.response;
    organization = authorized.organization;
  }

  const query = op.query ? op.query.safeParse(queryObject(url)) : { success: true as const, data: {} };
  if (!query.success) return invalid("query", query.error);

  let body: unknown = undefined;
  if (op.body) {
    const read = await readBody(request, op.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES);
    if (!read.ok) return read.response;
    const key = request.headers.get("idempotency-key");
    if (op.method === "POST" && key && principal) {
      const begun = await beginIdempotent(principal.keyId, key, `${op.method} ${url.pathname}\n${read.raw}`);
      if (begun.kind !== "claimed") return begun.response;
      state.claim = begun.claim;
    }
    // Checked on the body as sent, before any schema: a NUL or a deep nesting in a free-form payload would otherwise fail in the database or the serialiser, as a 500.
    const unstorable = findUnstorableJson(read.value);
    if (unstorable) {
      const where = unstorable.path.length ? `${describePath(unstorable.path)}: ` : "";
      return problem("invalid_body", `${where}${unstorable.msg}`, [{ loc: ["body", ...unstorable.path], msg: unstorable.msg, type: "value_error" }]);
    }
    const parsed = op.body.safeParse(read.value);
    if (!parsed.success) return invalid("body", parsed.error);
    body = parsed.data;
  } else if (op.method === "POST" && principal) {
    const key = request.headers.get("idempotency-key");
    if (key) {
      const begun = await beginIdempotent(principal.keyId, key, `${op.method} ${url.pathname}\n`);
      if (begun.kind !== "claimed") return begun.response;
      state.claim = begun.claim;
    }
  }

  if (op.access === "app" && !organization && principal) {
    const app = rawParams.app_id!;
    organization = (await op.createApp?.({ principal, appId: app, body })) ?? null;
    if (!organization) return unknownApp(app);
  }

  const context = {
    get request() {
      return request.web();
    },
    params: params.data,
    query: query.data,
    body,
    principal,
    portalToken,
    organization,
  };
  const result: unknown = await op.handler(context);
  if (result instanceof Response) return result;
  const [status, value] = result instanceof Answer ? [result.status, result.body as unknown] : [op.response.status, result];
  if (checkResponses() && op.response.schema) {
    const checked = (op.response.schema as z.ZodType).safeParse(value);
    if (!checked.success) {
      log().error({ issues: checked.error.issues.slice(0, 5).map((i) => ({ path: i.path.map(String), code: i.code, message: i.message })) }, `${op.operationId} answered a body that does not match its schema`);
      return problem("internal", `${op.operationId} answered a body that does not match its documented schema.`);
    }
  }
  return jsonResponse(status, status === 204 ? null : value);
}

/** Answers one request with `op`, whatever happens. */
export function handleOperation(op: AnyOperation, request: Request, rawParams: Record<string, string>, url = new URL(request.url)): Promise<Response> {
  return runOperation(op, webRequestInput(request), rawParams, url);
}

/** `handleOperation` for a request that is not a web `Request` (the plain Node server's). Traced when tracing is on (lib/observability/tracing.ts). */
export function runOperation(op: AnyOperation, request: PipelineRequest, rawParams: Record<string, string>, url: URL): Promise<Response> {
  const pipeline = () => (tracingEnabled ? apiSpan(op, request.headers, () => runPipeline(op, request, rawParams, url)) : runPipeline(op, request, rawParams, url));
  // The server script gave the request its context already (no second one then); Next's route handlers called otherwise (tests) get one here.
  return inRequest() ? pipeline() : withRequest(request.headers.get("x-request-id"), pipeline);
}

async function runPipeline(op: AnyOperation, request: PipelineRequest, rawParams: Record<string, string>, url: URL): Promise<Response> {
  const state: RequestState = { claim: null };
  let response: Response;
  try {
    response = await run(op, request, url, rawParams, state);
  } catch (error) {
    if (error instanceof ApiError) response = problem(error.code, error.message, error.details);
    else {
      log().error({ operation: op.operationId, ...errorFields(error) }, `${op.method} ${op.path} failed`);
      response = problem("internal", "The request failed because of a server error. It is safe to retry with the same idempotency-key.");
    }
  }
  if (state.claim) response = await finishIdempotent(state.claim, response);
  countApiRequest(op.operationId, response.status);
  return response;
}

/** A path segment as sent; a malformed escape (`%E0%A4%A`) is kept as written, so it matches nothing rather than throwing. */
function decodePathSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** The path parameters `names` of a match of the path's matcher, decoded (empty when it did not match). */
export function paramsOf(names: readonly string[], match: RegExpExecArray | null): Record<string, string> {
  const rawParams: Record<string, string> = {};
  names.forEach((name, i) => {
    rawParams[name] = decodePathSegment(match?.[i + 1] ?? "");
  });
  return rawParams;
}

/** A route's handler; Next also passes the route context, which is not needed (parameters come from the path template). */
type RouteHandler = (request: Request, context?: unknown) => Promise<Response> | Response;

/**
 * The exports of one `app/api/v1/.../route.ts`: a handler per method the operations of `path`
 * serve, 405 in the API's shape for the others, and an OPTIONS that lists them.
 */
export function routeHandlers(path: string, operations: readonly AnyOperation[]): Record<HttpMethod | "OPTIONS", RouteHandler> {
  const ops = operations.filter((op) => op.path === path);
  // tests/integration/api-routes.test.ts fails for a route file whose path has no operation.
  if (ops.length === 0) log().error(`no operation is declared for ${path}: add it to lib/api/v1/operations`);
  const { regex, names } = pathMatcher(path);
  const allowed = METHODS.filter((m) => ops.some((op) => op.method === m));
  const handlers = {} as Record<HttpMethod | "OPTIONS", RouteHandler>;
  for (const method of METHODS) {
    const op = ops.find((o) => o.method === method);
    handlers[method] = op
      ? (request: Request) => {
          const url = new URL(request.url);
          return handleOperation(op, request, paramsOf(names, regex.exec(url.pathname)), url);
        }
      : methodNotAllowed(allowed, path);
  }
  handlers.OPTIONS = allowedMethods(allowed);
  return handlers;
}
