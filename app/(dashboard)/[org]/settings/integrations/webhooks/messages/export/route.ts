import { requireMember } from "@/lib/auth/session";
import { exportMessages } from "@/lib/messages/export";
import { exportFailure, exportResponse } from "@/lib/messages/export-response";
import { exportOptionsSchema, messageLogFiltersSchema, searchParamsRecord } from "@/lib/validations/message-logs";

export const dynamic = "force-dynamic";

/** The message logs as filtered on screen (same search params), as CSV or NDJSON. Every member may export. */
export async function GET(request: Request, { params }: { params: Promise<{ org: string }> }) {
  try {
    const { org } = await params;
    const { organization } = await requireMember(org, "VIEWER", { portal: true });
    const query = searchParamsRecord(new URL(request.url).searchParams);
    const { limit: _limit, cursor: _cursor, ...selection } = messageLogFiltersSchema.parse(query);
    const options = exportOptionsSchema.parse(query);
    return exportResponse(exportMessages(organization.id, selection, options), options.format, `messages-${organization.slug}`);
  } catch (error) {
    return exportFailure(error, "GET messages/export");
  }
}
