import type { OverviewRange } from "@/lib/overview/range";

/** What the overview page and its live route send to the browser (times as epoch milliseconds). */

export interface OverviewBucket {
  /** Start of the bucket. */
  start: number;
  succeeded: number;
  failed: number;
  /** Failed over all attempts of the bucket, 0 to 1; null without attempts. */
  failureRate: number | null;
  /** Due deliveries not yet attempted at the end of the bucket (now, for the last one). */
  backlog: number;
  /** p95 of the wait from a delivery being due to its first attempt, for first attempts in the bucket. */
  p95FirstAttemptMs: number | null;
}

export interface FailingEndpoint {
  endpointId: string;
  /** The endpoint's description, or its URL without one. */
  name: string;
  url: string;
  organization: { slug: string; name: string };
  /** The endpoint's page in the dashboard (an operator endpoint's for the platform organization). */
  href: string;
  attempts: number;
  failed: number;
}

export interface Overview {
  range: OverviewRange;
  bucketMs: number;
  /** When the figures were read. */
  at: number;
  totals: { succeeded: number; failed: number; failureRate: number | null; p95FirstAttemptMs: number | null };
  backlog: { count: number; /** When the oldest waiting delivery became due; null when none waits. */ oldestDueAt: number | null };
  buckets: OverviewBucket[];
  topFailing: FailingEndpoint[];
}
