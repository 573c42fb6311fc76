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
