import { apiKeyActor, authorizeApp } from "@/lib/api/app-request";
import { allowedMethods, methodNotAllowed, problem } from "@/lib/api/problem";
import { readCappedBody } from "@/lib/http/read-body";
import { taskStarted } from "@/lib/recovery/api-shape";
import { startRecovery } from "@/lib/recovery/tasks";
import { fieldErrorsByPath } from "@/lib/validations/field-errors";
import { endpointIdSchema } from "@/lib/validations/endpoint";
import { windowSchema, type RecoveryKind } from "@/lib/validations/recovery";

/**
 * The recovery calls of the API (docs/recovery.md), shaped like Svix's: recover (resend failed)
 * and replay missing over a window. (Resending one message is lib/api/v1/operations/attempts.ts.)
 */

const MAX_BODY_BYTES = 4 * 1024;

type Params<T> = { params: Promise<T> };

/** A small JSON body; an empty one reads as `{}`. */
async function readOptionalJson(request: Request): Promise<{ ok: true; value: unknown } | { ok: false; response: Response }> {
  const raw = await readCappedBody(request, MAX_BODY_BYTES);
  if (raw.truncated) return { ok: false, response: problem("payload_too_large", `The request body is larger than ${MAX_BODY_BYTES / 1024} KB.`, { limitBytes: MAX_BODY_BYTES }) };
  if (raw.bytes.length === 0) return { ok: true, value: {} };
  try {
    return { ok: true, value: JSON.parse(Buffer.from(raw.bytes).toString("utf8")) as unknown };
  } catch (error) {
    return { ok: false, response: problem("invalid_json", `The request body is not valid JSON: ${error instanceof Error ? error.message : "parse error"}.`) };
  }
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);

/** `POST /api/v1/app/{app}/endpoint/{endpoint}/recover` and `.../replay-missing`: 202 with the background task. */
export function windowedRecovery(kind: RecoveryKind, label: string) {
  return async function POST(request: Request, { params }: Params<{ app: string; endpoint: string }>) {
    try {
      const { app, endpoint } = await params;
      const authorized = await authorizeApp(request, app);
      if (!authorized.ok) return authorized.response;
      if (!endpointIdSchema.safeParse(endpoint).success) return problem("not_found", `No endpoint ${endpoint} in this organization.`);
      const body = await readOptionalJson(request);
      if (!body.ok) return body.response;
      if (!isObject(body.value)) return problem("invalid_body", "Send a JSON object: { \"since\": \"2026-05-01T09:00:00Z\", \"until\"?: ... }");
      const window = windowSchema().safeParse(body.value);
      if (!window.success) return problem("invalid_body", window.error.issues[0]?.message ?? "Invalid request body", fieldErrorsByPath(window.error));
      const result = await startRecovery(authorized.organization, await apiKeyActor(authorized.principal), endpoint, kind, window.data);
      if (!result.ok) return problem(result.code, result.message, result.taskId ? { taskId: result.taskId } : null);
      return Response.json(taskStarted(result.task), { status: 202 });
    } catch (error) {
      console.error(`POST ${label} failed`, error);
      return problem("internal", "The operation could not be started because of a server error. Nothing was sent; it is safe to retry.");
    }
  };
}

/** The other methods of a POST-only recovery route. */
export function postOnly() {
  const notAllowed = methodNotAllowed(["POST"]);
  return { GET: notAllowed, PUT: notAllowed, PATCH: notAllowed, DELETE: notAllowed, OPTIONS: allowedMethods(["POST"]) };
}
