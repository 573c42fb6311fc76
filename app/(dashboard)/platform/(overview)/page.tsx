import type { Metadata } from "next";
import { PageHeader } from "@/components/layout/page-header";
import { OverviewDashboard } from "@/components/overview/overview-dashboard";
import { requireStaffPage } from "@/lib/auth/session";
import { cachedOverview } from "@/lib/overview/cache";
import { overviewQuerySchema } from "@/lib/overview/range";
import { platformOverviewLivePath, platformPath } from "@/lib/routes";

export const metadata: Metadata = { title: "Overview" };

export default async function PlatformOverviewPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await requireStaffPage(platformPath);
  const { range } = overviewQuerySchema.parse(await searchParams);
  const overview = await cachedOverview("platform", range);
  return (
    <div className="mx-auto max-w-6xl space-y-6">
      <PageHeader
        breadcrumb={["Platform"]}
        title="Overview"
        description="Deliveries across every organization: attempts and failures, the backlog waiting for a first attempt, and the endpoints failing most."
      />
      <OverviewDashboard initial={overview} livePath={platformOverviewLivePath()} acrossOrganizations />
    </div>
  );
}
