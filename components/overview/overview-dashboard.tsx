"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { useUrlState } from "@/components/data-table/use-url-state";
import { FailingEndpoints } from "@/components/overview/failing-endpoints";
import { OverviewCharts } from "@/components/overview/overview-charts";
import { OverviewTable } from "@/components/overview/overview-table";
import { formatPercent, formatWait } from "@/components/overview/format";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { Time, useViewerClock } from "@/components/ui/time";
import { OVERVIEW_RANGES, type OverviewRange } from "@/lib/overview/range";
import type { Overview } from "@/lib/overview/wire";
import { formatClock, formatZoneName } from "@/lib/time";

/** How often the figures are read again while the tab is visible. */
export const OVERVIEW_LIVE_MS = 10_000;

function Stat({ label, children, testId, hint }: { label: string; children: React.ReactNode; testId: string; hint?: React.ReactNode }) {
  return (
    <div className="grid content-start gap-1 rounded-md border p-3" data-testid={testId}>
      <dt className="text-xs font-medium text-muted-foreground">{label}</dt>
      <dd className="text-lg font-semibold tabular-nums">{children}</dd>
      {hint ? <dd className="text-xs text-muted-foreground">{hint}</dd> : null}
    </div>
  );
}

/**
 * Delivery figures over the last hour, day or week, read again every OVERVIEW_LIVE_MS while the
 * tab is visible: the platform's (`acrossOrganizations`, with each failing endpoint's
 * organization) or one organization's. The range is in the URL, so a view can be shared.
 */
export function OverviewDashboard({ initial, livePath, acrossOrganizations = false }: { initial: Overview; livePath: string; acrossOrganizations?: boolean }) {
  const url = useUrlState();
  const [range, setRange] = useState<OverviewRange>(initial.range);
  const live = useQuery({
    queryKey: ["overview", livePath, range],
    queryFn: async (): Promise<Overview> => {
      const response = await fetch(`${livePath}?range=${range}`, { cache: "no-store" });
      if (!response.ok) throw new Error(`overview answered ${response.status}`);
      return (await response.json()) as Overview;
    },
    initialData: range === initial.range ? initial : undefined,
    initialDataUpdatedAt: initial.at,
    placeholderData: keepPreviousData,
    refetchInterval: OVERVIEW_LIVE_MS,
    refetchIntervalInBackground: false,
    staleTime: 0,
  });
  const viewer = useViewerClock();
  const data = live.data ?? initial;
  const timeZone = viewer?.timeZone ?? "UTC";
  const spec = OVERVIEW_RANGES[data.range];
  const label = (start: number) => formatClock(start, { timeZone, weekday: data.range === "week" });
  const zoneNote = `Times in ${formatZoneName(data.at, timeZone)}`;
  const { totals, backlog } = data;
  const attempts = totals.succeeded + totals.failed;

  function choose(next: OverviewRange) {
    setRange(next);
    url.set({ range: next === "hour" ? null : next });
  }

  return (
    <div className="space-y-4" data-testid="overview" aria-busy={live.isFetching && live.isPlaceholderData}>
      <div className="flex flex-wrap items-center justify-between gap-2">
        <div role="group" aria-label="Time range" className="flex flex-wrap gap-1">
          {(Object.keys(OVERVIEW_RANGES) as OverviewRange[]).map((r) => (
            <Button key={r} size="sm" variant={range === r ? "default" : "outline"} aria-pressed={range === r} onClick={() => choose(r)}>
              {OVERVIEW_RANGES[r].label}
            </Button>
          ))}
        </div>
        <p className="text-xs text-muted-foreground" aria-live="polite" data-testid="overview-updated">
          {live.isError ? "Live updates paused: the figures could not be read. Retrying…" : (
            <>
              Live · figures of <Time value={data.at} mode="absolute" />
            </>
          )}
        </p>
      </div>

      <dl className="grid grid-cols-2 gap-2 md:grid-cols-3 xl:grid-cols-5">
        <Stat label="Attempts" testId="overview-attempts" hint={`${totals.succeeded.toLocaleString()} succeeded · ${totals.failed.toLocaleString()} failed`}>
          {attempts.toLocaleString()}
        </Stat>
        <Stat label="Failure rate" testId="overview-failure-rate" hint="Failed attempts over all attempts">
          <span className={totals.failed > 0 ? "text-destructive" : undefined}>{formatPercent(totals.failureRate)}</span>
        </Stat>
        <Stat label="Backlog now" testId="overview-backlog" hint="Due, not yet attempted">
          {backlog.count.toLocaleString()}
        </Stat>
        <Stat
          label="Oldest waiting"
          testId="overview-oldest"
          hint={backlog.oldestDueAt === null ? "Nothing waits" : <>due <Time value={backlog.oldestDueAt} /></>}
        >
          {backlog.oldestDueAt === null ? "—" : formatWait(data.at - backlog.oldestDueAt)}
        </Stat>
        <Stat label="p95 wait for a first attempt" testId="overview-p95" hint="From due to the first attempt">
          {formatWait(totals.p95FirstAttemptMs)}
        </Stat>
      </dl>

      <OverviewCharts buckets={data.buckets} label={label} per={spec.per} zoneNote={zoneNote} />
      <OverviewTable buckets={data.buckets} label={(start) => formatClock(start, { timeZone, weekday: data.range !== "hour" })} per={spec.per} zoneNote={zoneNote} />

      <Card className="gap-3">
        <CardHeader className="px-4 sm:px-6">
          <CardTitle className="text-base">Endpoints failing most</CardTitle>
          <p className="text-sm text-muted-foreground">{acrossOrganizations ? "Across every organization, by" : "By"} failed attempts in this range.</p>
        </CardHeader>
        <CardContent className="px-2 sm:px-6">
          <FailingEndpoints endpoints={data.topFailing} acrossOrganizations={acrossOrganizations} />
        </CardContent>
      </Card>
    </div>
  );
}
