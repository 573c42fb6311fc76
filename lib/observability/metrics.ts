import { collectDefaultMetrics, Counter, Histogram, register } from "prom-client";
import type { AttemptErrorKind, AttemptOutcome } from "@/lib/delivery/attempt";

/**
 * The product's Prometheus metrics (docs/operations.md lists each one and where it is counted).
 * Counters and histograms are in-process increments on prom-client's default registry, counted by
 * the process that did the work: the API by the server, attempts by the executor processes. The
 * server's `GET /metrics` (lib/observability/metrics-endpoint.ts) answers with every process's
 * series (collected over IPC: metrics-ipc.ts) and the gauges read from PostgreSQL at scrape time
 * (metrics-db.ts). Nothing here writes to the
 * database or allocates per delivery beyond the increment itself.
 *
 * Labels take values from the fixed sets below only: no organization, endpoint or message id
 * ever becomes a label (a label value per customer would grow the series without bound).
 */

export const METRIC_PREFIX = "hookrelay_";

/** One series of a metric, as prom-client's `getMetricsAsJSON()` writes it. */
export interface MetricSample {
  value: number;
  labels: Record<string, string | number>;
  metricName?: string;
}

/** A metric as prom-client's `getMetricsAsJSON()` writes it (its `type` is the text of the exposition format), the form processes exchange. */
export interface MetricJson {
  name: string;
  help: string;
  type: string;
  values: MetricSample[];
  aggregator: string;
}

export const OUTCOMES = ["succeeded", "failed"] as const;
export const ERROR_KINDS = [
  "none",
  "timeout",
  "connection_refused",
  "connection_reset",
  "dns",
  "tls",
  "redirect",
  "not_http",
  "http_status",
  "ssrf_blocked",
  "invalid_url",
  "other",
] as const satisfies readonly (AttemptErrorKind | "none")[];
// Fails to compile when attempt.ts gains an error kind this list lacks.
const everyErrorKind: Exclude<AttemptErrorKind, (typeof ERROR_KINDS)[number]> extends never ? true : never = true;
void everyErrorKind;
export const STATUS_CLASSES = ["none", "1xx", "2xx", "3xx", "4xx", "5xx", "other"] as const;

export type StatusClass = (typeof STATUS_CLASSES)[number];

/** An HTTP status as its class; "none" when no answer came (a connection error, a timeout). */
export function statusClass(status: number | null | undefined): StatusClass {
  if (status === null || status === undefined) return "none";
  if (status < 100 || status > 599) return "other";
  return `${Math.floor(status / 100)}xx` as StatusClass;
}

function createMetrics() {
  return {
    messagesAccepted: new Counter({
      name: `${METRIC_PREFIX}messages_accepted_total`,
      help: "Messages recorded (API and dashboard), one per message whatever its number of deliveries. A repeated eventId is refused (409) and not counted.",
    }),
    attempts: new Counter({
      name: `${METRIC_PREFIX}delivery_attempts_total`,
      help: "Scheduled delivery attempts (first attempts and retries) by outcome, classified error and answer's status class.",
      labelNames: ["outcome", "error_kind", "status_class"] as const,
    }),
    deliveriesFinished: new Counter({
      name: `${METRIC_PREFIX}deliveries_finished_total`,
      help: "Deliveries their attempts ended: succeeded, or failed once the retry schedule was exhausted.",
      labelNames: ["outcome"] as const,
    }),
    attemptDuration: new Histogram({
      name: `${METRIC_PREFIX}delivery_attempt_duration_seconds`,
      help: "Time from sending a delivery's request to the end of its answer (or the error), by outcome.",
      labelNames: ["outcome"] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 15, 30],
    }),
    firstAttemptDelay: new Histogram({
      name: `${METRIC_PREFIX}delivery_first_attempt_delay_seconds`,
      help: "Time from when a delivery's first attempt was due (the message's acceptance, or its deliverAt) to the start of that attempt.",
      buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600],
    }),
    apiRequests: new Counter({
      name: `${METRIC_PREFIX}api_requests_total`,
      help: "Calls of the /api/v1 API answered, by operation (its operationId) and status class.",
      labelNames: ["operation", "status_class"] as const,
    }),
    leaseExpiries: new Counter({
      name: `${METRIC_PREFIX}executor_lease_expiries_total`,
      help: "Executor runs taken over after the lease of the executor that held them expired (a crashed, stopped or stalled executor).",
    }),
  };
}

