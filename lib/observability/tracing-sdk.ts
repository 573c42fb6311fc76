import type { tracing } from "@opentelemetry/sdk-node";
import { z } from "zod";
import { TRACER, tracingEnabled } from "@/lib/observability/tracing";
import { settingsErrorText } from "@/lib/settings-error";

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
  OTEL_EXPORTER_OTLP_ENDPOINT: z.url({ protocol: /^https?$/, error: "OTEL_EXPORTER_OTLP_ENDPOINT must be an http:// or https:// URL such as http://otel-collector:4318" }).optional(),
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: z.url({ protocol: /^https?$/, error: "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT must be an http:// or https:// URL such as http://otel-collector:4318/v1/traces" }).optional(),
  /** The traces' `service.name`; by default `hookrelay` (the server) or `hookrelay-executor`. */
  OTEL_SERVICE_NAME: z.string().trim().min(1, "OTEL_SERVICE_NAME must not be blank").max(255, "OTEL_SERVICE_NAME must be at most 255 characters").optional(),
});

export class TracingConfigError extends Error {}

/** The tracing variables of `source` (empty ones count as unset), or a TracingConfigError naming each bad one. */
export function parseTracingConfig(source: Record<string, string | undefined>): z.infer<typeof endpointSchema> {
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ""));
  const parsed = endpointSchema.safeParse(cleaned);
  if (!parsed.success) throw new TracingConfigError(settingsErrorText("Invalid tracing environment", parsed.error));
  return parsed.data;
}

/** Returns the function that flushes and stops the SDK (a no-op when tracing is off). */
export async function startTracing(serviceName: string): Promise<() => Promise<void>> {
  if (!tracingEnabled) return async () => {};
  const config = parseTracingConfig(process.env);
  const [{ NodeSDK }, { OTLPTraceExporter }] = await Promise.all([import("@opentelemetry/sdk-node"), import("@opentelemetry/exporter-trace-otlp-http")]);
  const sdk = new NodeSDK({
    serviceName: config.OTEL_SERVICE_NAME ?? serviceName,
    traceExporter: scrubbingExporter(new OTLPTraceExporter()),
    instrumentations: [],
    metricReaders: [],
    logRecordProcessors: [],
  });
  sdk.start();
  return () => sdk.shutdown();
}

/** Paths whose segment after the prefix is a secret: an invite's token, a test receiver's. */
const TOKEN_PATH = /\/(invite|test-receiver|play)\/[^/?#\s]+/g;
/** Attributes other libraries (Next's request spans) fill with the request's URL. */
const URL_ATTRIBUTES = new Set(["http.target", "http.url", "url.full", "url.path", "url.query", "next.route"]);

/** A URL or path as it may be exported: no query string, no token in the path. */
export function redactUrl(text: string): string {
  return text.replace(/\?\S*/, "").replace(TOKEN_PATH, "/$1/[token]");
}

/**
 * A span of another tracer as it may leave the process. Next's own request spans (exported
 * because this SDK registers the global provider, and kept: the API's span nests in them) carry the
 * request's URL in their name and `http.target`, which can hold an invite's or a test receiver's
 * token and any query string. Our spans (tracer `hookrelay`) never carry them and pass as they are.
 */
export function scrubSpan(span: tracing.ReadableSpan): tracing.ReadableSpan {
  if (span.instrumentationScope.name === TRACER) return span;
  const name = redactUrl(span.name);
  let changed = name !== span.name;
  const attributes: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(span.attributes)) {
    const scrubbed = URL_ATTRIBUTES.has(key) && typeof value === "string" ? key === "url.query" ? "" : redactUrl(value) : value;
    if (scrubbed !== value) changed = true;
    attributes[key] = scrubbed;
  }
  if (!changed) return span;
  // The span's own methods (spanContext()) and other fields are read through the prototype.
  return Object.create(span, { name: { value: name, enumerable: true }, attributes: { value: attributes, enumerable: true } }) as tracing.ReadableSpan;
}

/** `inner` exporting every span through `scrubSpan`. */
export function scrubbingExporter(inner: tracing.SpanExporter): tracing.SpanExporter {
  return {
    export: (spans, done) => inner.export(spans.map(scrubSpan), done),
    shutdown: () => inner.shutdown(),
    forceFlush: () => inner.forceFlush?.() ?? Promise.resolve(),
  };
}
