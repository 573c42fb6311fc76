import { describe, expect, it } from "vitest";
import { pollInterval } from "@/components/recovery/poll";

describe("how often the recovery operations are re-read", () => {
  it("every second while one is queued or running, every 5 s while a finished one's deliveries are pending, else not at all", () => {
    expect(pollInterval([{ status: "RUNNING", pending: 0 }, { status: "FINISHED", pending: 2 }])).toBe(1_000);
    expect(pollInterval([{ status: "QUEUED", pending: 0 }])).toBe(1_000);
    // A replay is done once its deliveries are scheduled: their outcome is still to come.
    expect(pollInterval([{ status: "FINISHED", pending: 2 }, { status: "CANCELLED", pending: 0 }])).toBe(5_000);
    expect(pollInterval([{ status: "FINISHED", pending: 0 }, { status: "FAILED", pending: 0 }])).toBe(false);
    expect(pollInterval([])).toBe(false);
    expect(pollInterval(undefined)).toBe(false);
  });
});
