import { describe, expect, it } from "vitest";
import { DEFAULT_ALLOWED_CIDRS, DeliveryConfigError, parseDeliveryConfig } from "@/lib/delivery/config";
import {
  DurationError,
  formatCompactDuration,
  formatDurationLabel,
  parseDuration,
} from "@/lib/delivery/duration";
import {
  attemptCount,
  DEFAULT_RETRY_SCHEDULE,
  delayBeforeAttempt,
  describeSchedule,
  isFinalAttempt,
  remainingAttempts,
} from "@/lib/delivery/schedule";

const s = 1000;
const min = 60 * s;
const h = 60 * min;

describe("the default retry schedule", () => {
  it("is immediately, then 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h: eight attempts", () => {
    expect(DEFAULT_RETRY_SCHEDULE).toEqual([0, 5 * s, 5 * min, 30 * min, 2 * h, 5 * h, 10 * h, 10 * h]);
    expect(attemptCount(DEFAULT_RETRY_SCHEDULE)).toBe(8);
    expect(Object.isFrozen(DEFAULT_RETRY_SCHEDULE)).toBe(true);
  });

  it("is what the process uses, with a 15 s attempt timeout, when nothing overrides it", () => {
    const config = parseDeliveryConfig({});
    expect(config.retrySchedule).toBe(DEFAULT_RETRY_SCHEDULE);
    expect(config.attemptTimeoutMs).toBe(15_000);
  });

  it("gives the wait before each attempt, and knows the last one", () => {
    expect([1, 2, 3, 8].map((n) => delayBeforeAttempt(DEFAULT_RETRY_SCHEDULE, n))).toEqual([0, 5 * s, 5 * min, 10 * h]);
    expect(() => delayBeforeAttempt(DEFAULT_RETRY_SCHEDULE, 0)).toThrow(/from 1 to 8/);
    expect(() => delayBeforeAttempt(DEFAULT_RETRY_SCHEDULE, 9)).toThrow(/from 1 to 8/);
    expect(isFinalAttempt(DEFAULT_RETRY_SCHEDULE, 7)).toBe(false);
    expect(isFinalAttempt(DEFAULT_RETRY_SCHEDULE, 8)).toBe(true);
  });

  it("describes itself for the UI and the docs", () => {
    expect(describeSchedule(DEFAULT_RETRY_SCHEDULE).map((step) => step.label)).toEqual([
      "immediately",
      "5 seconds after attempt 1",
      "5 minutes after attempt 2",
      "30 minutes after attempt 3",
      "2 hours after attempt 4",
      "5 hours after attempt 5",
      "10 hours after attempt 6",
      "10 hours after attempt 7",
    ]);
  });
});

describe("durations", () => {
  it("parses single and compound units", () => {
    expect(parseDuration("500ms")).toBe(500);
    expect(parseDuration("5s")).toBe(5 * s);
    expect(parseDuration("5m")).toBe(5 * min);
    expect(parseDuration("2h")).toBe(2 * h);
    expect(parseDuration("1d")).toBe(24 * h);
    expect(parseDuration(" 1h30m ")).toBe(90 * min);
    expect(parseDuration("1m30s250ms")).toBe(90 * s + 250);
  });

  it("rejects what has no single obvious meaning, saying how to write it", () => {
    expect(() => parseDuration("5")).toThrow(/whole number with a unit/);
    expect(() => parseDuration("1.5s")).toThrow(DurationError);
    expect(() => parseDuration("-5s")).toThrow(DurationError);
    expect(() => parseDuration("5 s")).toThrow(DurationError);
    expect(() => parseDuration("30m1h")).toThrow(/largest to smallest/);
    expect(() => parseDuration("1s1s")).toThrow(/repeats or misorders/);
    expect(() => parseDuration("")).toThrow(DurationError);
  });

  it("formats compactly, round-trips, and labels for people", () => {
    for (const ms of [0, 1, 999, 1000, 5 * min, 90 * min, 36 * h + 1]) expect(parseDuration(formatCompactDuration(ms))).toBe(ms);
    expect(formatCompactDuration(90 * min)).toBe("1h30m");
    expect(formatDurationLabel(1 * h + 1 * s)).toBe("1 hour 1 second");
    expect(formatDurationLabel(500)).toBe("500 milliseconds");
  });

});

