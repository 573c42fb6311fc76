import { authenticateApiKey, mayActOn } from "@/lib/api/authenticate";
import { findOrganization } from "@/lib/api/organization";
import { allowedMethods, methodNotAllowed, problem } from "@/lib/api/problem";
import { readJsonBody } from "@/lib/api/read-json";
import { sendEvent } from "@/lib/messages/send-event";
import { fieldErrorsByPath } from "@/lib/validations/field-errors";
import { MAX_MESSAGE_BYTES, sendEventSchema } from "@/lib/validations/message";

export const dynamic = "force-dynamic";

/**
 * What became of a new message's deliveries. The message is recorded either way (202), so a
 * client must not resend it blindly; when scheduling failed the deliveries are FAILED with the
 * reason in the dashboard, and `warning` says so (the internal reason stays in the server log).
 */
function deliverySummary(total: number, notScheduled: boolean) {
  if (!notScheduled) return { deliveries: { total, scheduled: total, failed: 0 } };
  return {
    deliveries: { total, scheduled: 0, failed: total },
    warning: `The message was recorded, but its ${total === 1 ? "delivery" : `${total} deliveries`} could not be scheduled and ${total === 1 ? "was" : "were"} marked failed. Nothing will be sent for this message; send the event again (with a new eventId, if you set one) once the service is available.`,
  };
}

/**
 * Create a message (Svix's `POST /api/v1/app/{app_id}/msg`): records the event for the
 * organization and fans it out to its subscribed endpoints. 202 when created, with a `deliveries`
 * summary; 200 with the original message when `eventId` was already used within 24 hours.
 */
export async function POST(request: Request, { params }: { params: Promise<{ app: string }> }) {
  try {
    const auth = await authenticateApiKey(request.headers.get("authorization"));
    if (!auth.ok) return problem("unauthorized", auth.message, null, { headers: { "www-authenticate": "Bearer" } });
    const { app } = await params;
    const organization = await findOrganization(app);
    // An organization key learns nothing about other organizations, not even whether they exist.
    if (!organization) {
      return auth.principal.scope === "PLATFORM"
        ? problem("not_found", `No organization with id or slug "${app}".`)
        : problem("forbidden", "This API key belongs to another organization.");
    }
    if (!mayActOn(auth.principal, organization.id)) return problem("forbidden", "This API key belongs to another organization.");

    const body = await readJsonBody(request, MAX_MESSAGE_BYTES);
    if (!body.ok) return body.response;
    const input = sendEventSchema.safeParse(body.value);
    if (!input.success) {
      return problem("invalid_body", input.error.issues[0]?.message ?? "Invalid request body", fieldErrorsByPath(input.error));
    }
    const result = await sendEvent(organization, input.data);
    if (!result.ok) return problem(result.code, result.message, "details" in result ? result.details : null);
    if (!result.created) return Response.json(result.message, { status: 200 });
    return Response.json({ ...result.message, ...deliverySummary(result.deliveries, result.notScheduled !== null) }, { status: 202 });
  } catch (error) {
    console.error("POST /api/v1/app/{app}/msg failed", error);
    return problem("internal", "The event could not be recorded because of a server error. It is safe to retry with the same eventId.");
  }
}

const notAllowed = methodNotAllowed(["POST"]);
export const GET = notAllowed;
export const PUT = notAllowed;
export const PATCH = notAllowed;
export const DELETE = notAllowed;
export const OPTIONS = allowedMethods(["POST"]);
