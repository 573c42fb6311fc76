import { describe, expect, it } from "vitest";
import { formatClock, isIsoInstant, formatZoneName } from "@/lib/time";

const AFTERNOON = new Date("2026-12-06T18:57:35.478Z");

describe("chart clock times", () => {
  it("writes a 24-hour clock in the zone given, never AM/PM", () => {
    expect(formatClock(AFTERNOON)).toBe("18:57");
    expect(formatClock(AFTERNOON, { timeZone: "Europe/Berlin" })).toBe("19:57");
    expect(formatClock(AFTERNOON, { timeZone: "America/New_York", weekday: true })).toBe("Sun 13:57");
  });

  it("names the zone shortly", () => {
    expect(formatZoneName(AFTERNOON, "UTC")).toBe("UTC");
    expect(formatZoneName(AFTERNOON, "Europe/Berlin")).toBe("CET");
  });
});

describe("ISO instants in stored details", () => {
  it("recognises what toIso writes, and nothing else", () => {
    expect(isIsoInstant("2026-12-06T18:57:35.478Z")).toBe(true);
    expect(isIsoInstant("2026-12-06T18:57:35+01:00")).toBe(true);
    expect(isIsoInstant("2026-12-06")).toBe(false);
    expect(isIsoInstant("https://a.test/2026-12-06T18:57:35Z")).toBe(false);
    expect(isIsoInstant(42)).toBe(false);
  });
});
