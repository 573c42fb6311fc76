import { problem } from "@/lib/api/problem";
import { requireMember } from "@/lib/auth/session";
import { getEndpoint } from "@/lib/endpoints/endpoints";
import { exportAttempts } from "@/lib/messages/export";
import { exportFailure, exportResponse } from "@/lib/messages/export-response";
import { attemptedMessagesFiltersSchema, exportOptionsSchema, searchParamsRecord } from "@/lib/validations/message-logs";

export const dynamic = "force-dynamic";

/** Every attempt to one endpoint, with the Attempted messages tab's status filter, as CSV or NDJSON. */
export async function GET(request: Request, { params }: { params: Promise<{ org: string; endpointId: string }> }) {
  try {
    const { org, endpointId } = await params;
    const { organization } = await requireMember(org, "VIEWER", { portal: true });
    const endpoint = await getEndpoint(organization.id, endpointId);
    if (!endpoint) return problem("not_found", "This endpoint does not exist or was deleted.");
    const query = searchParamsRecord(new URL(request.url).searchParams);
    const { status } = attemptedMessagesFiltersSchema.parse(query);
    const options = exportOptionsSchema.parse(query);
    return exportResponse(exportAttempts(organization.id, endpoint.id, { status }, options), options.format, `attempts-${endpoint.id}`);
  } catch (error) {
    return exportFailure(error, "GET attempts/export");
  }
}
