import { context, propagation, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Context, type Span } from "@opentelemetry/api";

/**
 * OpenTelemetry traces, on only when OTEL_EXPORTER_OTLP_ENDPOINT (or the traces-only
 * OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) is set: the SDK is started by each process
 * (tracing-sdk.ts, from scripts/serve.ts and scripts/worker.ts). Read once, when this module loads:
 * with tracing off, every caller tests `tracingEnabled` first and takes its untraced path, so a
 * request or a delivery allocates nothing for tracing and never calls into OpenTelemetry.
 *
 * One trace per message: the API call's span (`runOperation`), then, in the executor process, one
 * `deliver` span per delivery continuing it from the `traceparent` stored with the delivery's event
 * (inngest/events.ts), and its `POST` span, whose context the receiver gets as `traceparent`.
 * Spans carry ids (message, endpoint, delivery), never payloads, URLs' queries or secrets; Next's own
 * request spans are scrubbed of their URL's query and tokens before export (tracing-sdk.ts).
 */
export const tracingEnabled = Boolean(process.env.OTEL_EXPORTER_OTLP_ENDPOINT || process.env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT);

/** The tracer of the product's own spans (tracing-sdk.ts passes them unchanged). */
export const TRACER = "hookrelay";

type Attributes = Record<string, string | number | boolean>;

/** Runs `fn` as the current span, child of `parent`; records a thrown error and always ends the span. */
async function inSpan<T>(name: string, kind: SpanKind, parent: Context, attributes: Attributes, fn: (span: Span) => Promise<T>): Promise<T> {
  const span = trace.getTracer(TRACER).startSpan(name, { kind, attributes }, parent);
  try {
    return await context.with(trace.setSpan(parent, span), () => fn(span));
  } catch (error) {
    span.recordException(error instanceof Error ? error : String(error));
    span.setStatus({ code: SpanStatusCode.ERROR });
    throw error;
  } finally {
    span.end();
  }
}

/** The W3C `traceparent` of the current span, to store with work another process continues; null without one. */
export function currentTraceparent(): string | null {
  if (!tracingEnabled) return null;
  const carrier: Record<string, string> = {};
  propagation.inject(context.active(), carrier);
  return carrier.traceparent ?? null;
}

/** Sets an attribute on the current span (e.g. the id of what the call created). */
export function annotateSpan(key: string, value: string | number): void {
  if (!tracingEnabled) return;
  trace.getActiveSpan()?.setAttribute(key, value);
}

/**
 * An API call's span (SERVER), continuing the client's trace when it sent a `traceparent`. Callers
 * check `tracingEnabled` first.
 */
export function apiSpan(
  operation: { operationId: string; method: string; path: string },
  headers: { get(name: string): string | null },
  fn: () => Promise<Response>,
): Promise<Response> {
  // Under Next, its own request span is current and already continues the client's trace: nest in it.
  const parent = trace.getSpan(context.active())
    ? context.active()
    : propagation.extract(ROOT_CONTEXT, headers, { get: (h, key) => h.get(key) ?? undefined, keys: () => ["traceparent", "tracestate"] });
  const attributes = { "http.request.method": operation.method, "http.route": operation.path, "hookrelay.operation": operation.operationId };
  return inSpan(`${operation.method} ${operation.path}`, SpanKind.SERVER, parent, attributes, async (span) => {
    const response = await fn();
    span.setAttribute("http.response.status_code", response.status);
    if (response.status >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
    return response;
  });
}

export interface DeliveryTrace {
  /** Stored with the delivery's event when the message was accepted; absent for work started outside a trace. */
  traceparent?: string | null;
  functionId: string;
  deliveryId: string;
  messageId: string;
  endpointId: string;
  attempt: number;
}

/**
 * One attempt of a delivery in the executor: a `deliver` span (CONSUMER) continuing the message's
 * trace, and its `POST` span (CLIENT); `send` gets the POST span's `traceparent` for the request.
 * Callers check `tracingEnabled` first.
 */
export function deliverySpans<T extends { ok: boolean; statusCode?: number | null }>(work: DeliveryTrace, send: (traceparent: string | undefined) => Promise<T>): Promise<T> {
  const parent = work.traceparent ? propagation.extract(ROOT_CONTEXT, { traceparent: work.traceparent }) : ROOT_CONTEXT;
  const ids = { "hookrelay.message.id": work.messageId, "hookrelay.endpoint.id": work.endpointId, "hookrelay.delivery.id": work.deliveryId, "hookrelay.attempt": work.attempt };
  return inSpan("deliver", SpanKind.CONSUMER, parent, { ...ids, "hookrelay.function": work.functionId }, () =>
    inSpan("POST", SpanKind.CLIENT, context.active(), { ...ids, "http.request.method": "POST" }, async (span) => {
      const outcome = await send(currentTraceparent() ?? undefined);
      if (outcome.statusCode) span.setAttribute("http.response.status_code", outcome.statusCode);
      if (!outcome.ok) span.setStatus({ code: SpanStatusCode.ERROR });
      return outcome;
    }),
  );
}
