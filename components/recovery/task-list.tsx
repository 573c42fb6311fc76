"use client";

import { useTransition } from "react";
import { toast } from "sonner";
import { cancelTaskAction } from "@/actions/recovery";
import type { TaskWire } from "@/lib/recovery/wire";
import { isActive, useRefreshTasks, useTasks } from "@/components/recovery/use-tasks";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Skeleton } from "@/components/ui/skeleton";
import { Time } from "@/components/ui/time";

const KIND_LABEL: Record<TaskWire["kind"], string> = {
  RESEND_FAILED: "Resend failed messages",
  REPLAY_MISSING: "Replay missing messages",
  BULK_RESEND: "Bulk resend",
};

/** "Queued", "Running 3/10", "Done" and the like: the words the progress panel and its tests read. */
export function progressLabel(task: TaskWire): string {
  const of = task.total === null ? "" : `${task.processed}/${task.total}`;
  switch (task.status) {
    case "QUEUED":
      return "Queued";
    case "RUNNING":
      return task.total === null ? "Starting" : `Running ${of}`;
    case "FINISHED":
      return "Done";
    case "CANCELLED":
      return of ? `Cancelled at ${of}` : "Cancelled";
    case "FAILED":
      return "Stopped";
  }
}

function badgeVariant(task: TaskWire): "success" | "warning" | "destructive" | "secondary" | "outline" {
  if (task.status === "FAILED") return "destructive";
  if (task.status === "FINISHED") return task.failed > 0 ? "warning" : "success";
  return isActive(task) ? "secondary" : "outline";
}

function outcome(task: TaskWire): string {
  const parts = [`${task.succeeded} succeeded`, `${task.failed} failed`];
  if (task.pending > 0) parts.push(`${task.pending} still being delivered`);
  if (task.skipped > 0) parts.push(`${task.skipped} skipped`);
  if (task.cancelled > 0) parts.push(`${task.cancelled} not sent (cancelled)`);
  return parts.join(" · ");
}

function window(task: TaskWire) {
  const { since, until } = task.params as { since?: string; until?: string };
  if (!since) return null;
  return (
    <>
      from <Time value={since} mode="absolute" /> to <Time value={until ?? null} mode="absolute" />
    </>
  );
}

function TaskRow({ org, task, canManage, onChange }: { org: string; task: TaskWire; canManage: boolean; onChange: () => void }) {
  const [pending, startTransition] = useTransition();
  const active = isActive(task);
  const percent = task.total ? Math.round((100 * task.processed) / task.total) : active ? 0 : 100;
  function cancel() {
    startTransition(async () => {
      const result = await cancelTaskAction({ org, taskId: task.id });
      if (!result.ok) toast.error(result.error);
      else toast.success("Cancelled: the batch in flight ends, nothing after it is sent");
      onChange();
    });
  }
  return (
    <li className="space-y-2 rounded-md border p-3" data-testid="recovery-task" data-status={task.status}>
      <div className="flex flex-wrap items-center gap-2">
        <span className="font-medium">{KIND_LABEL[task.kind]}</span>
        <Badge variant={badgeVariant(task)} data-testid="recovery-progress">
          {progressLabel(task)}
        </Badge>
        {canManage && active ? (
          <Button variant="outline" size="sm" className="ml-auto" disabled={pending} onClick={cancel}>
            Cancel
          </Button>
        ) : null}
      </div>
      <div
        className="h-1.5 w-full overflow-hidden rounded-full bg-muted"
        role="progressbar"
        aria-label={`${KIND_LABEL[task.kind]} progress`}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={percent}
      >
        <div className="h-full bg-primary transition-[width]" style={{ width: `${percent}%` }} />
      </div>
      <p className="text-sm text-muted-foreground" data-testid="recovery-outcome">
        {outcome(task)}
      </p>
      {task.error ? <p className="text-sm text-destructive">{task.error}</p> : null}
      <p className="text-xs text-muted-foreground">
        {task.total === null ? "" : `${task.total} message${task.total === 1 ? "" : "s"}`} {window(task)} · by {task.createdBy} <Time value={task.createdAt} />
      </p>
    </li>
  );
}

/** The latest recovery operations with their progress; owners and admins can cancel a running one. */
export function TaskList({ org, endpointId, canManage, title = "Recovery operations" }: { org: string; endpointId: string | null; canManage: boolean; title?: string }) {
  const tasks = useTasks(org, endpointId);
  const refresh = useRefreshTasks(org, endpointId);
  if (tasks.isPending) return <Skeleton className="h-16 w-full" aria-label="Loading recovery operations" />;
  if (tasks.isError) return <p className="text-sm text-destructive">Recovery operations could not be loaded: {tasks.error.message}</p>;
  if (tasks.data.length === 0) return null;
  return (
    <section aria-label={title} className="space-y-2" data-testid="recovery-tasks">
      <h3 className="text-sm font-medium">{title}</h3>
      <ul className="space-y-2">
        {tasks.data.map((task) => (
          <TaskRow key={task.id} org={org} task={task} canManage={canManage} onChange={() => void refresh()} />
        ))}
      </ul>
    </section>
  );
}
