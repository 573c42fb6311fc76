import { describe, expect, it } from "vitest";
import { summarizeDeliveries, type DeliveryCounts } from "@/lib/messages/summary";

const now = new Date("2026-05-01T12:00:00Z");
const counts = (c: Partial<DeliveryCounts>): DeliveryCounts => {
  const base = { succeeded: 0, failed: 0, queued: 0, retrying: 0, sending: 0, nextAttemptAt: null, ...c };
  return { ...base, total: base.succeeded + base.failed + base.queued + base.retrying + base.sending };
};
const inMinutes = (m: number) => new Date(now.getTime() + m * 60_000);

describe("a message's deliveries in one line", () => {
  it("says when no endpoint was subscribed", () => {
    expect(summarizeDeliveries(counts({}), now)).toEqual({ tone: "muted", text: "No endpoint subscribed" });
  });

  it("counts endpoints delivered to", () => {
    expect(summarizeDeliveries(counts({ succeeded: 1 }), now)).toEqual({ tone: "success", text: "Delivered to 1 endpoint" });
    expect(summarizeDeliveries(counts({ succeeded: 2 }), now)).toEqual({ tone: "success", text: "Delivered to 2 endpoints" });
  });

  it("counts failures among finished deliveries", () => {
    expect(summarizeDeliveries(counts({ succeeded: 2, failed: 1 }), now)).toEqual({ tone: "failure", text: "Failed on 1 of 3" });
    expect(summarizeDeliveries(counts({ failed: 1 }), now)).toEqual({ tone: "failure", text: "Failed on 1 of 1" });
  });

  it("lists mixed states with the next attempt", () => {
    expect(summarizeDeliveries(counts({ succeeded: 1, retrying: 1, nextAttemptAt: inMinutes(4) }), now)).toEqual({
      tone: "warning",
      text: "2 endpoints: 1 succeeded, 1 retrying, next attempt in 4 min",
    });
    expect(summarizeDeliveries(counts({ failed: 1, sending: 1, queued: 1 }), now)).toEqual({ tone: "failure", text: "3 endpoints: 1 failed, 1 sending, 1 waiting" });
  });

  it("describes a single state in flight", () => {
    expect(summarizeDeliveries(counts({ sending: 1 }), now)).toEqual({ tone: "progress", text: "Sending to 1 endpoint" });
    expect(summarizeDeliveries(counts({ queued: 2, nextAttemptAt: now }), now)).toEqual({ tone: "progress", text: "Waiting to send to 2 endpoints" });
    expect(summarizeDeliveries(counts({ retrying: 1, nextAttemptAt: inMinutes(150) }), now)).toEqual({ tone: "warning", text: "Retrying 1 endpoint, next attempt in 3 h" });
  });

  it("words the next attempt from seconds to days", () => {
    const text = (at: Date) => summarizeDeliveries(counts({ retrying: 1, nextAttemptAt: at }), now).text;
    expect(text(new Date(now.getTime() - 1_000))).toBe("Retrying 1 endpoint, next attempt due now");
    expect(text(new Date(now.getTime() + 20_000))).toBe("Retrying 1 endpoint, next attempt in less than a minute");
    expect(text(inMinutes(3 * 24 * 60))).toBe("Retrying 1 endpoint, next attempt in 3 days");
  });
});
