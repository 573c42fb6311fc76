import { z } from "zod";
import { db } from "@/lib/db";
import { ExecutorRunStatus } from "@/lib/generated/prisma/enums";

/** Read-only views of the embedded executor's runs for the staff Jobs page. */

export const JOBS_PAGE_SIZE = 100;

export const jobsFilterSchema = z.object({
  status: z.enum(ExecutorRunStatus).optional().catch(undefined),
  run: z.string().max(100).optional().catch(undefined),
});

export type JobsFilter = z.infer<typeof jobsFilterSchema>;

export async function listRuns(filter: JobsFilter) {
  return db.executorRun.findMany({
    where: filter.status ? { status: filter.status } : {},
    orderBy: { createdAt: "desc" },
    take: JOBS_PAGE_SIZE,
    select: {
      id: true,
      functionId: true,
      status: true,
      attempt: true,
      maxAttempts: true,
      wakeAt: true,
      createdAt: true,
      endedAt: true,
      stepCount: true,
      event: { select: { id: true, name: true } },
    },
  });
}

export type RunSummary = Awaited<ReturnType<typeof listRuns>>[number];

export async function runDetail(runId: string) {
  return db.executorRun.findUnique({
    where: { id: runId },
    include: {
      event: { select: { id: true, name: true, data: true, receivedAt: true } },
      steps: { orderBy: { seq: "asc" }, select: { seq: true, name: true, op: true, data: true, error: true, attempt: true, completedAt: true } },
    },
  });
}

export type RunDetail = NonNullable<Awaited<ReturnType<typeof runDetail>>>;
