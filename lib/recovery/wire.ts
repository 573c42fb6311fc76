import type { TaskView } from "@/lib/recovery/tasks";

/** A recovery task as the browser gets it from the dashboard's actions: dates as ISO text. */
export type TaskWire = Omit<TaskView, "createdAt" | "startedAt" | "finishedAt"> & { createdAt: string; startedAt: string | null; finishedAt: string | null };

export function toTaskWire(task: TaskView): TaskWire {
  return {
    ...task,
    createdAt: task.createdAt.toISOString(),
    startedAt: task.startedAt?.toISOString() ?? null,
    finishedAt: task.finishedAt?.toISOString() ?? null,
  };
}
