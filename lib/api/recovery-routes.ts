import { apiKeyActor, authorizeApp } from "@/lib/api/app-request";
import { allowedMethods, methodNotAllowed, problem } from "@/lib/api/problem";
import { readCappedBody } from "@/lib/http/read-body";
import { resendMessage } from "@/lib/recovery/resend";
import { fieldErrorsByPath } from "@/lib/validations/field-errors";
import { resendMessageSchema } from "@/lib/validations/recovery";

/**
 * The recovery calls of the API (docs/recovery.md), shaped like Svix's: resend one message.
 * Recover and replay-missing are operations of lib/api/v1/operations/endpoints.ts.
 */

const MAX_BODY_BYTES = 4 * 1024;

type Params<T> = { params: Promise<T> };

/** A small JSON body; an empty one reads as `{}` (Svix's resend has none). */
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

/**
 * `POST /api/v1/app/{app}/msg/{msg}/endpoint/{endpoint}/resend`: one manual attempt now, answered
 * with its outcome. A message already delivered to the endpoint needs `{ "confirmDelivered": true }`.
 */
export async function resendRoute(request: Request, { params }: Params<{ app: string; msg: string; endpoint: string }>) {
  try {
    const { app, msg, endpoint } = await params;
    const authorized = await authorizeApp(request, app);
    if (!authorized.ok) return authorized.response;
    const body = await readOptionalJson(request);
    if (!body.ok) return body.response;
    if (!isObject(body.value)) return problem("invalid_body", 'Send a JSON object, e.g. { "confirmDelivered": true }, or no body.');
    const input = resendMessageSchema.omit({ org: true }).safeParse({ ...body.value, messageId: msg, endpointId: endpoint });
    if (!input.success) {
      const issue = input.error.issues[0];
      const unknownId = issue?.path[0] === "messageId" || issue?.path[0] === "endpointId";
      return unknownId ? problem("not_found", `No ${issue?.path[0] === "messageId" ? `message ${msg}` : `endpoint ${endpoint}`} in this organization.`) : problem("invalid_body", issue?.message ?? "Invalid request body", fieldErrorsByPath(input.error));
    }
    const result = await resendMessage(authorized.organization, endpoint, msg, { confirmDelivered: input.data.confirmDelivered }, await apiKeyActor(authorized.principal));
    if (!result.ok) return problem(result.code, result.message);
    const { attemptId, ok, statusCode, error } = result.attempt;
    return Response.json({ attempt: { id: attemptId, trigger: "manual", succeeded: ok, statusCode, error } }, { status: 202 });
  } catch (error) {
    console.error("POST /api/v1/app/{app}/msg/{msg}/endpoint/{endpoint}/resend failed", error);
    return problem("internal", "The message could not be resent because of a server error.");
  }
}

/** The other methods of a POST-only recovery route. */
export function postOnly() {
  const notAllowed = methodNotAllowed(["POST"]);
  return { GET: notAllowed, PUT: notAllowed, PATCH: notAllowed, DELETE: notAllowed, OPTIONS: allowedMethods(["POST"]) };
}
