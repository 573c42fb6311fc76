import { describe, expect, it } from "vitest";
import { attemptEventOf, FAILING_AFTER_ATTEMPTS, isOperationalEventType } from "@/lib/operational/events";

describe("which scheduled attempts cause an operational event (Svix's rules)", () => {
  it("sends failing once, when attempt 4 fails and the schedule goes on", () => {
    expect(FAILING_AFTER_ATTEMPTS).toBe(4);
    expect([1, 2, 3, 4, 5, 6].map((n) => attemptEventOf(false, n, "PENDING"))).toEqual([null, null, null, "message.attempt.failing", null, null]);
  });

  it("sends exhausted when the last attempt fails, whichever it is (attempt 4 of a four-attempt schedule is exhausted, not failing)", () => {
    expect(attemptEventOf(false, 8, "FAILED")).toBe("message.attempt.exhausted");
    expect(attemptEventOf(false, 4, "FAILED")).toBe("message.attempt.exhausted");
    expect(attemptEventOf(false, 1, "FAILED")).toBe("message.attempt.exhausted");
  });

  it("sends recovered for a success after failing was sent, and nothing for an earlier success", () => {
    expect([1, 2, 3, 4].map((n) => attemptEventOf(true, n, "SUCCEEDED"))).toEqual([null, null, null, null]);
    expect(attemptEventOf(true, 5, "SUCCEEDED")).toBe("message.attempt.recovered");
    expect(attemptEventOf(true, 8, "SUCCEEDED")).toBe("message.attempt.recovered");
  });

  it("knows the operational event types, and no catalog type", () => {
    expect(isOperationalEventType("endpoint.disabled")).toBe(true);
    expect(isOperationalEventType("contract.created")).toBe(false);
    expect(isOperationalEventType("toString")).toBe(false);
  });
});