type Metrics = ReturnType<typeof createMetrics>;

/**
 * One set per process, whichever copy of this module asks: Next's server bundle and the server
 * script's bundle each load their own copy, and a second registration of a name would throw.
 */
const KEY = Symbol.for("hookrelay.metrics");
const holder = globalThis as typeof globalThis & { [KEY]?: Metrics };

function metrics(): Metrics {
  return (holder[KEY] ??= createMetrics());
}

/**
 * Labels every series of this process with the process that counts it (`server`, `executor-0`,
 * ...; a bounded set, one per configured process) and starts prom-client's per-process metrics
 * (CPU, memory, event loop, handles). Series of different processes are kept apart rather than
 * summed: a restarted process starts its counters at zero, which Prometheus reads correctly as the
 * reset of that process's series, whereas a sum that dropped would look like a reset of them all.
 */
export function startProcessMetrics(processName: string): void {
  const started = Symbol.for("hookrelay.metrics.process");
  const flags = globalThis as typeof globalThis & { [started]?: true };
  if (flags[started]) return;
  flags[started] = true;
  metrics();
  register.setDefaultLabels({ process: processName });
  collectDefaultMetrics({ prefix: METRIC_PREFIX });
}

export function countMessageAccepted(): void {
  metrics().messagesAccepted.inc();
}

/** What `observeAttempts` reads of a recorded attempt. */
export interface ObservedAttempt {
  outcome: Pick<AttemptOutcome, "ok" | "startedAt" | "durationMs" | "statusCode" | "errorKind">;
  next: { status: "SUCCEEDED" | "PENDING" | "FAILED" };
  /** `nextAttemptAt` as the attempt's context read it: when the attempt was due (read for first attempts only). */
  context: { nextAttemptAt: Date | null };
}

/** Scheduled attempts once recorded: counters, their duration and, for first attempts, how late they started. */
export function observeAttempts(records: readonly ObservedAttempt[], attemptNumber: number): void {
  const m = metrics();
  for (const { outcome, next, context } of records) {
    const result = outcome.ok ? "succeeded" : "failed";
    m.attempts.inc({ outcome: result, error_kind: outcome.ok ? "none" : (outcome.errorKind ?? "other"), status_class: statusClass(outcome.statusCode) });
    m.attemptDuration.observe({ outcome: result }, outcome.durationMs / 1000);
    if (next.status === "SUCCEEDED") m.deliveriesFinished.inc({ outcome: "succeeded" });
    else if (next.status === "FAILED") m.deliveriesFinished.inc({ outcome: "failed" });
    if (attemptNumber === 1 && context.nextAttemptAt) m.firstAttemptDelay.observe(Math.max(0, Date.parse(outcome.startedAt) - context.nextAttemptAt.getTime()) / 1000);
  }
}

export function countApiRequest(operationId: string, status: number): void {
  metrics().apiRequests.inc({ operation: operationId, status_class: statusClass(status) });
}

export function countLeaseExpiries(count: number): void {
  if (count > 0) metrics().leaseExpiries.inc(count);
}

/**
 * Every metric of this process as JSON, the form processes exchange: prom-client's default
 * registry, shared with metrics other modules register (the watchdog's).
 */
export async function processMetrics(): Promise<MetricJson[]> {
  metrics();
  // prom-client types `type` as its enum; at run time it is the exposition's text ("counter", ...).
  return (await register.getMetricsAsJSON()) as unknown as MetricJson[];
}
