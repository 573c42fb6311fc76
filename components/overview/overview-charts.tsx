"use client";

import { Area, AreaChart, Bar, BarChart, CartesianGrid, Line, LineChart, XAxis, YAxis } from "recharts";
import { formatPercent, formatWait, formatWaitTick } from "@/components/overview/format";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { ChartContainer, ChartLegend, ChartLegendContent, ChartTooltip, ChartTooltipContent, type ChartConfig } from "@/components/ui/chart";
import type { OverviewBucket } from "@/lib/overview/wire";

const attemptsConfig = {
  succeeded: { label: "Succeeded", color: "var(--success)" },
  failed: { label: "Failed", color: "var(--destructive)" },
} satisfies ChartConfig;
const failureConfig = { failureRate: { label: "Failure rate", color: "var(--destructive)" } } satisfies ChartConfig;
const backlogConfig = { backlog: { label: "Waiting", color: "var(--warning)" } } satisfies ChartConfig;
const latencyConfig = { p95FirstAttemptMs: { label: "p95 wait", color: "var(--primary)" } } satisfies ChartConfig;

const MARGIN = { top: 4, right: 8, bottom: 0, left: 0 };

interface ChartProps {
  buckets: OverviewBucket[];
  /** The axis and tooltip label of a bucket's start (lib/time, the viewer's zone). */
  label: (start: number) => string;
  /** "minute", "15 minutes", "hour". */
  per: string;
  /** "Times in CET". */
  zoneNote: string;
}

function ChartCard({ title, description, summary, children }: { title: string; description: string; summary: string; children: React.ReactNode }) {
  return (
    <Card className="gap-3">
      <CardHeader className="px-4 sm:px-6">
        <CardTitle className="text-base">{title}</CardTitle>
        <CardDescription>{description}</CardDescription>
      </CardHeader>
      {/* The chart is a picture of the table below the charts; its summary is what a screen reader hears. */}
      <CardContent role="img" aria-label={summary} className="px-2 sm:px-6">
        {children}
      </CardContent>
    </Card>
  );
}

function axes(label: (start: number) => string, y: { tickFormatter?: (value: number) => string; domain?: [number, number]; width?: number } = {}) {
  return [
    <CartesianGrid key="grid" vertical={false} />,
    <XAxis key="x" dataKey="start" tickFormatter={label} minTickGap={32} tickLine={false} />,
    <YAxis key="y" width={y.width ?? 48} allowDecimals={y.domain !== undefined} tickFormatter={y.tickFormatter} domain={y.domain} tickLine={false} />,
  ];
}

export function OverviewCharts({ buckets, label, per, zoneNote }: ChartProps) {
  const attempts = buckets.reduce((n, b) => n + b.succeeded + b.failed, 0);
  const failed = buckets.reduce((n, b) => n + b.failed, 0);
  const peakBacklog = Math.max(0, ...buckets.map((b) => b.backlog));
  const waits = buckets.flatMap((b) => (b.p95FirstAttemptMs === null ? [] : [b.p95FirstAttemptMs]));
  const tooltipLabel = (value: unknown) => `${label(Number(value))} (${zoneNote})`;
  return (
    <div className="grid gap-4 lg:grid-cols-2">
      <ChartCard
        title={`Attempts per ${per}`}
        description={`By outcome. ${zoneNote}.`}
        summary={`Attempts per ${per}: ${attempts.toLocaleString()} in all, ${failed.toLocaleString()} failed.`}
      >
        <ChartContainer config={attemptsConfig}>
          <BarChart data={buckets} margin={MARGIN} barCategoryGap={1}>
            {axes(label)}
            <ChartTooltip content={<ChartTooltipContent labelFormatter={tooltipLabel} />} />
            <ChartLegend content={<ChartLegendContent />} />
            <Bar dataKey="succeeded" stackId="a" fill="var(--color-succeeded)" isAnimationActive={false} />
            <Bar dataKey="failed" stackId="a" fill="var(--color-failed)" isAnimationActive={false} />
          </BarChart>
        </ChartContainer>
      </ChartCard>
      <ChartCard
        title="Failure rate"
        description={`Failed attempts over all attempts, per ${per}; a gap where nothing was attempted.`}
        summary={`Failure rate per ${per}: ${formatPercent(attempts === 0 ? null : failed / attempts)} over the range.`}
      >
        <ChartContainer config={failureConfig}>
          <LineChart data={buckets} margin={MARGIN}>
            {/* A rate: 0 to 100 % whatever the data, so one failure among few attempts does not fill the chart. */}
            {axes(label, { tickFormatter: (v) => `${Math.round(v * 100)} %`, domain: [0, 1], width: 56 })}
            <ChartTooltip content={<ChartTooltipContent labelFormatter={tooltipLabel} valueFormatter={(v) => formatPercent(v)} />} />
            <Line dataKey="failureRate" type="linear" stroke="var(--color-failureRate)" strokeWidth={2} dot={false} connectNulls={false} isAnimationActive={false} />
          </LineChart>
        </ChartContainer>
      </ChartCard>
      <ChartCard
        title="Backlog"
        description={`Deliveries due and not yet attempted, at the end of each ${per}.`}
        summary={`Backlog: at most ${peakBacklog.toLocaleString()} waiting in the range; ${(buckets.at(-1)?.backlog ?? 0).toLocaleString()} now.`}
      >
        <ChartContainer config={backlogConfig}>
          <AreaChart data={buckets} margin={MARGIN}>
            {axes(label)}
            <ChartTooltip content={<ChartTooltipContent labelFormatter={tooltipLabel} />} />
            <Area dataKey="backlog" type="stepAfter" stroke="var(--color-backlog)" fill="var(--color-backlog)" fillOpacity={0.3} isAnimationActive={false} />
          </AreaChart>
        </ChartContainer>
      </ChartCard>
      <ChartCard
        title="Wait for a first attempt (p95)"
        description={`From a delivery being due (accepted, or its scheduled time) to its first attempt, per ${per}.`}
        summary={`p95 wait for a first attempt: at most ${formatWait(waits.length ? Math.max(...waits) : null)} in any ${per} of the range.`}
      >
        <ChartContainer config={latencyConfig}>
          <LineChart data={buckets} margin={MARGIN}>
            {axes(label, { tickFormatter: formatWaitTick, width: 64 })}
            <ChartTooltip content={<ChartTooltipContent labelFormatter={tooltipLabel} valueFormatter={(v) => formatWait(v)} />} />
            <Line dataKey="p95FirstAttemptMs" type="linear" stroke="var(--color-p95FirstAttemptMs)" strokeWidth={2} dot={false} connectNulls={false} isAnimationActive={false} />
          </LineChart>
        </ChartContainer>
      </ChartCard>
    </div>
  );
}
