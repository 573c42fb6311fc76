import { problem } from "@/lib/api/problem";
import { requireMember } from "@/lib/auth/session";
import { attemptedMessageStates, listAttemptedMessages } from "@/lib/endpoints/attempted-messages";
import { getEndpoint } from "@/lib/endpoints/endpoints";
import { exportFailure } from "@/lib/messages/export-response";
import { attemptedMessagesFiltersSchema, messageLiveQuerySchema, NEWER_COUNT_MAX, searchParamsRecord } from "@/lib/validations/message-logs";

export const dynamic = "force-dynamic";

/**
 * The Attempted messages tab's live updates, polled while the tab is visible: the current state of
 * the deliveries on screen still pending or sending (`ids`), and how many deliveries of the same
 * status filter were created above the newest row (`after`). Any member may read it.
 */
export async function GET(request: Request, { params }: { params: Promise<{ org: string; endpointId: string }> }) {
  try {
    const { org, endpointId } = await params;
    const { organization } = await requireMember(org, "VIEWER", { portal: true });
    const endpoint = await getEndpoint(organization.id, endpointId);
    if (!endpoint) return problem("not_found", "This endpoint does not exist or was deleted.");
    const query = searchParamsRecord(new URL(request.url).searchParams);
    const { ids, after } = messageLiveQuerySchema.parse(query);
    const { status } = attemptedMessagesFiltersSchema.parse(query);
    const [states, newer] = await Promise.all([
      attemptedMessageStates(organization.id, endpoint.id, ids),
      after && after.direction === "prev"
        ? listAttemptedMessages(organization.id, endpoint.id, { status, cursor: after, limit: NEWER_COUNT_MAX })
        : null,
    ]);
    return Response.json(
      {
        rows: Object.fromEntries(states),
        newer: newer ? { count: newer.items.length, more: newer.prevCursor !== null } : { count: 0, more: false },
      },
      { headers: { "cache-control": "no-store" } },
    );
  } catch (error) {
    return exportFailure(error, "GET attempts/live");
  }
}
