import type { TaskWire } from "@/lib/recovery/wire";

/** While an operation is queued or running its progress is re-read this often. */
const POLL_MS = 1_000;
/**
 * A finished operation whose deliveries are still under way (a replay schedules first attempts,
 * which the delivery pipeline makes afterwards; a failing endpoint keeps them retrying) is re-read
 * this often, so its outcome does not stay at "still being delivered" until a reload.
 */
const DELIVERING_POLL_MS = 5_000;

export const isActive = (task: Pick<TaskWire, "status">) => task.status === "QUEUED" || task.status === "RUNNING";

/** How often the list is re-read: fast while an operation runs, slower while only deliveries are pending, else never. */
export function pollInterval(tasks: Pick<TaskWire, "status" | "pending">[] | undefined): number | false {
  if (tasks?.some(isActive)) return POLL_MS;
  if (tasks?.some((task) => task.pending > 0)) return DELIVERING_POLL_MS;
  return false;
}
