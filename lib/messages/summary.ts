/**
 * A message's deliveries in one line for the message logs: counts per state over its deliveries
 * (computed in the list query) and the soonest next attempt.
 */
export interface DeliveryCounts {
  total: number;
  succeeded: number;
  failed: number;
  /** Pending and not attempted yet. */
  queued: number;
  /** Pending after at least one failed attempt. */
  retrying: number;
  sending: number;
  /** The soonest scheduled attempt among the pending deliveries. */
  nextAttemptAt: Date | null;
}

/** `warning`: retrying after a failed attempt; `failure`: at least one delivery failed for good. */
export type SummaryTone = "muted" | "success" | "failure" | "warning" | "progress";

export interface DeliverySummary {
  tone: SummaryTone;
  text: string;
}

const endpoints = (n: number) => `${n} endpoint${n === 1 ? "" : "s"}`;

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** `in 4 min`, `in 3 h`, `in 2 days`; a time already passed is due now (the worker is on it). */
export function nextAttemptPhrase(at: Date, now: Date): string {
  const ms = at.getTime() - now.getTime();
  if (ms <= 0) return "next attempt due now";
  if (ms < MINUTE) return "next attempt in less than a minute";
  if (ms < HOUR) return `next attempt in ${Math.round(ms / MINUTE)} min`;
  if (ms < 2 * DAY) return `next attempt in ${Math.round(ms / HOUR)} h`;
  return `next attempt in ${Math.round(ms / DAY)} days`;
}

/**
 * When a scheduled message (Svix's `deliverAt`) is due, while it still waits: its time is ahead and
 * none of its deliveries has been attempted or stopped. Null once it is under way, or never scheduled.
 */
export function scheduledFor(counts: DeliveryCounts, deliverAt: Date | null, now: Date = new Date()): Date | null {
  if (!deliverAt || deliverAt.getTime() <= now.getTime()) return null;
  return counts.queued === counts.total ? deliverAt : null;
}

export function summarizeDeliveries(counts: DeliveryCounts, now: Date = new Date()): DeliverySummary {
  const { total, succeeded, failed, queued, retrying, sending, nextAttemptAt } = counts;
  if (total === 0) return { tone: "muted", text: "No endpoint subscribed" };
  const unfinished = queued + retrying + sending;
  if (unfinished === 0) {
    if (failed === 0) return { tone: "success", text: `Delivered to ${endpoints(total)}` };
    return { tone: "failure", text: `Failed on ${failed} of ${total}` };
  }
  const next = nextAttemptAt ? `, ${nextAttemptPhrase(nextAttemptAt, now)}` : "";
  const tone: SummaryTone = failed > 0 ? "failure" : retrying > 0 ? "warning" : "progress";
  if (sending === total) return { tone, text: `Sending to ${endpoints(total)}` };
  if (queued === total) return { tone, text: `Waiting to send to ${endpoints(total)}` };
  if (retrying === total) return { tone, text: `Retrying ${endpoints(total)}${next}` };
  const parts = [
    [succeeded, "succeeded"],
    [failed, "failed"],
    [sending, "sending"],
    [queued, "waiting"],
    [retrying, "retrying"],
  ] as const;
  const listed = parts.filter(([n]) => n > 0).map(([n, label]) => `${n} ${label}`);
  return { tone, text: `${endpoints(total)}: ${listed.join(", ")}${next}` };
}
