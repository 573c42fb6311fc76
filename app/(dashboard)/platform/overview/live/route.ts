import { requireStaff } from "@/lib/auth/session";
import { cachedOverview } from "@/lib/overview/cache";
import { overviewQuerySchema } from "@/lib/overview/range";
import { overviewResponse } from "@/lib/overview/response";

export const dynamic = "force-dynamic";

/** The platform overview's figures, polled by the page while it is visible (staff only). */
export async function GET(request: Request) {
  return overviewResponse(async () => {
    await requireStaff();
    const { range } = overviewQuerySchema.parse(Object.fromEntries(new URL(request.url).searchParams));
    return cachedOverview("platform", range);
  }, "GET platform/overview/live");
}
