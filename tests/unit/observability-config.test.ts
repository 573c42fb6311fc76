import { spawnSync } from "node:child_process";
import path from "node:path";
import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { createLogger, errorFields, logSettings } from "@/lib/observability/log";
import { observeAttempts, processMetrics } from "@/lib/observability/metrics";
import { MetricsConfigError, parseMetricsConfig } from "@/lib/observability/metrics-config";
import { EXECUTOR_ANSWER_MS } from "@/lib/observability/metrics-ipc";
import { parseTracingConfig, TracingConfigError } from "@/lib/observability/tracing-sdk";

/**
 * The settings docs/operations.md and the README state for metrics and logs: METRICS_TOKEN's rule,
 * the log format and level, the fields of a line, what an error is logged as, the relay's bound
 * for an executor's answer and where the first-attempt delay is measured from.
 */

describe("METRICS_TOKEN", () => {
  it("takes 16 printable characters without spaces, refuses 15 or a space naming the variable", () => {
    expect(parseMetricsConfig({})).toEqual({ token: null, port: null });
    expect(parseMetricsConfig({ METRICS_TOKEN: "0123456789abcdef" })).toEqual({ token: "0123456789abcdef", port: null });
    expect(parseMetricsConfig({ METRICS_TOKEN: "!#$%&'()*+,-./~|", METRICS_PORT: "9464" })).toEqual({ token: "!#$%&'()*+,-./~|", port: 9464 });
    for (const token of ["0123456789abcde", "0123456789 abcdef", "0123456789abcdef\t", "0123456789abcdéf"]) {
      expect(() => parseMetricsConfig({ METRICS_TOKEN: token }), JSON.stringify(token)).toThrow(MetricsConfigError);
      expect(() => parseMetricsConfig({ METRICS_TOKEN: token }), JSON.stringify(token)).toThrow(/METRICS_TOKEN/);
    }
  });
});

describe("tracing settings", () => {
  it("takes the OTLP endpoints as http(s) URLs and a service name; a bad value is refused naming the variable, an empty one is unset", () => {
    expect(parseTracingConfig({})).toEqual({});
    expect(parseTracingConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: "http://127.0.0.1:4318", OTEL_SERVICE_NAME: "hooks-eu", OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: "" })).toEqual({
      OTEL_EXPORTER_OTLP_ENDPOINT: "http://127.0.0.1:4318",
      OTEL_SERVICE_NAME: "hooks-eu",
    });
    const refused: [Record<string, string>, string][] = [
      [{ OTEL_EXPORTER_OTLP_ENDPOINT: "otel-collector:4318" }, "OTEL_EXPORTER_OTLP_ENDPOINT must be an http:// or https:// URL such as http://otel-collector:4318"],
      [{ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: "grpc://collector:4317" }, "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT must be an http:// or https:// URL"],
      [{ OTEL_SERVICE_NAME: "   " }, "OTEL_SERVICE_NAME must not be blank"],
      [{ OTEL_SERVICE_NAME: "x".repeat(256) }, "OTEL_SERVICE_NAME must be at most 255 characters"],
    ];
    for (const [source, message] of refused) {
      expect(() => parseTracingConfig(source), JSON.stringify(source)).toThrow(TracingConfigError);
      expect(() => parseTracingConfig(source), JSON.stringify(source)).toThrow(message);
    }
  });
});

