import type { Metadata } from "next";
import { RunDetail } from "@/components/jobs/run-detail";
import { RunsTable } from "@/components/jobs/runs-table";
import { StatusFilter } from "@/components/jobs/status-filter";
import { WatchdogPanel } from "@/components/jobs/watchdog-panel";
import { PageHeader } from "@/components/layout/page-header";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { executorConfig } from "@/inngest/executor/config";
import { JOBS_PAGE_SIZE, jobsFilterSchema, listRuns, runDetail } from "@/inngest/executor/jobs";
import { executorWorkers, recentStalls } from "@/inngest/executor/watchdog-jobs";
import { requireStaffPage } from "@/lib/auth/session";
import { messageOfEvent } from "@/lib/messages/delivered-by";
import { jobsPath } from "@/lib/routes";

export const metadata: Metadata = { title: "Jobs" };

export default async function JobsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await requireStaffPage(jobsPath());
  const filter = jobsFilterSchema.parse(await searchParams);
  const [runs, selected, executors, stalls] = await Promise.all([listRuns(filter), filter.run ? runDetail(filter.run) : null, executorWorkers(), recentStalls()]);
  const message = selected ? await messageOfEvent(selected.event.data) : null;
  return (
    <div className="mx-auto max-w-6xl space-y-6">
      <PageHeader
        breadcrumb={["Platform"]}
        title="Jobs"
        description={`Runs of the embedded Inngest executor (${JOBS_PAGE_SIZE} a page, newest first): deliveries, retries and recoveries, with each run's steps.`}
      />
      {executorConfig().mode === "inngest" ? (
        <Alert>
          <AlertTitle>Functions run on Inngest</AlertTitle>
          <AlertDescription>INNGEST_* is set, so Inngest drives the functions: their runs are in Inngest&apos;s dashboard, not here.</AlertDescription>
        </Alert>
      ) : null}
      <WatchdogPanel executors={executors} stalls={stalls} embedded={executorConfig().mode === "embedded"} />
      {filter.run && !selected ? <p className="text-sm text-muted-foreground">That run no longer exists.</p> : null}
      {selected ? <RunDetail run={selected} message={message} /> : null}
      <RunsTable page={runs} toolbar={<StatusFilter />} />
    </div>
  );
}
