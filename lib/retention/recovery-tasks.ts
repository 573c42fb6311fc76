import { db } from "@/lib/db";
import type { Prisma } from "@/lib/generated/prisma/client";

/**
 * Recovery tasks (docs/recovery.md) are history like the messages they sent: a task that ended
 * before the cutoff goes, its items first (a task may hold many), then the task once it has none.
 * Never a queued or running task. Each call is one statement, one short transaction.
 */

type Client = Pick<Prisma.TransactionClient, "$executeRaw">;

/** Deletes up to `batchSize` items of tasks that ended before `cutoff`. */
export async function deleteTaskItemsBefore(cutoff: Date, batchSize: number, client: Client = db): Promise<number> {
  return client.$executeRaw`
    DELETE FROM "BackgroundTaskItem" WHERE ("taskId", seq) IN (
      SELECT i."taskId", i.seq
        FROM "BackgroundTask" t
        JOIN "BackgroundTaskItem" i ON i."taskId" = t.id
       WHERE t."finishedAt" < ${cutoff} AND t.status IN ('FINISHED', 'FAILED', 'CANCELLED')
       LIMIT ${batchSize})`;
}

/** Deletes up to `batchSize` tasks that ended before `cutoff` and have no items left, oldest first. */
export async function deleteTasksBefore(cutoff: Date, batchSize: number, client: Client = db): Promise<number> {
  return client.$executeRaw`
    DELETE FROM "BackgroundTask" WHERE id = ANY(ARRAY(
      SELECT t.id FROM "BackgroundTask" t
       WHERE t."finishedAt" < ${cutoff} AND t.status IN ('FINISHED', 'FAILED', 'CANCELLED')
         AND NOT EXISTS (SELECT 1 FROM "BackgroundTaskItem" i WHERE i."taskId" = t.id)
       ORDER BY t."finishedAt"
       LIMIT ${batchSize}))`;
}
