import { requireMember } from "@/lib/auth/session";
import { deliveryCountsOf, listMessages } from "@/lib/messages/list";
import { exportFailure } from "@/lib/messages/export-response";
import { messageLiveQuerySchema, messageLogFiltersSchema, NEWER_COUNT_MAX, searchParamsRecord } from "@/lib/validations/message-logs";

export const dynamic = "force-dynamic";

/**
 * The message logs' live updates, polled while the tab is visible: fresh delivery counts for the
 * rows on screen (`ids`) and how many messages of the same view arrived above the newest row
 * (`after`). Any member may read it; ids of other organizations are left out.
 */
export async function GET(request: Request, { params }: { params: Promise<{ org: string }> }) {
  try {
    const { org } = await params;
    const { organization } = await requireMember(org, "VIEWER", { portal: true });
    const query = searchParamsRecord(new URL(request.url).searchParams);
    const { ids, after } = messageLiveQuerySchema.parse(query);
    const { cursor: _cursor, ...filters } = messageLogFiltersSchema.parse(query);
    const [counts, newer] = await Promise.all([
      deliveryCountsOf(organization.id, ids),
      after && after.direction === "prev" ? listMessages(organization.id, { ...filters, cursor: after, limit: NEWER_COUNT_MAX }) : null,
    ]);
    return Response.json(
      {
        rows: Object.fromEntries(counts),
        newer: newer ? { count: newer.items.length, more: newer.prevCursor !== null } : { count: 0, more: false },
      },
      { headers: { "cache-control": "no-store" } },
    );
  } catch (error) {
    return exportFailure(error, "GET messages/live");
  }
}
