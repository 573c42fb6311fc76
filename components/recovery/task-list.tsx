"use client";

import { ChevronRight, X } from "lucide-react";
import Link from "next/link";
import { useSyncExternalStore, useTransition } from "react";
import { toast } from "sonner";
import { cancelTaskAction } from "@/actions/recovery";
import type { TaskWire } from "@/lib/recovery/wire";
import { isActive, useRefreshTasks, useTasks } from "@/components/recovery/use-tasks";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Skeleton } from "@/components/ui/skeleton";
import { Time } from "@/components/ui/time";
import { endpointPath } from "@/lib/routes";
import { cn } from "@/lib/utils";

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

const FILTER_LABEL: Record<string, string> = { eventType: "event type", status: "status", since: "time", from: "from", to: "to", q: "search", endpointId: "endpoint", channel: "channel" };

/** A bulk resend's message-log filter in words ("event type contract.created · status failed"), or null when it had none. */
function filterWords(filter: unknown): React.ReactNode {
  if (typeof filter !== "object" || filter === null) return null;
  const parts = Object.entries(filter as Record<string, unknown>).filter(([, v]) => v !== undefined && v !== null && v !== "" && !(Array.isArray(v) && v.length === 0));
  if (!parts.length) return "every message";
  return parts.map(([key, value], i) => (
    <span key={key}>
      {i > 0 ? " · " : ""}
      {FILTER_LABEL[key] ?? key}{" "}
      {typeof value === "string" && /^\d{4}-\d{2}-\d{2}T/.test(value) ? <Time value={value} mode="absolute" /> : <span className="font-mono">{Array.isArray(value) ? value.join(", ") : String(value)}</span>}
    </span>
  ));
}

/** Which endpoint and which messages an operation covered: a list of them shows several side by side. */
function Scope({ org, task, onEndpointPage, endpointLabels }: { org: string; task: TaskWire; onEndpointPage: boolean; endpointLabels?: Record<string, string> }) {
  const target = task.endpointId ? (
    onEndpointPage ? (
      "this endpoint"
    ) : (
      <Link href={endpointPath(org, task.endpointId)} className="font-mono break-all underline-offset-4 hover:underline">
        {endpointLabels?.[task.endpointId] ?? `endpoint ${task.endpointId}`}
      </Link>
    )
  ) : (
    "every enabled endpoint"
  );
  const params = task.params as { filter?: unknown; includeDelivered?: boolean };
  return (
    <p className="text-sm" data-testid="recovery-scope">
      To {target}
      {task.kind === "BULK_RESEND" ? (
        <>
          {" "}
          · messages matching: {filterWords(params.filter)}
          {params.includeDelivered ? " (delivered ones too)" : ""}
        </>
      ) : null}
    </p>
  );
}

/** The bar's colour says the outcome before the numbers are read: red when all failed, amber when some did. */
function barColour(task: TaskWire): string {
  if (task.status === "FAILED" || (task.failed > 0 && task.succeeded === 0)) return "bg-destructive";
  if (task.failed > 0 || task.status === "CANCELLED") return "bg-warning";
  if (task.status === "FINISHED" && task.pending === 0) return "bg-success";
  return "bg-primary";
}

// Dismissed operations stay hidden in this browser; they are still in the organization's history (API).
const DISMISSED_KEY = "hookrelay:dismissed-recovery-tasks";
const dismissListeners = new Set<() => void>();

function readDismissed(): string {
  try {
    return localStorage.getItem(DISMISSED_KEY) ?? "[]";
  } catch {
    return "[]";
  }
}

/** The dismissed ids in a stored value; anything else (edited by hand, another version's) reads as none. */
function parseDismissed(raw: string): string[] {
  try {
    const value: unknown = JSON.parse(raw);
    return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
  } catch {
    return [];
  }
}

function dismiss(taskId: string) {
  const ids = new Set<string>(parseDismissed(readDismissed()));
  ids.add(taskId);
  try {
    // The newest hundred are enough: older operations drop out of the list anyway.
    localStorage.setItem(DISMISSED_KEY, JSON.stringify([...ids].slice(-100)));
  } catch {
    return;
  }
  dismissListeners.forEach((l) => l());
}

function useDismissed(): Set<string> {
  const raw = useSyncExternalStore(
    (listener) => {
      dismissListeners.add(listener);
      return () => dismissListeners.delete(listener);
    },
    readDismissed,
    () => "[]",
  );
  return new Set(parseDismissed(raw));
}

