import { createHash, timingSafeEqual } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { AggregatorRegistry } from "prom-client";
import type { MetricJson } from "@/lib/observability/metrics";

/**
 * `GET /metrics` in Prometheus's text format, answered by the plain Node server in front of Next
 * (scripts/serve.ts), before Next's routing and session guard. Without METRICS_TOKEN it answers
 * 404, as if it did not exist; with it, every request must carry `Authorization: Bearer <token>`
 * (401 otherwise), compared in constant time.
 */

export const METRICS_PATH = "/metrics";

export interface MetricsEndpointOptions {
  /** METRICS_TOKEN, or null when metrics are off. */
  token: string | null;
  /** Every metric to expose, one array per source (this process, the others, the database). */
  gather: () => Promise<MetricJson[][]>;
  /** Told when gathering failed (the answer is then a 500). */
  onError?: (error: unknown) => void;
}

const digest = (value: string) => createHash("sha256").update(value).digest();

/** Whether `header` is `Bearer <token>`; hashing first makes the comparison constant-time whatever the lengths. */
export function bearerMatches(header: string | undefined, tokenDigest: Buffer): boolean {
  const match = /^Bearer +(\S+)\s*$/i.exec(header ?? "");
  const given = digest(match?.[1] ?? "");
  return timingSafeEqual(given, tokenDigest) && match !== null;
}

/**
 * Merges the metrics of several processes into one exposition. Series of different processes
 * differ by their `process` label, so nothing is added up; a metric prom-client marks "omit" in
 * an aggregation (the start time) is kept per process for the same reason.
 */
export async function exposition(sources: MetricJson[][]): Promise<{ contentType: string; body: string }> {
  const kept = sources.map((metrics) => metrics.map((m) => (m.aggregator === "omit" ? { ...m, aggregator: "first" } : m)));
  const registry = AggregatorRegistry.aggregate(kept);
  return { contentType: registry.contentType, body: await registry.metrics() };
}

function plain(res: ServerResponse, status: number, text: string, headers: Record<string, string> = {}) {
  res.writeHead(status, { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store", ...headers }).end(`${text}\n`);
}

/** A request handler that answers true when it took the request (its path is /metrics), false when it is Next's. */
export function metricsEndpoint(options: MetricsEndpointOptions): (req: IncomingMessage, res: ServerResponse) => boolean {
  const tokenDigest = options.token === null ? null : digest(options.token);
  return (req, res) => {
    const target = req.url ?? "";
    const queryAt = target.indexOf("?");
    if ((queryAt === -1 ? target : target.slice(0, queryAt)) !== METRICS_PATH) return false;
    if (!tokenDigest) {
      plain(res, 404, "Not found");
      return true;
    }
    if (!bearerMatches(req.headers.authorization, tokenDigest)) {
      plain(res, 401, "Send METRICS_TOKEN as Authorization: Bearer <token>.", { "www-authenticate": 'Bearer realm="metrics"' });
      return true;
    }
    if (req.method !== "GET" && req.method !== "HEAD") {
      plain(res, 405, "Method not allowed", { allow: "GET, HEAD" });
      return true;
    }
    options
      .gather()
      .then(exposition)
      .then(({ contentType, body }) => {
        res.writeHead(200, { "content-type": contentType, "cache-control": "no-store" });
        res.end(req.method === "HEAD" ? undefined : body);
      })
      .catch((error: unknown) => {
        options.onError?.(error);
        if (!res.headersSent) plain(res, 500, "The metrics could not be gathered.");
        else res.destroy();
      });
    return true;
  };
}
