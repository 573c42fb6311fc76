"use client";

import Link from "next/link";
import { useState } from "react";
import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { formatRate } from "@/components/endpoints/endpoint-health-cells";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { Time, useViewerTimeZone, ZoneName } from "@/components/ui/time";
import type { EndpointHealth } from "@/lib/endpoints/health";
import { messagePath } from "@/lib/routes";
import { formatClock, toDate } from "@/lib/time";

type Range = "24h" | "7d";

function Stat({ label, children, testId }: { label: string; children: React.ReactNode; testId?: string }) {
  return (
    <div className="grid gap-1 rounded-md border p-3" data-testid={testId}>
      <dt className="text-xs font-medium text-muted-foreground">{label}</dt>
      <dd className="text-sm font-medium">{children}</dd>
    </div>
  );
}

const hourLabel = (start: Date, range: Range, timeZone: string) => formatClock(start, { timeZone, weekday: range === "7d" });

/** An endpoint's health on its Overview: the numbers an admin asks first, then attempts per hour. */
export function EndpointHealthCard({ org, health }: { org: string; health: EndpointHealth | null }) {
  const [range, setRange] = useState<Range>("24h");
  const timeZone = useViewerTimeZone();
  if (!health) return null;
  const buckets = range === "24h" ? health.hourly24h : health.hourly7d;
  const data = buckets.map((b) => ({ at: toDate(b.start).getTime(), succeeded: b.attempts - b.failures, failed: b.failures }));
  const total = buckets.reduce((n, b) => n + b.attempts, 0);
  const failed = buckets.reduce((n, b) => n + b.failures, 0);
  const rate = total === 0 ? null : (total - failed) / total;
  return (
    <Card data-testid="endpoint-health-card">
      <CardHeader className="flex flex-row flex-wrap items-center justify-between gap-2">
        <CardTitle className="flex items-center gap-2">
          Health
          {health.failing ? <Badge variant="destructive">Failing</Badge> : null}
        </CardTitle>
        <div role="group" aria-label="Time range" className="flex gap-1">
          {(["24h", "7d"] as const).map((r) => (
            <Button key={r} size="sm" variant={range === r ? "default" : "outline"} aria-pressed={range === r} onClick={() => setRange(r)}>
              {r === "24h" ? "Last 24 h" : "Last 7 days"}
            </Button>
          ))}
        </div>
      </CardHeader>
      <CardContent className="grid gap-4">
        <dl className="grid grid-cols-2 gap-2 md:grid-cols-3 xl:grid-cols-6">
          <Stat label={`Success rate (${range === "24h" ? "24 h" : "7 days"})`} testId="health-success-rate">
            {formatRate(rate)}
          </Stat>
          <Stat label="Attempts / failed">
            <span className="tabular-nums">
              {total.toLocaleString()} / {failed.toLocaleString()}
            </span>
          </Stat>
          <Stat label="Current failure streak">
            <span className={health.failureStreak > 0 ? "text-destructive" : undefined}>
              {health.failureStreak === 0 ? "None" : `${health.failureStreak.toLocaleString()}${health.failureStreakCapped ? "+" : ""} failed in a row`}
            </span>
          </Stat>
          <Stat label="Last success">{health.lastSuccessAt ? <Time value={health.lastSuccessAt} /> : "Never"}</Stat>
          <Stat label="Last attempt">
            {health.lastAttempt ? (
              <span title={health.lastAttempt.diagnosis.sentence}>
                <Badge variant={health.lastAttempt.succeeded ? "success" : "destructive"}>{health.lastAttempt.diagnosis.label}</Badge> <Time value={health.lastAttempt.startedAt} />
              </span>
            ) : (
              "None yet"
            )}
          </Stat>
          <Stat label={`Oldest pending${health.pendingCount ? ` (of ${health.pendingCount.toLocaleString()})` : ""}`}>
            {health.oldestPending ? (
              <Link className="underline" href={messagePath(org, health.oldestPending.messageId)}>
                <Time value={health.oldestPending.createdAt} />
              </Link>
            ) : (
              "Nothing pending"
            )}
          </Stat>
        </dl>
        {health.lastAttempt && !health.lastAttempt.succeeded ? <p className="text-sm text-destructive">Last attempt: {health.lastAttempt.diagnosis.sentence}</p> : null}
        <figure className="grid gap-1">
          <figcaption className="text-sm text-muted-foreground">
            Attempts per hour, failed in red · times in <ZoneName />
          </figcaption>
          {total === 0 ? (
            <p className="rounded-md border border-dashed p-6 text-center text-sm text-muted-foreground">No attempts in this period.</p>
          ) : (
            <div className="h-48 w-full" data-testid="health-chart">
              <ResponsiveContainer width="100%" height="100%">
                <BarChart data={data} margin={{ top: 4, right: 4, bottom: 0, left: -16 }} barCategoryGap={1}>
                  <CartesianGrid vertical={false} stroke="var(--border)" />
                  <XAxis
                    dataKey="at"
                    tickFormatter={(v: number) => hourLabel(new Date(v), range, timeZone)}
                    tick={{ fontSize: 11, fill: "var(--muted-foreground)" }}
                    stroke="var(--border)"
                    minTickGap={24}
                  />
                  <YAxis allowDecimals={false} tick={{ fontSize: 11, fill: "var(--muted-foreground)" }} stroke="var(--border)" />
                  <Tooltip
                    cursor={{ fill: "var(--muted)" }}
                    contentStyle={{ background: "var(--popover)", border: "1px solid var(--border)", color: "var(--popover-foreground)", fontSize: 12 }}
                    labelFormatter={(v) => `Hour from ${hourLabel(new Date(Number(v)), "7d", timeZone)}`}
                  />
                  <Bar dataKey="succeeded" name="Succeeded" stackId="a" fill="var(--success)" isAnimationActive={false} />
                  <Bar dataKey="failed" name="Failed" stackId="a" fill="var(--destructive)" isAnimationActive={false} />
                </BarChart>
              </ResponsiveContainer>
            </div>
          )}
        </figure>
      </CardContent>
    </Card>
  );
}