describe("overriding the schedule and timeout from the environment", () => {
  it("reads WEBHOOK_RETRY_SCHEDULE as the waits after an immediate first attempt", () => {
    const config = parseDeliveryConfig({ WEBHOOK_RETRY_SCHEDULE: "1s, 2s,500ms,1h30m" });
    expect(config.retrySchedule).toEqual([0, 1000, 2000, 500, 90 * min]);
    expect(config.retrySchedule).toEqual([0, 1000, 2000, 500, 90 * min]);
    expect(attemptCount(config.retrySchedule)).toBe(5);
  });

  it("reads WEBHOOK_ATTEMPT_TIMEOUT_MS", () => {
    expect(parseDeliveryConfig({ WEBHOOK_ATTEMPT_TIMEOUT_MS: "300" }).attemptTimeoutMs).toBe(300);
  });

  it("rechecks a disabled organization's deliveries every 30 s by default; WEBHOOK_ORGANIZATION_PAUSE_RECHECK_MS changes it within 1 s to 1 h", () => {
    expect(parseDeliveryConfig({}).organizationPauseRecheckMs).toBe(30_000);
    expect(parseDeliveryConfig({ WEBHOOK_ORGANIZATION_PAUSE_RECHECK_MS: "1000" }).organizationPauseRecheckMs).toBe(1_000);
    expect(() => parseDeliveryConfig({ WEBHOOK_ORGANIZATION_PAUSE_RECHECK_MS: "500" })).toThrow(/WEBHOOK_ORGANIZATION_PAUSE_RECHECK_MS: must be at least 1000 ms/);
    expect(() => parseDeliveryConfig({ WEBHOOK_ORGANIZATION_PAUSE_RECHECK_MS: "soon" })).toThrow(DeliveryConfigError);
  });

  it("continues a disabled organization's wait in a new run after 100 rechecks by default (200 of Inngest's 1,000 steps per run)", () => {
    expect(parseDeliveryConfig({}).organizationPauseWaitsPerRun).toBe(100);
    expect(parseDeliveryConfig({ WEBHOOK_ORGANIZATION_PAUSE_WAITS_PER_RUN: "2" }).organizationPauseWaitsPerRun).toBe(2);
    expect(() => parseDeliveryConfig({ WEBHOOK_ORGANIZATION_PAUSE_WAITS_PER_RUN: "0" })).toThrow(/WEBHOOK_ORGANIZATION_PAUSE_WAITS_PER_RUN: must be at least 1/);
    expect(() => parseDeliveryConfig({ WEBHOOK_ORGANIZATION_PAUSE_WAITS_PER_RUN: "401" })).toThrow(/at most 400/);
  });

  it("treats empty values as unset", () => {
    const config = parseDeliveryConfig({ WEBHOOK_RETRY_SCHEDULE: "", WEBHOOK_ATTEMPT_TIMEOUT_MS: " " });
    expect(config.retrySchedule).toBe(DEFAULT_RETRY_SCHEDULE);
    expect(config.attemptTimeoutMs).toBe(15_000);
  });

  it("names the variable, the position and the rule when a value is wrong", () => {
    const cases: Array<[Record<string, string>, RegExp]> = [
      [{ WEBHOOK_RETRY_SCHEDULE: "5s,soon" }, /WEBHOOK_RETRY_SCHEDULE: wait 2: "soon" is not a duration/],
      [{ WEBHOOK_RETRY_SCHEDULE: "5s,,5m" }, /WEBHOOK_RETRY_SCHEDULE: wait 2: "" is not a duration/],
      [{ WEBHOOK_RETRY_SCHEDULE: "0s" }, /wait 1: "0s" must be between 1ms and 30d/],
      [{ WEBHOOK_RETRY_SCHEDULE: "31d" }, /must be between 1ms and 30d/],
      [{ WEBHOOK_RETRY_SCHEDULE: Array(50).fill("1s").join(",") }, /at most 49 waits \(50 attempts\), got 50/],
      [{ WEBHOOK_ATTEMPT_TIMEOUT_MS: "fast" }, /WEBHOOK_ATTEMPT_TIMEOUT_MS: must be a number of milliseconds/],
      [{ WEBHOOK_ATTEMPT_TIMEOUT_MS: "1.5" }, /WEBHOOK_ATTEMPT_TIMEOUT_MS: must be a whole number/],
      [{ WEBHOOK_ATTEMPT_TIMEOUT_MS: "0" }, /WEBHOOK_ATTEMPT_TIMEOUT_MS: must be at least 1 ms/],
      [{ WEBHOOK_ATTEMPT_TIMEOUT_MS: "600001" }, /at most 600000 ms/],
    ];
    for (const [source, message] of cases) {
      expect(() => parseDeliveryConfig(source)).toThrow(DeliveryConfigError);
      expect(() => parseDeliveryConfig(source)).toThrow(message);
    }
  });
});

