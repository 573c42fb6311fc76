import { formatDuration } from "@/lib/time";

/** "12.5 %", "0 %", "—" without attempts; one decimal, so a small failure rate does not read as 0. */
export function formatPercent(rate: number | null): string {
  if (rate === null) return "—";
  const percent = rate * 100;
  return percent === 0 || percent === 100 ? `${percent} %` : `${percent.toFixed(1)} %`;
}

export function formatWait(ms: number | null): string {
  return ms === null ? "—" : formatDuration(Math.max(0, ms));
}

/** An axis tick: one unit, short enough for the axis ("850 ms", "45 s", "2.5 min", "1.5 h"). */
export function formatWaitTick(ms: number): string {
  if (ms < 1_000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${Number((ms / 1_000).toFixed(ms < 10_000 ? 1 : 0))} s`;
  if (ms < 3_600_000) return `${Number((ms / 60_000).toFixed(1))} min`;
  return `${Number((ms / 3_600_000).toFixed(1))} h`;
}
