import { describe, expect, it } from "vitest";
import { formatAbsolute, formatClock, formatDuration, formatRelative, formatZoneName, toIso } from "@/lib/time";

const NOW = new Date("2026-11-30T23:53:38Z");
const at = (offsetMs: number) => new Date(NOW.getTime() + offsetMs);
const MIN = 60_000;

describe("relative times", () => {
  it("says just now within 45 seconds either way", () => {
    expect(formatRelative(at(-44_000), NOW)).toBe("just now");
    expect(formatRelative(at(30_000), NOW)).toBe("just now");
  });

  it("counts minutes, hours and days in the past and the future", () => {
    expect(formatRelative(at(-3 * MIN), NOW)).toBe("3 min ago");
    expect(formatRelative(at(4 * MIN), NOW)).toBe("in 4 min");
    expect(formatRelative(at(-50_000), NOW)).toBe("1 min ago");
    expect(formatRelative(at(-2 * 60 * MIN), NOW)).toBe("2 h ago");
    expect(formatRelative(at(-24 * 60 * MIN), NOW)).toBe("1 day ago");
    expect(formatRelative(at(5 * 24 * 60 * MIN), NOW)).toBe("in 5 days");
  });

  it("writes the date itself beyond 30 days, in the given time zone", () => {
    expect(formatRelative("2026-01-02T03:04:05Z", NOW)).toBe("02 Jan 2026, 03:04 UTC");
    expect(formatRelative("2026-01-02T03:04:05Z", NOW, { timeZone: "Asia/Tokyo" })).toBe("02 Jan 2026, 12:04 GMT+9");
  });

  it("accepts ISO strings and epoch milliseconds as well as dates", () => {
    expect(formatRelative(at(-3 * MIN).toISOString(), NOW.getTime())).toBe("3 min ago");
  });
});

describe("absolute times", () => {
  it("writes day first, 24-hour clock, seconds and the zone, UTC unless told otherwise", () => {
    expect(formatAbsolute(NOW)).toBe("30 Nov 2026, 23:53:38 UTC");
    expect(formatAbsolute(NOW, { seconds: false })).toBe("30 Nov 2026, 23:53 UTC");
  });

  it("shifts to the viewer's zone, crossing the date line when it must", () => {
    expect(formatAbsolute(NOW, { timeZone: "Europe/Paris" })).toBe("01 Dec 2026, 00:53:38 CET");
    expect(formatAbsolute(NOW, { timeZone: "America/New_York" })).toBe("30 Nov 2026, 18:53:38 GMT-5");
  });

  it("gives the ISO form for the dateTime attribute", () => {
    expect(toIso("2026-11-30T23:53:38.120Z")).toBe("2026-11-30T23:53:38.120Z");
  });
});

describe("durations", () => {
  it("uses milliseconds under a second and one decimal under ten seconds", () => {
    expect(formatDuration(0)).toBe("0 ms");
    expect(formatDuration(850)).toBe("850 ms");
    expect(formatDuration(1_240)).toBe("1.2 s");
    expect(formatDuration(2_000)).toBe("2 s");
    expect(formatDuration(42_400)).toBe("42 s");
  });

  it("keeps the two largest units and drops zero ones", () => {
    expect(formatDuration(4 * MIN + 5_000)).toBe("4 min 5 s");
    expect(formatDuration(2 * 60 * MIN + 3 * MIN + 9_000)).toBe("2 h 3 min");
    expect(formatDuration(60 * MIN + 30_000)).toBe("1 h");
    expect(formatDuration(3 * 24 * 60 * MIN + 4 * 60 * MIN)).toBe("3 days 4 h");
    expect(formatDuration(24 * 60 * MIN)).toBe("1 day");
  });

  it("refuses negative and non-finite durations", () => {
    expect(() => formatDuration(-1)).toThrow(RangeError);
    expect(() => formatDuration(Number.NaN)).toThrow(RangeError);
  });
});

describe("chart axis times", () => {
  it("writes the 24-hour clock in the zone given, with the weekday on request", () => {
    expect(formatClock(NOW)).toBe("23:53");
    expect(formatClock(NOW, { timeZone: "Europe/Berlin" })).toBe("00:53");
    expect(formatClock(NOW, { timeZone: "Europe/Berlin", weekday: true })).toBe("Tue 00:53");
    expect(formatClock(NOW, { timeZone: "Asia/Kolkata" })).toBe("05:23");
  });

  it("names the zone once, beside the chart", () => {
    expect(formatZoneName(NOW)).toBe("UTC");
    expect(formatZoneName(NOW, "Europe/Berlin")).toBe("CET");
    expect(formatZoneName(new Date("2026-07-01T12:00:00Z"), "Europe/Berlin")).toBe("CEST");
  });
});
