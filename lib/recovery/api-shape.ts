import type { TaskView } from "@/lib/recovery/tasks";

/**
 * Tasks as the API shows them, shaped like Svix's `BackgroundTaskOut` (`id`, `status` running |
 * finished | failed, `task`), with our progress in `data`.
 */

const TASK_TYPE = { RESEND_FAILED: "endpoint.recover", REPLAY_MISSING: "endpoint.replay", BULK_RESEND: "message.bulk_resend" } as const;

export function svixStatus(status: TaskView["status"]): "running" | "finished" | "failed" {
  if (status === "FINISHED") return "finished";
  if (status === "FAILED" || status === "CANCELLED") return "failed";
  return "running";
}

/** `RecoverOut` / `ReplayOut`: what starting a task answers. */
export function taskStarted(task: TaskView) {
  return { id: task.id, status: svixStatus(task.status), task: TASK_TYPE[task.kind] };
}

/** `BackgroundTaskOut`. */
export function taskOut(task: TaskView) {
  return {
    ...taskStarted(task),
    data: {
      state: task.status.toLowerCase(),
      endpointId: task.endpointId,
      total: task.total,
      processed: task.processed,
      succeeded: task.succeeded,
      failed: task.failed,
      pending: task.pending,
      skipped: task.skipped,
      cancelled: task.cancelled,
      params: task.params,
      error: task.error,
      createdBy: task.createdBy,
      createdAt: task.createdAt.toISOString(),
      startedAt: task.startedAt?.toISOString() ?? null,
      finishedAt: task.finishedAt?.toISOString() ?? null,
    },
  };
}
