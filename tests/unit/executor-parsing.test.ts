import { describe, expect, it } from "vitest";
import { defaultExecutorProcesses, parseExecutorConfig } from "@/inngest/executor/config";
import { parseDuration, retryAfterTime, wakeTime } from "@/inngest/executor/duration";
import { compileCancelMatch, compileEventFilter, compileKeyExpression } from "@/inngest/executor/expression";

const now = new Date("2030-01-01T00:00:00Z");

describe("sleep durations", () => {
  it("parses compound durations as the SDK writes them", () => {
    expect(parseDuration("1h30m")).toBe(5_400_000);
    expect(parseDuration("5s")).toBe(5_000);
    expect(parseDuration("2d")).toBe(172_800_000);
    expect(parseDuration("1w2d3h4m5s")).toBe(604_800_000 + 172_800_000 + 10_800_000 + 240_000 + 5_000);
  });

  it("takes an ISO date (sleepUntil) as the wake-up itself", () => {
    expect(wakeTime("2030-01-02T03:04:05.000Z", now).toISOString()).toBe("2030-01-02T03:04:05.000Z");
    expect(wakeTime("1h30m", now).getTime() - now.getTime()).toBe(5_400_000);
  });

  it("rejects what it cannot read, including the SDK's empty duration", () => {
    expect(() => parseDuration("soon")).toThrow(/not a duration/);
    expect(() => wakeTime("", now)).toThrow(/empty sleep duration/);
  });

  it("reads retry-after as seconds or a date", () => {
    expect(retryAfterTime("45", now)!.getTime() - now.getTime()).toBe(45_000);
    expect(retryAfterTime("2030-01-01T00:10:00Z", now)!.toISOString()).toBe("2030-01-01T00:10:00.000Z");
    expect(retryAfterTime(undefined, now)).toBeUndefined();
  });
});

describe("expressions", () => {
  const event = { name: "a/b", data: { endpointId: "ep_1", org: "o1", n: 3 } };

  it("builds keys from fields and quoted strings", () => {
    expect(compileKeyExpression("event.data.endpointId")(event)).toBe("ep_1");
    expect(compileKeyExpression(`event.data.org + "-" + event.data.endpointId`)(event)).toBe("o1-ep_1");
  });

  it("filters events with equality checks joined by &&", () => {
    expect(compileEventFilter("event.data.function_id == 'app-fn'")({ data: { function_id: "app-fn" } })).toBe(true);
    expect(compileEventFilter("event.data.n == 3 && event.data.org == 'o2'")(event)).toBe(false);
  });

  it("reads cancelOn matches as the SDK registers them", () => {
    expect(compileCancelMatch("event.data.endpointId == async.data.endpointId")).toEqual([
      { runDataPath: ["endpointId"], incomingPath: ["data", "endpointId"] },
    ]);
  });

  it("rejects anything else loudly", () => {
    expect(() => compileKeyExpression("event.data.a * 2")).toThrow(/unsupported/);
    expect(() => compileKeyExpression("size(event.data.list)")).toThrow(/unsupported/);
    expect(() => compileEventFilter("event.data.a > 2")).toThrow(/unsupported/);
    expect(() => compileCancelMatch("event.name == async.name")).toThrow(/match: "data.<field>"/);
  });
});

describe("executor configuration", () => {
  it("defaults to embedded mode on the app's own port", () => {
    const config = parseExecutorConfig({ PORT: "3310" });
    expect(config).toMatchObject({ mode: "embedded", serveUrl: "http://127.0.0.1:3310/api/inngest", ingestBaseUrl: "http://127.0.0.1:3310/api/inngest/" });
  });

  it("treats INNGEST_DEV as the Inngest Dev Server (no keys needed)", () => {
    expect(parseExecutorConfig({ INNGEST_DEV: "1" }).mode).toBe("inngest");
  });

  it("explains invalid values", () => {
    expect(() => parseExecutorConfig({ EXECUTOR_LEASE_MS: "10" })).toThrow(/EXECUTOR_LEASE_MS must be at least 500 ms/);
    expect(() => parseExecutorConfig({ INNGEST_SIGNING_KEY: "secret" })).toThrow(/signkey-<env>-<hex>/);
    expect(() => parseExecutorConfig({ EXECUTOR_KEY: "short" })).toThrow(/at least 32 characters/);
    expect(() => parseExecutorConfig({ EXECUTOR_PROCESSES: "0" })).toThrow(/EXECUTOR_PROCESSES must be at least 1/);
    expect(() => parseExecutorConfig({ EXECUTOR_PROCESSES: "two" })).toThrow(/EXECUTOR_PROCESSES must be a number/);
  });

  it("runs one executor process per core beside the app's server, at least one, unless told otherwise", () => {
    expect([1, 2, 4, 16].map((cores) => defaultExecutorProcesses(cores))).toEqual([1, 1, 3, 15]);
    expect(parseExecutorConfig({}).processes).toBe(defaultExecutorProcesses());
    expect(parseExecutorConfig({ EXECUTOR_PROCESSES: "3" }).processes).toBe(3);
  });
});
