import type { ChildProcess } from "node:child_process";
import { processMetrics, type MetricJson } from "@/lib/observability/metrics";

/**
 * How `/metrics` reaches the executor processes of `npm start`: prom-client's AggregatorRegistry
 * pattern over the IPC channels `npm start` already holds to its children. The server asks its
 * parent (scripts/start.ts), which asks each executor process and answers with their
 * `getMetricsAsJSON()`; the server merges them with its own (metrics-endpoint.ts). No port is
 * opened for it and nothing is written to the database.
 *
 * An executor that does not answer in time (busy, or frozen) is represented by its last answer:
 * its counters then stand still instead of vanishing, which Prometheus would read as a reset.
 */

const REQUEST = "hookrelay.metrics.request";
const REPLY = "hookrelay.metrics.reply";

/** How long the parent waits for each executor; the server waits a little longer for the parent. */
export const EXECUTOR_ANSWER_MS = 1_500;
const PARENT_ANSWER_MS = EXECUTOR_ANSWER_MS + 1_000;

interface MetricsRequest {
  kind: typeof REQUEST;
  id: number;
}
interface MetricsReply {
  kind: typeof REPLY;
  id: number;
  /** One array per process. */
  processes: MetricJson[][];
}

const isRequest = (m: unknown): m is MetricsRequest => typeof m === "object" && m !== null && (m as { kind?: unknown }).kind === REQUEST;
const isReply = (m: unknown): m is MetricsReply => typeof m === "object" && m !== null && (m as { kind?: unknown }).kind === REPLY;

/** A channel: the messages it receives, and a way to send one (calling back with the error, if any). */
interface Channel {
  on(event: "message", listener: (message: unknown) => void): unknown;
  off(event: "message", listener: (message: unknown) => void): unknown;
}
type Send = (message: MetricsRequest, callback: (error: Error | null) => void) => void;

/** Sends a request on `channel` and resolves with the matching reply, or null after `timeoutMs`. */
function ask(channel: Channel, send: Send, id: number, timeoutMs: number): Promise<MetricJson[][] | null> {
  return new Promise((resolve) => {
    const onMessage = (message: unknown) => {
      if (!isReply(message) || message.id !== id) return;
      done(message.processes);
    };
    const timer = setTimeout(() => done(null), timeoutMs);
    timer.unref();
    function done(value: MetricJson[][] | null) {
      clearTimeout(timer);
      channel.off("message", onMessage);
      resolve(value);
    }
    channel.on("message", onMessage);
    try {
      send({ kind: REQUEST, id }, (error) => {
        if (error) done(null);
      });
    } catch {
      done(null);
    }
  });
}

let nextId = 1;

/** In the server: the metrics of the other processes of this `npm start` (none when it was started otherwise). */
export async function peerMetrics(): Promise<MetricJson[][]> {
  if (!process.send || !process.connected) return [];
  const send: Send = (message, callback) => void process.send?.(message, undefined, undefined, callback);
  return (await ask(process, send, nextId++, PARENT_ANSWER_MS)) ?? [];
}

/** In an executor process started by `npm start`: answers the parent's requests with this process's metrics. */
export function answerMetricsRequests(): void {
  if (!process.send) return;
  process.on("message", (message: unknown) => {
    if (!isRequest(message)) return;
    void processMetrics().then((metrics) => {
      if (process.connected) process.send?.({ kind: REPLY, id: message.id, processes: [metrics] } satisfies MetricsReply);
    });
  });
}

/**
 * In `npm start`: answers the server's requests with the metrics of the executor processes alive
 * now (`executors()`), each asked at once.
 */
export function relayMetricsRequests(server: ChildProcess, executors: () => readonly ChildProcess[]): void {
  const last = new WeakMap<ChildProcess, MetricJson[][]>();
  server.on("message", (message: unknown) => {
    if (!isRequest(message)) return;
    void Promise.all(
      executors().map(async (child) => {
        const answer = child.connected ? await ask(child, (m, callback) => void child.send(m, callback), message.id, EXECUTOR_ANSWER_MS) : null;
        if (answer) last.set(child, answer);
        return answer ?? last.get(child) ?? [];
      }),
    ).then((answers) => {
      if (server.connected) server.send({ kind: REPLY, id: message.id, processes: answers.flat() } satisfies MetricsReply);
    });
  });
}
