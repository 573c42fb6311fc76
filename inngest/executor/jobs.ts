import { z } from "zod";
import { db } from "@/lib/db";
import { ExecutorRunStatus } from "@/lib/generated/prisma/enums";
import { decodeCursor, keysetPlan, toPage } from "@/lib/db/keyset";

/** Read-only views of the embedded executor's runs for the staff Jobs page. */

export const JOBS_PAGE_SIZE = 50;

export const jobsFilterSchema = z.object({
  status: z.enum(ExecutorRunStatus).optional().catch(undefined),
  run: z.string().max(100).optional().catch(undefined),
  /** Newest first unless `createdAt` (oldest first). */
  sort: z.enum(["createdAt", "-createdAt"]).optional().catch(undefined),
  cursor: z.string().max(512).optional().catch(undefined),
});

export type JobsFilter = z.infer<typeof jobsFilterSchema>;

/** One keyset page of runs in start order (see lib/db/keyset.ts). */
export async function listRuns(filter: JobsFilter) {
  const cursor = decodeCursor(filter.cursor) ?? undefined;
  const plan = keysetPlan(cursor, JOBS_PAGE_SIZE, filter.sort === "createdAt" ? "asc" : "desc");
  const { beyond } = plan;
  // Rows past the key in scan order; the id breaks ties between runs created in the same millisecond.
  const keyset = !beyond
    ? {}
    : beyond.op === "lt"
      ? { OR: [{ createdAt: { lt: beyond.at } }, { createdAt: beyond.at, id: { lt: beyond.id } }] }
      : { OR: [{ createdAt: { gt: beyond.at } }, { createdAt: beyond.at, id: { gt: beyond.id } }] };
  const rows = await db.executorRun.findMany({
    where: {
      ...(filter.status ? { status: filter.status } : {}),
      ...keyset,
    },
    orderBy: [{ createdAt: plan.scanOrder }, { id: plan.scanOrder }],
    take: plan.take,
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
  return toPage(rows, (run) => ({ at: run.createdAt, id: run.id }), cursor, JOBS_PAGE_SIZE);
}

export type RunSummary = Awaited<ReturnType<typeof listRuns>>["items"][number];

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
