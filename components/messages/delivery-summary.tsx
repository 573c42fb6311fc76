"use client";

import { Time } from "@/components/ui/time";
import { scheduledFor, summarizeDeliveries, type DeliveryCounts, type SummaryTone } from "@/lib/messages/summary";
import { cn } from "@/lib/utils";

const DOT: Record<SummaryTone, string> = {
  muted: "bg-muted-foreground/50",
  success: "bg-success",
  failure: "bg-destructive",
  warning: "bg-warning",
  progress: "bg-primary animate-pulse",
};

/**
 * A message's deliveries in one line ("Failed on 1 of 3"), with a coloured dot for its tone; a
 * scheduled message still waiting for its `deliverAt` reads "Scheduled, due in 2 h" (a hollow dot).
 */
export function DeliverySummaryLine({ counts, deliverAt = null, className }: { counts: DeliveryCounts; deliverAt?: Date | null; className?: string }) {
  const scheduled = scheduledFor(counts, deliverAt);
  if (scheduled) {
    const to = counts.total === 0 ? "no endpoint subscribed" : `${counts.total} endpoint${counts.total === 1 ? "" : "s"}`;
    return (
      <span className={cn("inline-flex items-start gap-2 text-sm", className)} data-tone="scheduled" data-testid="scheduled">
        <span aria-hidden className="mt-1.5 size-2 shrink-0 rounded-full border border-primary" />
        <span>
          Scheduled, due <Time value={scheduled} /> <span className="text-muted-foreground">· {to}</span>
        </span>
      </span>
    );
  }
  const { tone, text } = summarizeDeliveries(counts);
  return (
    <span className={cn("inline-flex items-start gap-2 text-sm", className)} data-tone={tone}>
      <span aria-hidden className={cn("mt-1.5 size-2 shrink-0 rounded-full", DOT[tone])} />
      {/* "next attempt in 4 min" depends on the clock, which moves between the server render and hydration. */}
      <span suppressHydrationWarning>{text}</span>
    </span>
  );
}

/** Counts as they come back from JSON (the live route), with the date revived. */
export function reviveCounts(counts: Omit<DeliveryCounts, "nextAttemptAt"> & { nextAttemptAt: string | Date | null }): DeliveryCounts {
  return { ...counts, nextAttemptAt: counts.nextAttemptAt ? new Date(counts.nextAttemptAt) : null };
}

export const isUnfinished = (c: DeliveryCounts) => c.queued + c.retrying + c.sending > 0;
