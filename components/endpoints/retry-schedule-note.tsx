import type { ScheduleStep } from "@/lib/delivery/schedule";

/** How deliveries are retried, from the schedule in force (WEBHOOK_RETRY_SCHEDULE or the default). */
export function RetryScheduleNote({ steps, timeoutMs }: { steps: ScheduleStep[]; timeoutMs: number }) {
  const retries = steps.slice(1);
  return (
    <p className="text-sm text-muted-foreground" data-testid="retry-schedule">
      Each endpoint must answer with a 2xx status within {timeoutMs / 1000} seconds. Otherwise the message is retried{" "}
      {retries.length === 0 ? "never" : `${retries.length} times: ${retries.map((s) => s.label).join(", ")}`}; after the last
      failure it is marked failed for that endpoint.
    </p>
  );
}
