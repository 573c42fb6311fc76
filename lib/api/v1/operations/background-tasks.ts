import { z } from "zod";
import type { ApiPrincipal } from "@/lib/api/authenticate";
import { apiError, defineOperation, type AnyOperation } from "@/lib/api/v1/operation";
import { dateTimeOut, iteratorPosition, listAnswer, listOf, orderedListQuery, sortOrderOf } from "@/lib/api/v1/schemas";
import { db } from "@/lib/db";
import type { BackgroundTaskKind, BackgroundTaskStatus } from "@/lib/generated/prisma/client";
import { taskOut } from "@/lib/recovery/api-shape";
import { ids } from "@/lib/ids";
import { getTask, listTaskPage, type TaskView } from "@/lib/recovery/tasks";

/**
 * Svix's Background Task calls: the recovery operations (docs/recovery.md) and their progress.
 * An organization key sees its own organization's tasks only; a platform key sees every one.
 */

/** Svix's `BackgroundTaskStatus`. */
const TASK_STATUSES = ["running", "finished", "failed"] as const;
const STATUS_OF: Record<(typeof TASK_STATUSES)[number], BackgroundTaskStatus[]> = {
  running: ["QUEUED", "RUNNING"],
  finished: ["FINISHED"],
  failed: ["FAILED", "CANCELLED"],
};

/**
 * Svix's `BackgroundTaskType` values for our kinds. A bulk resend (the message logs' filter resent,
 * from the dashboard) is the nearest thing to Svix's `endpoint.bulk-replay`.
 */
const TASK_TYPE: Record<BackgroundTaskKind, "endpoint.recover" | "endpoint.replay" | "endpoint.bulk-replay"> = {
  RESEND_FAILED: "endpoint.recover",
  REPLAY_MISSING: "endpoint.replay",
  BULK_RESEND: "endpoint.bulk-replay",
};
const TASK_TYPES = ["endpoint.recover", "endpoint.replay", "endpoint.bulk-replay"] as const;
const KIND_OF = Object.fromEntries(Object.entries(TASK_TYPE).map(([kind, type]) => [type, kind as BackgroundTaskKind])) as Record<(typeof TASK_TYPES)[number], BackgroundTaskKind>;

const backgroundTaskOut = z
  .object({
    id: z.string().meta({ description: "The task id (`qtask_…`)." }),
    status: z.enum(TASK_STATUSES).meta({ id: "BackgroundTaskStatus", description: "running (queued or running), finished, or failed (failed or cancelled: `data.state` says which)." }),
    task: z.enum(TASK_TYPES).meta({ id: "BackgroundTaskType", description: "endpoint.recover (resend failed), endpoint.replay (replay missing), endpoint.bulk-replay (a bulk resend from the message logs)." }),
    updatedAt: dateTimeOut.meta({ description: "The task's last change: when it finished, started, or was created." }),
    data: z.record(z.string(), z.unknown()).meta({ description: "Progress: `state`, `endpointId`, `total`, `processed`, `succeeded`, `failed`, `pending`, `skipped`, `cancelled`, `params`, `error`, `createdBy`, `createdAt`, `startedAt`, `finishedAt`." }),
  })
  .meta({ id: "BackgroundTaskOut" });

function backgroundTaskOutOf(task: TaskView): z.input<typeof backgroundTaskOut> {
  return { ...taskOut(task), task: TASK_TYPE[task.kind], updatedAt: task.finishedAt ?? task.startedAt ?? task.createdAt };
}

/** The organization whose tasks the key sees; null for a platform key (every organization). */
function scopeOf(principal: ApiPrincipal): string | null {
  if (principal.scope === "PLATFORM") return null;
  if (!principal.organizationId) throw apiError("forbidden", "This organization API key has no organization.");
  return principal.organizationId;
}

const TASK_ID = /^qtask_[0-9A-Za-z]{8,64}$/;

export const backgroundTasksOperations: AnyOperation[] = [
  defineOperation({
    method: "GET",
    path: "/api/v1/background-task",
    operationId: "v1.background-task.list",
    tag: "Background Task",
    summary: "List background tasks",
    description: "Recovery operations, newest first (oldest first with `order=ascending`): an organization key's own organization's, every organization's for a platform key.",
    access: "any",
    query: orderedListQuery.extend({
      status: z.enum(TASK_STATUSES, { message: `status is one of: ${TASK_STATUSES.join(", ")}` }).optional(),
      task: z.enum(TASK_TYPES, { message: `task is one of: ${TASK_TYPES.join(", ")}` }).optional(),
    }),
    response: { status: 200, description: "A page of tasks.", schema: listOf(backgroundTaskOut, "BackgroundTaskOut") },
    handler: async ({ principal, query }) => {
      const organizationId = scopeOf(principal);
      const order = sortOrderOf(query.order);
      const read = await iteratorPosition(query.iterator, {
        noun: "background task",
        accepts: ids.task.is,
        find: async (id) => {
          const task = await db.backgroundTask.findFirst({ where: { id, ...(organizationId ? { organizationId } : {}) }, select: { id: true, createdAt: true } });
          return task && { at: task.createdAt, id: task.id };
        },
      }, order);
      const page = await listTaskPage(organizationId, {
        statuses: query.status ? STATUS_OF[query.status] : undefined,
        kinds: query.task ? [KIND_OF[query.task]] : undefined,
        cursor: read,
        limit: query.limit,
        order,
      });
      return listAnswer(page, read, (task) => task.id, backgroundTaskOutOf);
    },
  }),
  defineOperation({
    method: "GET",
    path: "/api/v1/background-task/{task_id}",
    operationId: "v1.background-task.get",
    tag: "Background Task",
    summary: "Get background task",
    description: "One task and its progress. Another organization's task is not found for an organization key.",
    access: "any",
    params: z.object({ task_id: z.string().min(1).max(100).meta({ description: "The task id (`qtask_…`)." }) }),
    response: { status: 200, description: "The task.", schema: backgroundTaskOut },
    handler: async ({ principal, params }) => {
      const task = TASK_ID.test(params.task_id) ? await getTask(scopeOf(principal), params.task_id) : null;
      if (!task) throw apiError("not_found", `No background task ${params.task_id}.`);
      return backgroundTaskOutOf(task);
    },
  }),
];
