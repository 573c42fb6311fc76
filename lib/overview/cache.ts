import { readOverview, type OverviewScope } from "@/lib/overview/query";
import type { OverviewRange } from "@/lib/overview/range";
import type { Overview } from "@/lib/overview/wire";

/**
 * The figures of a scope and range are read at most once per `FRESH_MS` per process, however many
 * viewers poll them, and a read in progress is shared. A day's or a week's figures cost a pass over
 * every first attempt of the range (docs/benchmarks.md, "Issue 25 overview"), while their buckets
 * are 15 minutes and an hour long: reading them every 10 s per viewer would buy nothing.
 */
export const FRESH_MS: Record<OverviewRange, number> = { hour: 5_000, day: 30_000, week: 120_000 };
const MAX_ENTRIES = 500;

const entries = new Map<string, { at: number; overview: Promise<Overview> }>();

export function cachedOverview(scope: OverviewScope, range: OverviewRange, now: number = Date.now()): Promise<Overview> {
  const key = `${scope === "platform" ? "platform" : scope.organizationId}|${range}`;
  const hit = entries.get(key);
  if (hit && now - hit.at < FRESH_MS[range]) return hit.overview;
  const overview: Promise<Overview> = readOverview(scope, range).catch((error: unknown) => {
    // Only this read's entry: a newer read of the same key may have replaced it meanwhile.
    if (entries.get(key)?.overview === overview) entries.delete(key);
    throw error;
  });
  entries.delete(key);
  entries.set(key, { at: now, overview });
  // Oldest first: a Map iterates in insertion order, and a refreshed entry is inserted again.
  for (const stale of entries.keys()) {
    if (entries.size <= MAX_ENTRIES) break;
    entries.delete(stale);
  }
  return overview;
}
