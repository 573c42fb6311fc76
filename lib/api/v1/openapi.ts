import { z } from "zod";
import { createDocument, type ZodOpenApiObject, type ZodOpenApiOperationObject, type ZodOpenApiPathsObject, type ZodOpenApiResponseObject } from "zod-openapi";
import { PROBLEM_STATUS, type ProblemCode } from "@/lib/api/problem";
import type { AnyOperation } from "@/lib/api/v1/operation";

/**
 * The OpenAPI 3.1 document of `/api/v1`, generated from the operations' own zod schemas (the ones
 * the request pipeline validates with), never written by hand. Served at `/api/v1/openapi.json`
 * and rendered by the dashboard's API reference.
 */

const httpError = z
  .object({
    code: z.string().meta({ description: "Stable machine-readable reason, e.g. `not_found`." }),
    detail: z.string().meta({ description: "What went wrong and what to do, for a person." }),
  })
  .meta({ id: "HttpErrorOut", description: "Every error but 422." });

const validationError = z
  .object({
    code: z.string(),
    message: z.string().meta({ description: "The first problem, for a person." }),
    detail: z.array(
      z
        .object({
          loc: z.array(z.union([z.string(), z.number()])).meta({ description: "Where: `body`, `query`, `path` or `header`, then the field path." }),
          msg: z.string(),
          type: z.string(),
        })
        .meta({ id: "ValidationError" }),
    ),
  })
  .meta({ id: "HTTPValidationError", description: "Invalid input (422): one entry per invalid field." });

const STATUS_TEXT: Record<number, string> = {
  400: "Bad request: the body is not valid JSON",
  401: "No valid API key",
  403: "The API key may not do this",
  404: "Not found",
  409: "Conflict with the current state",
  410: "Gone (aged out of retention)",
  413: "Body too large",
  422: "Invalid input",
  429: "Rate limited: retry after the `retry-after` seconds",
  500: "Server error: safe to retry with the same idempotency-key",
  503: "Temporarily unavailable",
};

function errorResponses(op: AnyOperation): Record<`${number}`, ZodOpenApiResponseObject> {
  const statuses = new Set<number>();
  if (op.access !== "public") statuses.add(401);
  // A portal token is not an API key: no per-key limit (429), and an API key is refused (403).
  if (op.access !== "public" && op.access !== "portal") statuses.add(429);
  if (op.access === "platform" || op.access === "app" || op.access === "portal") statuses.add(403);
  if (op.params) statuses.add(404);
  if (op.query || op.body) statuses.add(422);
  if (op.body) [400, 413].forEach((s) => statuses.add(s));
  for (const code of op.errors ?? []) statuses.add(PROBLEM_STATUS[code as ProblemCode]);
  const out: Record<`${number}`, ZodOpenApiResponseObject> = {};
  for (const status of [...statuses].sort()) {
    out[`${status}`] = {
      description: STATUS_TEXT[status] ?? "Error",
      content: { "application/json": { schema: status === 422 ? validationError : httpError } },
    };
  }
  out["500"] = { description: STATUS_TEXT[500]!, content: { "application/json": { schema: httpError } } };
  return out;
}

function operationObject(op: AnyOperation): ZodOpenApiOperationObject {
  const success = op.response;
  const idempotent = op.method === "POST" && op.access !== "public" && op.access !== "portal";
  const description = [op.description, op.access === "platform" ? "Needs a **platform** API key." : null, idempotent ? "Accepts an `idempotency-key` header: the same key and body within 24 hours get the first answer again." : null]
    .filter(Boolean)
    .join("\n\n");
  return {
    operationId: op.operationId,
    summary: op.summary,
    ...(description ? { description } : {}),
    tags: [op.tag],
    ...(op.access === "public" ? { security: [] } : {}),
    // Who may call it, for the dashboard's reference (an OpenAPI extension; tools ignore it).
    "x-hookrelay-access": op.access,
    requestParams: {
      ...(op.params ? { path: op.params } : {}),
      ...(op.query ? { query: op.query } : {}),
      ...(idempotent
        ? { header: z.object({ "idempotency-key": z.string().max(255).optional().meta({ description: "Makes a retried POST safe: the same key and body within 24 hours get the first answer." }) }) }
        : {}),
    },
    ...(op.body ? { requestBody: { required: true, content: { "application/json": { schema: op.body } } } } : {}),
    responses: {
      [`${success.status}`]: {
        description: success.description,
        ...(success.schema && success.status !== 204 ? { content: { "application/json": { schema: success.schema } } } : {}),
      },
      ...errorResponses(op),
    },
  };
}

export const TAG_ORDER = ["Application", "Event Type", "Endpoint", "Message", "Message Attempt", "Background Task", "Authentication", "Operational Webhook", "Health"] as const;

export function buildOpenApiDocument(operations: readonly AnyOperation[], version: string): ReturnType<typeof createDocument> {
  const paths: ZodOpenApiPathsObject = {};
  for (const op of operations) {
    const item = (paths[op.path] ??= {});
    (item as Record<string, ZodOpenApiOperationObject>)[op.method.toLowerCase()] = operationObject(op);
  }
  const document: ZodOpenApiObject = {
    openapi: "3.1.0",
    info: {
      title: "HookRelay API",
      version,
      description:
        "Svix-compatible webhook sending API: applications (organizations), event types, endpoints, messages, attempts, recovery and portal links. Authenticate with `Authorization: Bearer <API key>`; organization keys act on their own organization only, platform keys on every one and on the catalog. Lists page with `iterator`/`limit` and answer `{ data, iterator, prevIterator, done }`.",
    },
    servers: [{ url: "/", description: "This server" }],
    tags: TAG_ORDER.map((name) => ({ name })),
    security: [{ HTTPBearer: [] }],
    components: { securitySchemes: { HTTPBearer: { type: "http", scheme: "bearer", description: "An API key from Settings → API keys (hr_org_… or hr_plat_…)." } } },
    paths,
  };
  return createDocument(document);
}
