"use client";

import { Suspense, use } from "react";
import { Badge } from "@/components/ui/badge";
import { EndpointStatusBadge } from "@/components/endpoints/endpoint-status-badge";
import { Skeleton } from "@/components/ui/skeleton";
import { Time } from "@/components/ui/time";
import type { ListHealth } from "@/lib/endpoints/list-health";
import { cn } from "@/lib/utils";

/** Every row's health, still on its way: the table renders without it and each cell fills in. */
export type HealthPromise = Promise<Record<string, ListHealth>>;

export function formatRate(rate: number | null): string {
  if (rate === null) return "—";
  const percent = rate * 100;
  // 99.96 % must not read as 100 %: only a perfect record says 100.
  if (percent === 100 || percent === 0) return `${percent} %`;
  return `${percent >= 99.9 ? "99.9" : percent.toFixed(percent >= 10 ? 0 : 1)} %`;
}

/** 24 hour-long bars: failures stacked red over successes; an empty hour is a dot on the baseline. */
export function Sparkline({ hourly, className }: { hourly: [number, number][]; className?: string }) {
  const max = Math.max(1, ...hourly.map(([attempts]) => attempts));
  const bar = 4;
  const gap = 1;
  const height = 20;
  const width = hourly.length * (bar + gap) - gap;
  const failures = hourly.reduce((n, [, f]) => n + f, 0);
  const attempts = hourly.reduce((n, [a]) => n + a, 0);
  return (
    <svg viewBox={`0 0 ${width} ${height}`} width={width} height={height} className={cn("shrink-0", className)} role="img" aria-label={`Last 24 hours: ${attempts} attempts, ${failures} failed`}>
      {hourly.map(([a, f], i) => {
        const x = i * (bar + gap);
        if (a === 0) return <rect key={i} x={x} y={height - 1} width={bar} height={1} className="fill-muted-foreground/30" />;
        const total = Math.max(2, Math.round((a / max) * height));
        const failed = Math.round((f / a) * total);
        return (
          <g key={i}>
            <rect x={x} y={height - total} width={bar} height={total - failed} className="fill-success" />
            {failed > 0 ? <rect x={x} y={height - failed} width={bar} height={failed} className="fill-destructive" /> : null}
          </g>
        );
      })}
    </svg>
  );
}

function HealthOf({ promise, id, children }: { promise: HealthPromise; id: string; children: (h: ListHealth | undefined) => React.ReactNode }) {
  return children(use(promise)[id]);
}

function Cell({ promise, id, children }: { promise: HealthPromise; id: string; children: (h: ListHealth | undefined) => React.ReactNode }) {
  return (
    <Suspense fallback={<Skeleton className="h-5 w-20" aria-label="Loading health" />}>
      <HealthOf promise={promise} id={id}>
        {children}
      </HealthOf>
    </Suspense>
  );
}

/** Last attempt's outcome; whether the endpoint is failing is its status (EndpointStatus). */
export function LastAttemptCell({ promise, id }: { promise: HealthPromise; id: string }) {
  return (
    <Cell promise={promise} id={id}>
      {(h) =>
        !h ? (
          <span className="text-sm text-muted-foreground">—</span>
        ) : !h.lastAttempt ? (
          <span className="text-sm text-muted-foreground">No attempts yet</span>
        ) : (
          <div className="flex flex-wrap items-center gap-1.5" data-testid="endpoint-health">
            <Badge variant={h.lastAttempt.succeeded ? "success" : "destructive"} title={h.lastAttempt.sentence}>
              {h.lastAttempt.label}
            </Badge>
            <span className="hidden text-xs text-muted-foreground @xl:inline">
              <Time value={h.lastAttempt.at} />
            </span>
          </div>
        )
      }
    </Cell>
  );
}

/** 24 h success rate and its sparkline. */
export function SuccessRateCell({ promise, id }: { promise: HealthPromise; id: string }) {
  return (
    <Cell promise={promise} id={id}>
      {(h) =>
        h ? (
          <div className="flex items-center gap-2" title={`${h.attempts24h} attempts in the last 24 hours`}>
            <span className="w-12 text-right text-sm tabular-nums">{formatRate(h.successRate24h)}</span>
            <Sparkline hourly={h.hourly} />
          </div>
        ) : null
      }
    </Cell>
  );
}

/**
 * One status per endpoint, from what decides whether it receives: disabled; paused because the
 * organization's webhooks are off; failing (its recent attempts all failed); or enabled. Never a
 * green "Enabled" beside a red "Failing", nor while nothing is sent.
 */
export function EndpointStatus({ promise, id, disabled, webhooksEnabled }: { promise: HealthPromise; id: string; disabled: boolean; webhooksEnabled: boolean }) {
  if (disabled) return <EndpointStatusBadge disabled />;
  if (!webhooksEnabled) {
    return (
      <div className="space-y-0.5">
        <EndpointStatusBadge disabled={false} paused />
        <p className="text-xs text-muted-foreground" data-testid="endpoint-paused">
          Webhooks off: nothing is sent
        </p>
      </div>
    );
  }
  return (
    <Suspense fallback={<EndpointStatusBadge disabled={false} />}>
      <HealthOf promise={promise} id={id}>
        {(h) =>
          h?.failing ? (
            <Badge variant="destructive" title={h.failureStreak === 1 ? "Enabled, and its last attempt failed" : `Enabled, and its last ${h.failureStreak} attempts failed`} data-testid="failing-badge">
              Failing
            </Badge>
          ) : (
            <EndpointStatusBadge disabled={false} />
          )
        }
      </HealthOf>
    </Suspense>
  );
}
