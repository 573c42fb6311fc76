import type { Metadata } from "next";
import { OverviewDashboard } from "@/components/overview/overview-dashboard";
import { requireMemberPage } from "@/lib/auth/session";
import { cachedOverview } from "@/lib/overview/cache";
import { overviewQuerySchema } from "@/lib/overview/range";
import { webhooksOverviewLivePath } from "@/lib/routes";

export const metadata: Metadata = { title: "Overview · Webhooks" };

export default async function WebhooksOverviewPage({
  params,
  searchParams,
}: {
  params: Promise<{ org: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { org } = await params;
  const { organization } = await requireMemberPage(org, "VIEWER", { portal: true });
  const { range } = overviewQuerySchema.parse(await searchParams);
  const overview = await cachedOverview({ organizationId: organization.id }, range);
  return (
    <section aria-labelledby="overview-heading" className="space-y-4">
      <h2 id="overview-heading" className="text-lg font-semibold">
        Overview
      </h2>
      <OverviewDashboard initial={overview} livePath={webhooksOverviewLivePath(organization.slug)} />
    </section>
  );
}
