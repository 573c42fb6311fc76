import { describe, expect, it } from "vitest";
import { parseRetentionConfig, RetentionConfigError } from "@/lib/retention/config";

const DAY = 86_400_000;

describe("retention settings", () => {
  it("keeps messages 90 days and executor history 7 days, deleting 5,000 rows per statement, by default", () => {
    const defaults = { messagesMs: 90 * DAY, executorMs: 7 * DAY, batchSize: 5_000, schedule: "*/15 * * * *" };
    expect(parseRetentionConfig({})).toEqual(defaults);
    expect(parseRetentionConfig({ RETENTION_DAYS: "", EXECUTOR_RETENTION_DAYS: " ", RETENTION_SCHEDULE: "" })).toEqual(defaults);
  });

  it("reads whole days, and a millisecond override for benchmarks", () => {
    expect(parseRetentionConfig({ RETENTION_DAYS: "30", EXECUTOR_RETENTION_DAYS: "2", RETENTION_BATCH_SIZE: "1000", RETENTION_SCHEDULE: "TZ=Europe/Paris 0 3 * * *" })).toEqual({
      messagesMs: 30 * DAY,
      executorMs: 2 * DAY,
      batchSize: 1_000,
      schedule: "TZ=Europe/Paris 0 3 * * *",
    });
    expect(parseRetentionConfig({ RETENTION_DAYS: "30", RETENTION_MS: "120000", EXECUTOR_RETENTION_MS: "60000" })).toMatchObject({ messagesMs: 120_000, executorMs: 60_000 });
  });

  it.each([
    [{ RETENTION_DAYS: "ninety" }, "RETENTION_DAYS: must be a number of days, e.g. 90"],
    [{ RETENTION_DAYS: "1.5" }, "RETENTION_DAYS: must be a whole number of days, e.g. 90"],
    [{ RETENTION_DAYS: "0" }, "RETENTION_DAYS: must be at least 1 day"],
    [{ EXECUTOR_RETENTION_DAYS: "0" }, "EXECUTOR_RETENTION_DAYS: must be at least 1 day"],
    [{ RETENTION_BATCH_SIZE: "10" }, "RETENTION_BATCH_SIZE: must be at least 100 rows"],
    [{ RETENTION_BATCH_SIZE: "100000" }, "RETENTION_BATCH_SIZE: must be at most 50000 rows"],
    [{ RETENTION_MS: "5" }, "RETENTION_MS: must be at least 1000 ms"],
  ])("refuses %o with a message naming the variable", (env, message) => {
    expect(() => parseRetentionConfig(env)).toThrow(RetentionConfigError);
    expect(() => parseRetentionConfig(env)).toThrow(message);
  });
});
