import { requireMember } from "@/lib/auth/session";
import { cachedOverview } from "@/lib/overview/cache";
import { overviewQuerySchema } from "@/lib/overview/range";
import { overviewResponse } from "@/lib/overview/response";

export const dynamic = "force-dynamic";

/** The organization's overview figures, polled by its Overview tab while visible; any member, or its portal. */
export async function GET(request: Request, { params }: { params: Promise<{ org: string }> }) {
  return overviewResponse(async () => {
    const { org } = await params;
    const { organization } = await requireMember(org, "VIEWER", { portal: true });
    const { range } = overviewQuerySchema.parse(Object.fromEntries(new URL(request.url).searchParams));
    return cachedOverview({ organizationId: organization.id }, range);
  }, "GET webhooks/overview/live");
}