function TaskRow({
  org,
  task,
  canManage,
  onEndpointPage,
  endpointLabels,
  onChange,
}: {
  org: string;
  task: TaskWire;
  canManage: boolean;
  onEndpointPage: boolean;
  endpointLabels?: Record<string, string>;
  onChange: () => void;
}) {
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
  const settled = !active && task.pending === 0;
  return (
    <li className="rounded-md border" data-testid="recovery-task" data-status={task.status}>
      {/* Running operations stay open; a settled one folds to its one-line outcome, and can be dismissed. */}
      <details open={!settled} className="group">
        <summary className="flex cursor-pointer list-none flex-wrap items-center gap-2 rounded-md px-3 py-2 outline-none focus-visible:ring-2 focus-visible:ring-ring [&::-webkit-details-marker]:hidden">
          <ChevronRight aria-hidden className="size-4 shrink-0 transition-transform group-open:rotate-90" />
          <span className="font-medium">{KIND_LABEL[task.kind]}</span>
          <Badge variant={badgeVariant(task)} data-testid="recovery-progress">
            {progressLabel(task)}
          </Badge>
          <span className="text-sm text-muted-foreground" data-testid="recovery-outcome">
            {outcome(task)}
          </span>
        </summary>
        <div className="space-y-2 px-3 pb-3">
          <Scope org={org} task={task} onEndpointPage={onEndpointPage} endpointLabels={endpointLabels} />
          <div
            className="h-1.5 w-full overflow-hidden rounded-full bg-muted"
            role="progressbar"
            aria-label={`${KIND_LABEL[task.kind]} progress`}
            aria-valuemin={0}
            aria-valuemax={100}
            aria-valuenow={percent}
            aria-valuetext={`${percent}%: ${outcome(task)}`}
          >
            <div className={cn("h-full transition-[width]", barColour(task))} style={{ width: `${percent}%` }} data-testid="recovery-bar" />
          </div>
          {task.error ? <p className="text-sm text-destructive">{task.error}</p> : null}
          <p className="text-xs text-muted-foreground">
            {task.total === null ? "" : `${task.total} message${task.total === 1 ? "" : "s"}`} {window(task)} · by {task.createdBy} <Time value={task.createdAt} />
          </p>
        </div>
      </details>
      {canManage && active ? (
        <div className="flex justify-end px-3 pb-3">
          <Button variant="outline" size="sm" disabled={pending} onClick={cancel}>
            Cancel
          </Button>
        </div>
      ) : null}
      {settled ? (
        <div className="flex justify-end px-3 pb-2">
          <Button variant="ghost" size="sm" onClick={() => dismiss(task.id)} aria-label={`Dismiss ${KIND_LABEL[task.kind]}`}>
            <X aria-hidden /> Dismiss
          </Button>
        </div>
      ) : null}
    </li>
  );
}

/**
 * The latest recovery operations with their progress; owners and admins can cancel a running one.
 * `endpointLabels` (id → URL) names the endpoints of an organization-wide list.
 */
export function TaskList({
  org,
  endpointId,
  canManage,
  endpointLabels,
  title = "Recovery operations",
}: {
  org: string;
  endpointId: string | null;
  canManage: boolean;
  endpointLabels?: Record<string, string>;
  title?: string;
}) {
  const tasks = useTasks(org, endpointId);
  const refresh = useRefreshTasks(org, endpointId);
  const dismissed = useDismissed();
  if (tasks.isPending) return <Skeleton className="h-16 w-full" aria-label="Loading recovery operations" />;
  if (tasks.isError) return <p className="text-sm text-destructive">Recovery operations could not be loaded: {tasks.error.message}</p>;
  const shown = tasks.data.filter((t) => !dismissed.has(t.id));
  if (shown.length === 0) return null;
  return (
    <section aria-label={title} className="space-y-2" data-testid="recovery-tasks">
      <h3 className="text-sm font-medium">{title}</h3>
      <ul className="space-y-2">
        {shown.map((task) => (
          <TaskRow
            key={task.id}
            org={org}
            task={task}
            canManage={canManage}
            onEndpointPage={endpointId !== null}
            endpointLabels={endpointLabels}
            onChange={() => void refresh()}
          />
        ))}
      </ul>
    </section>
  );
}
