import { describe, expect, it } from "vitest";
import { Prisma } from "@/lib/generated/prisma/client";
import { annotateSpan, currentTraceparent, tracingEnabled } from "@/lib/observability/tracing";
import { parseWatchdogConfig, WatchdogConfigError } from "@/inngest/executor/watchdog";
import { deliveriesRequestedFromRows } from "@/lib/outbox";

/**
 * Tracing off (no OTEL_EXPORTER_OTLP_ENDPOINT, as in every other test): nothing to look up and
 * nothing stored, and the message's statement is the one it was before tracing existed.
 */
describe("with tracing off", () => {
  it("has no trace context to store and annotates nothing", () => {
    expect(process.env.OTEL_EXPORTER_OTLP_ENDPOINT).toBeUndefined();
    expect(tracingEnabled).toBe(false);
    expect(currentTraceparent()).toBeNull();
    expect(() => annotateSpan("hookrelay.message.id", "msg_x")).not.toThrow();
  });

  it("publishes deliveries' events without a traceparent; with one given, it is added and dropped when NULL", () => {
    const refs = { organizationId: Prisma.sql`'org'`, ts: Prisma.sql`0`, at: Prisma.sql`now()` };
    expect(deliveriesRequestedFromRows("deliveries", refs).cte.sql).not.toContain("traceparent");
    expect(deliveriesRequestedFromRows("deliveries", { ...refs, traceparent: Prisma.sql`NULL::text` }).cte.sql).toContain(
      "jsonb_strip_nulls(jsonb_build_object('deliveryId', s.id",
    );
  });
});

describe("the watchdog's settings", () => {
  it("default from the executor's lease and poll, and refuse what is not a number of milliseconds", () => {
    expect(parseWatchdogConfig({ leaseMs: 5_000, pollMs: 1_000 }, 86_400_000, {})).toEqual({
      intervalMs: 10_000,
      deliveryStallMs: 300_000,
      executorStallMs: 15_000,
      runStallMs: 5_000,
      retentionMs: 86_400_000,
    });
    expect(parseWatchdogConfig({ leaseMs: 1_000, pollMs: 60_000 }, 1, {}).executorStallMs).toBe(183_000);
    expect(() => parseWatchdogConfig({ leaseMs: 5_000, pollMs: 1_000 }, 1, { WATCHDOG_DELIVERY_STALL_MS: "5m" })).toThrow(WatchdogConfigError);
    expect(() => parseWatchdogConfig({ leaseMs: 5_000, pollMs: 1_000 }, 1, { WATCHDOG_EXECUTOR_STALL_MS: "10" })).toThrow(/at least 2000 ms/);
  });
});
