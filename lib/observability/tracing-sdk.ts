import { z } from "zod";
import { tracingEnabled } from "@/lib/observability/tracing";

/**
 * Starts OpenTelemetry's SDK in this process when tracing is on (tracing.ts): manual spans only
 * (no auto-instrumentation), exported in batches over OTLP/HTTP with JSON bodies to
 * OTEL_EXPORTER_OTLP_ENDPOINT (`/v1/traces` appended) or OTEL_EXPORTER_OTLP_TRACES_ENDPOINT. The
 * SDK's own OTEL_* variables apply (OTEL_SERVICE_NAME, OTEL_EXPORTER_OTLP_HEADERS,
 * OTEL_BSP_SCHEDULE_DELAY, OTEL_TRACES_SAMPLER, ...). No metrics or logs go through it: metrics
 * are Prometheus's (/metrics), logs are JSON lines on stdout. Loaded only by the long-running
 * scripts, never by Next's bundles.
 */

const endpointSchema = z.object({
  OTEL_EXPORTER_OTLP_ENDPOINT: z.url("OTEL_EXPORTER_OTLP_ENDPOINT must be a URL such as http://otel-collector:4318").optional(),
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: z.url("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT must be a URL such as http://otel-collector:4318/v1/traces").optional(),
});

export class TracingConfigError extends Error {}

/** Returns the function that flushes and stops the SDK (a no-op when tracing is off). */
export async function startTracing(serviceName: string): Promise<() => Promise<void>> {
  if (!tracingEnabled) return async () => {};
  const cleaned = Object.fromEntries(Object.entries(process.env).filter(([, v]) => v !== undefined && v !== ""));
  const parsed = endpointSchema.safeParse(cleaned);
  if (!parsed.success) throw new TracingConfigError(`Invalid tracing environment:\n${parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`).join("\n")}`);
  const [{ NodeSDK }, { OTLPTraceExporter }] = await Promise.all([import("@opentelemetry/sdk-node"), import("@opentelemetry/exporter-trace-otlp-http")]);
  const sdk = new NodeSDK({
    serviceName: process.env.OTEL_SERVICE_NAME || serviceName,
    traceExporter: new OTLPTraceExporter(),
    instrumentations: [],
    metricReaders: [],
    logRecordProcessors: [],
  });
  sdk.start();
  return () => sdk.shutdown();
}
