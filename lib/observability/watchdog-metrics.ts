import { Counter, register } from "prom-client";
import { STALL_KINDS, type StallKind } from "@/lib/observability/watchdog-kinds";

/**
 * The watchdog's counter, on prom-client's default registry (the one /metrics serves). Kept apart
 * from lib/observability/metrics.ts so that each owner adds its metrics in a file of its own.
 */

const NAME = "hookrelay_watchdog_stalls_total";

function counter(): Counter<"kind"> {
  // A module evaluated twice in one process (Next's server bundles, a reload in dev) must not register twice.
  const existing = register.getSingleMetric(NAME);
  if (existing) return existing as Counter<"kind">;
  const created = new Counter({
    name: NAME,
    help: "Stalled work the watchdog found: runs leased past their lease and not taken over, deliveries due for longer than WATCHDOG_DELIVERY_STALL_MS, executors without a heartbeat for WATCHDOG_EXECUTOR_STALL_MS.",
    labelNames: ["kind"],
    registers: [register],
  });
  // Every kind is exported from the start, so a rate() over it has a series before the first stall.
  for (const kind of STALL_KINDS) created.inc({ kind }, 0);
  return created;
}

export const watchdogStalls = counter();

export function countStalls(kind: StallKind, count: number): void {
  if (count > 0) watchdogStalls.inc({ kind }, count);
}
