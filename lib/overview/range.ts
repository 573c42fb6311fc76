import { z } from "zod";

/**
 * The overview's time ranges. Buckets are aligned to the clock (UTC), so a live refresh every few
 * seconds adds to the current bucket instead of shifting every bar; the last bucket is the one in
 * progress.
 */
export const OVERVIEW_RANGES = {
  hour: { label: "Last hour", bucketMs: 60_000, buckets: 60, per: "minute" },
  day: { label: "Last 24 hours", bucketMs: 15 * 60_000, buckets: 96, per: "15 minutes" },
  week: { label: "Last 7 days", bucketMs: 60 * 60_000, buckets: 168, per: "hour" },
} as const;

export type OverviewRange = keyof typeof OVERVIEW_RANGES;

export const overviewRangeSchema = z.enum(["hour", "day", "week"]);

/** The page's and the live route's search params; an unknown range falls back to the last hour. */
export const overviewQuerySchema = z.object({ range: overviewRangeSchema.catch("hour").default("hour") });

/** The window of a range at `now`: from the start of its first bucket to `now`. */
export function overviewWindow(range: OverviewRange, now: Date): { start: Date; end: Date; bucketMs: number; buckets: number } {
  const { bucketMs, buckets } = OVERVIEW_RANGES[range];
  const current = Math.floor(now.getTime() / bucketMs) * bucketMs;
  return { start: new Date(current - (buckets - 1) * bucketMs), end: now, bucketMs, buckets };
}
