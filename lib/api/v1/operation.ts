import type { z } from "zod";
import type { ApiPrincipal } from "@/lib/api/authenticate";
import type { findOrganization } from "@/lib/organizations/cache";
import type { ProblemCode } from "@/lib/api/problem";

/**
 * One call of the HTTP API, declared once: its method and path, who may call it, the zod schemas
 * of its path, query and body, and of its answer. The request pipeline (`handle.ts`) validates
 * every input with these schemas and the OpenAPI document (`openapi.ts`) is generated from the
 * same ones, so the reference cannot drift from what the server does.
 */

export type HttpMethod = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

/**
 * Who may call it:
 * - `public`: no API key (health, the OpenAPI document);
 * - `any`: any valid key (reads of the shared catalog);
 * - `platform`: platform keys only (applications, catalog writes);
 * - `app`: the path's `{app_id}` is an organization the key may act on (an organization key only
 *   its own: another organization is refused with 403 whether it exists or not);
 * - `portal`: no API key but a portal token (`hrp_…`, from app-portal-access) as the bearer, as
 *   Svix's `authentication.logout` takes its app token; an API key is refused with 403.
 */
export type OperationAccess = "public" | "any" | "platform" | "app" | "portal";

export type Organization = NonNullable<Awaited<ReturnType<typeof findOrganization>>>;

type AnyObject = z.ZodObject<z.ZodRawShape>;

export interface OperationContext<P, Q, B, A extends OperationAccess> {
  request: Request;
  params: P;
  query: Q;
  body: B;
  /** The calling key; null for `public` and `portal` operations. */
  principal: A extends "public" | "portal" ? null : ApiPrincipal;
  /** The bearer portal token, for `portal` operations (its shape checked, not yet looked up). */
  portalToken: A extends "portal" ? string : null;
  /** The `{app_id}` organization, for `app` operations. */
  organization: A extends "app" ? Organization : null;
}

/**
 * A success body with another status than the operation's own: an upsert that created (201), a
 * create that found the existing one (200). The pipeline checks and serialises it like any answer.
 */
export class Answer<T> {
  constructor(
    readonly status: 200 | 201 | 202,
    readonly body: T,
  ) {}
}

export function answer<T>(status: 200 | 201 | 202, body: T): Answer<T> {
  return new Answer(status, body);
}

/** What a handler returns: the success body (serialised to JSON; Dates become ISO strings), an `answer(status, body)`, or a ready Response. */
export type HandlerResult<R> = R | Answer<R> | Response;

export interface OperationSpec<
  P extends AnyObject | undefined = AnyObject | undefined,
  Q extends AnyObject | undefined = AnyObject | undefined,
  B extends z.ZodType | undefined = z.ZodType | undefined,
  R extends z.ZodType | undefined = z.ZodType | undefined,
  A extends OperationAccess = OperationAccess,
> {
  method: HttpMethod;
  /** The path as Svix writes it, with `{name}` parameters: `/api/v1/app/{app_id}/endpoint`. */
  path: string;
  /** Svix's operation id where it has the call (`v1.endpoint.create`). */
  operationId: string;
  /** The reference's section: Application, Event Type, Endpoint, Message, Message Attempt, Background Task, Health. */
  tag: string;
  summary: string;
  description?: string;
  access: A;
  params?: P;
  query?: Q;
  body?: B;
  /** The largest body accepted (default 256 KB). */
  maxBodyBytes?: number;
  /** The success answer: its status and, unless 204, its schema. */
  response: { status: 200 | 201 | 202 | 204; description: string; schema?: R };
  /** The error codes this call can answer beyond the common ones (401, 403, 429, 422, 500), for the reference. */
  errors?: ProblemCode[];
  /**
   * `app` operations only: when `{app_id}` names no organization and the key is a platform key,
   * the organization to act on, made from the validated body (Svix's inline `application` of
   * message.create); null keeps the 404. An organization key still gets its 403, learning nothing.
   */
  createApp?: (ctx: { principal: ApiPrincipal; appId: string; body: B extends z.ZodType ? z.output<B> : undefined }) => Promise<Organization | null>;
  handler: (
    ctx: OperationContext<
      P extends AnyObject ? z.output<P> : Record<string, never>,
      Q extends AnyObject ? z.output<Q> : Record<string, never>,
      B extends z.ZodType ? z.output<B> : undefined,
      A
    >,
  ) => Promise<HandlerResult<R extends z.ZodType ? z.input<R> : null>>;
}

/** Declares an operation, keeping its types (the identity, for inference). */
export function defineOperation<
  P extends AnyObject | undefined = undefined,
  Q extends AnyObject | undefined = undefined,
  B extends z.ZodType | undefined = undefined,
  R extends z.ZodType | undefined = undefined,
  const A extends OperationAccess = OperationAccess,
>(spec: OperationSpec<P, Q, B, R, A>): OperationSpec<P, Q, B, R, A> {
  return spec;
}

/** An operation of any types, as the registry holds them. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the registry erases each operation's own types; handle.ts re-validates every input with the operation's schemas
export type AnyOperation = OperationSpec<any, any, any, any, any>;

/** A domain failure a handler throws; the pipeline answers it in the API's error shape. */
export class ApiError extends Error {
  constructor(
    readonly code: ProblemCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

export function apiError(code: ProblemCode, message: string, details?: unknown): ApiError {
  return new ApiError(code, message, details);
}

/**
 * One invalid input found by a handler (past the schemas): a 422 whose single issue is at `loc`
 * (`["body", "uid"]`, `["query", "expunge"]`). The message defaults to "field: problem".
 */
export function invalidField(loc: [location: "body" | "query" | "path", ...path: (string | number)[]], msg: string, options: { type?: string; message?: string } = {}): ApiError {
  const [location, ...path] = loc;
  return apiError(location === "query" ? "invalid_query" : "invalid_body", options.message ?? `${path.join(".")}: ${msg}`, [{ loc, msg, type: options.type ?? "value_error" }]);
}