describe("WEBHOOK_ALLOWED_CIDRS and WEBHOOK_RATE_LIMIT_MARGIN_MS", () => {
  it("allows loopback by default and nothing internal when set to empty (production)", () => {
    expect(DEFAULT_ALLOWED_CIDRS).toBe("127.0.0.0/8,::1/128");
    expect(parseDeliveryConfig({}).addressPolicy.allowed.map((c) => c.text)).toEqual(["127.0.0.0/8", "::1/128"]);
    expect(parseDeliveryConfig({ WEBHOOK_ALLOWED_CIDRS: "" }).addressPolicy.allowed).toEqual([]);
    expect(parseDeliveryConfig({ WEBHOOK_ALLOWED_CIDRS: "none" }).addressPolicy.allowed).toEqual([]);
  });

  it("reports a malformed CIDR by name", () => {
    expect(() => parseDeliveryConfig({ WEBHOOK_ALLOWED_CIDRS: "10.0.0.0/33" })).toThrow(/WEBHOOK_ALLOWED_CIDRS: "10.0.0.0\/33" has an invalid prefix/);
  });

  it("defaults the rate-limit margin to 100 ms and bounds it", () => {
    expect(parseDeliveryConfig({}).rateLimitMarginMs).toBe(100);
    expect(parseDeliveryConfig({ WEBHOOK_RATE_LIMIT_MARGIN_MS: "0" }).rateLimitMarginMs).toBe(0);
    expect(() => parseDeliveryConfig({ WEBHOOK_RATE_LIMIT_MARGIN_MS: "5000" })).toThrow(/WEBHOOK_RATE_LIMIT_MARGIN_MS: must be at most 1000/);
  });
});

describe("what remains of a delivery's schedule", () => {
  const next = new Date("2026-05-01T12:00:00Z");
  it("lists the next attempt and each later one a wait after the one before", () => {
    expect(remainingAttempts(DEFAULT_RETRY_SCHEDULE, 6, next)).toEqual([
      { attempt: 7, at: next },
      { attempt: 8, at: new Date(next.getTime() + 10 * 60 * min) },
    ]);
    expect(remainingAttempts(DEFAULT_RETRY_SCHEDULE, 0, next).map((p) => p.attempt)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it("is empty once nothing is scheduled or the schedule is used up", () => {
    expect(remainingAttempts(DEFAULT_RETRY_SCHEDULE, 3, null)).toEqual([]);
    expect(remainingAttempts(DEFAULT_RETRY_SCHEDULE, 8, next)).toEqual([]);
  });
});