describe("log settings", () => {
  it("writes JSON at info in production and readable lines otherwise; LOG_FORMAT and LOG_LEVEL override, an unknown value is refused", () => {
    expect(logSettings({ NODE_ENV: "production" })).toEqual({ format: "json", level: "info" });
    expect(logSettings({})).toEqual({ format: "pretty", level: "info" });
    expect(logSettings({ NODE_ENV: "development" })).toEqual({ format: "pretty", level: "info" });
    expect(logSettings({ NODE_ENV: "production", LOG_FORMAT: "pretty", LOG_LEVEL: "warn" })).toEqual({ format: "pretty", level: "warn" });
    expect(logSettings({ NODE_ENV: "development", LOG_FORMAT: "json", LOG_LEVEL: "silent" })).toEqual({ format: "json", level: "silent" });
    expect(() => logSettings({ LOG_LEVEL: "verbose" })).toThrow('LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent; got "verbose"');
    expect(() => logSettings({ LOG_FORMAT: "text" })).toThrow('LOG_FORMAT must be json or pretty; got "text"');
  });

  it("a process started with an invalid LOG_LEVEL says which and why on stderr and exits 1, with no stack trace", () => {
    const root = path.resolve(import.meta.dirname, "../..");
    const script = `const { logger } = await import(${JSON.stringify(path.join(root, "lib/observability/log.ts"))}); logger().info("never written");`;
    const child = spawnSync(process.execPath, ["--import", "tsx", "--input-type=module", "--eval", script], {
      cwd: root,
      env: { PATH: process.env.PATH, NODE_ENV: "production", LOG_LEVEL: "verbose" },
      encoding: "utf8",
      timeout: 30_000,
    });
    expect(child.status).toBe(1);
    expect(child.stderr).toBe('Invalid environment:\n  LOG_LEVEL: LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent; got "verbose"\n');
    expect(child.stdout).toBe("");
  });

  it("gives every JSON line its time in epoch milliseconds and the process id", () => {
    const lines: string[] = [];
    const destination = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(...chunk.toString().split("\n").filter(Boolean));
        done();
      },
    });
    const before = Date.now();
    createLogger({ format: "json", level: "info" }, destination).info("hello");
    const line = JSON.parse(lines[0]!) as Record<string, unknown>;
    expect(line).toMatchObject({ level: 30, pid: process.pid, msg: "hello" });
    expect(typeof line.time).toBe("number");
    expect(line.time).toBeGreaterThanOrEqual(before);
    expect(line.time).toBeLessThanOrEqual(Date.now());
  });
});

describe("errorFields", () => {
  it("keeps an error's type, message, code and stack only, never the properties it carries", () => {
    const error = Object.assign(new TypeError("duplicate key"), {
      code: "23505",
      params: ["whsec_param_secret"],
      headers: { authorization: "Bearer sk_header_secret" },
    });
    const { error: fields } = errorFields(error);
    expect(Object.keys(fields).sort()).toEqual(["code", "message", "stack", "type"]);
    expect(fields).toMatchObject({ type: "TypeError", message: "duplicate key", code: "23505" });
    expect(JSON.stringify(fields)).not.toMatch(/whsec_param_secret|sk_header_secret/);
    expect(errorFields("plain text")).toEqual({ error: { type: "string", message: "plain text" } });
  });
});

describe("metrics timing", () => {
  it("represents an executor that does not answer within 1.5 s by its last answer", () => {
    expect(EXECUTOR_ANSWER_MS).toBe(1_500);
  });

  it("measures a first attempt's delay from when it was due (a scheduled message's deliverAt), not from acceptance", async () => {
    const delay = async () => {
      const metric = (await processMetrics()).find((m) => m.name === "hookrelay_delivery_first_attempt_delay_seconds");
      const value = (suffix: string) => metric?.values.find((v) => v.metricName === `hookrelay_delivery_first_attempt_delay_seconds_${suffix}`)?.value ?? 0;
      return { sum: value("sum"), count: value("count") };
    };
    const before = await delay();
    // Accepted an hour before its deliverAt (the delivery's nextAttemptAt, delivery-scheduled checks), started 2.5 s after it.
    const deliverAt = new Date("2030-01-01T12:00:00.000Z");
    const outcome = { ok: true, startedAt: "2030-01-01T12:00:02.500Z", durationMs: 20, statusCode: 200 };
    observeAttempts([{ outcome, next: { status: "SUCCEEDED" }, context: { nextAttemptAt: deliverAt } }], 1);
    // A retry's start is not a first attempt's delay.
    observeAttempts([{ outcome, next: { status: "SUCCEEDED" }, context: { nextAttemptAt: deliverAt } }], 2);
    const after = await delay();
    expect(after.count - before.count).toBe(1);
    expect(after.sum - before.sum).toBeCloseTo(2.5, 6);
  });
});
