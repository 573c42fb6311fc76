import http from "node:http";
import https from "node:https";
import type { AddressInfo } from "node:net";

/**
 * A real HTTP receiver on 127.0.0.1 for delivery tests and benchmarks. It records every request
 * (exact body bytes, headers, arrival time) and answers according to a programmable fault mode.
 * Bounded: it keeps at most `maxRecorded` requests and reads at most `maxBodyBytes` of a body.
 */

export type ReceiverMode =
  /** Answer with this status (default body "ok"). */
  | { kind: "status"; status: number; body?: string | Buffer; headers?: Record<string, string> }
  /** Wait `delayMs` before answering (stops waiting when the client gives up). */
  | { kind: "slow"; delayMs: number; status?: number }
  /** Send headers at once, then the body only after `delayMs`. */
  | { kind: "slow-body"; delayMs: number; status?: number }
  /** Abort the TCP connection with a reset (RST) once the request has arrived. */
  | { kind: "reset" }
  /** Answer with a redirect to `location` (a path on this receiver by default). */
  | { kind: "redirect"; status?: 301 | 302 | 303 | 307 | 308; location?: string }
  /** Fail `failures` times with `failStatus` (default 500), then answer 200. */
  | { kind: "fail-then-succeed"; failures: number; failStatus?: number }
  /** One mode per request in order; the last one repeats. */
  | { kind: "sequence"; modes: ReceiverMode[] }
  /** Keep the request unanswered until `release()` (or until the client goes away). */
  | { kind: "hold" };

export interface ReceivedRequest {
  /** 0-based arrival order, counting requests that were not kept. */
  index: number;
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
  /** The client's port: equal across requests that shared a kept-alive connection. */
  remotePort: number;
  /** Epoch milliseconds with sub-millisecond precision, taken when the headers arrived. */
  receivedAt: number;
}

export interface Receiver {
  /** Base URL, e.g. http://127.0.0.1:41234 */
  url: string;
  port: number;
  requests: ReceivedRequest[];
  /** Requests seen, including any beyond `maxRecorded`. */
  readonly total: number;
  setMode(mode: ReceiverMode): void;
  /** Answers every held request with `mode` (200 "ok" by default); returns how many there were. */
  release(mode?: ReceiverMode): number;
  /** Forget recorded requests and restart fault counters. */
  reset(): void;
  /** Resolves once `count` requests have fully arrived; rejects after `timeoutMs`. */
  waitForRequests(count: number, timeoutMs?: number): Promise<ReceivedRequest[]>;
  close(): Promise<void>;
}

export interface ReceiverOptions {
  mode?: ReceiverMode;
  maxRecorded?: number;
  maxBodyBytes?: number;
  /** Serve HTTPS with this key and certificate (PEM) instead of plain HTTP. */
  tls?: { key: string; cert: string };
}

const epochNow = () => performance.timeOrigin + performance.now();

function modeFor(mode: ReceiverMode, index: number): Exclude<ReceiverMode, { kind: "sequence" | "fail-then-succeed" }> {
  if (mode.kind === "sequence") {
    if (mode.modes.length === 0) return { kind: "status", status: 200 };
    return modeFor(mode.modes[Math.min(index, mode.modes.length - 1)], index);
  }
  if (mode.kind === "fail-then-succeed") {
    return index < mode.failures ? { kind: "status", status: mode.failStatus ?? 500, body: "failing" } : { kind: "status", status: 200 };
  }
  return mode;
}

export async function startReceiver(options: ReceiverOptions = {}): Promise<Receiver> {
  const maxRecorded = options.maxRecorded ?? 10_000;
  const maxBodyBytes = options.maxBodyBytes ?? 1024 * 1024;
  let mode: ReceiverMode = options.mode ?? { kind: "status", status: 200 };
  let seen = 0;
  const requests: ReceivedRequest[] = [];
  let waiters: Array<() => void> = [];
  let held: Array<{ req: http.IncomingMessage; res: http.ServerResponse }> = [];

  const handler = (req: http.IncomingMessage, res: http.ServerResponse) => {
    const index = seen++;
    const receivedAt = epochNow();
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size <= maxBodyBytes) chunks.push(chunk);
    });
    req.on("end", () => {
      if (requests.length < maxRecorded) {
        requests.push({
          index,
          method: req.method ?? "",
          path: req.url ?? "",
          headers: req.headers, body: Buffer.concat(chunks), remotePort: req.socket.remotePort ?? 0, receivedAt });
      }
      const current = waiters;
      waiters = [];
      for (const wake of current) wake();
      respond(modeFor(mode, index), req, res);
    });
  };
  const server = options.tls ? https.createServer({ key: options.tls.key, cert: options.tls.cert }, handler) : http.createServer(handler);
  server.keepAliveTimeout = 30_000;

  function respond(m: ReturnType<typeof modeFor>, req: http.IncomingMessage, res: http.ServerResponse) {
    switch (m.kind) {
      case "hold": {
        const entry = { req, res };
        held.push(entry);
        res.on("close", () => (held = held.filter((h) => h !== entry)));
        return;
      }
      case "status": {
        const body = m.body ?? "ok";
        res.writeHead(m.status, { "content-type": "text/plain", ...m.headers, "content-length": Buffer.byteLength(body) });
        res.end(body);
        return;
      }
      case "slow": {
        const timer = setTimeout(() => res.writeHead(m.status ?? 200).end("late"), m.delayMs);
        res.on("close", () => clearTimeout(timer));
        return;
      }
      case "slow-body": {
        res.writeHead(m.status ?? 200, { "content-type": "text/plain" });
        res.write("partial");
        const timer = setTimeout(() => res.end(" and late"), m.delayMs);
        res.on("close", () => clearTimeout(timer));
        return;
      }
      case "reset":
        req.socket.resetAndDestroy();
        return;
      case "redirect":
        res.writeHead(m.status ?? 302, { location: m.location ?? "/redirected", "content-length": 0 }).end();
        return;
    }
  }

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `${options.tls ? "https" : "http"}://127.0.0.1:${port}`,
    port,
    requests,
    get total() {
      return seen;
    },
    setMode(next) {
      mode = next;
    },
    release(answer = { kind: "status", status: 200 }) {
      const waiting = held;
      held = [];
      for (const { req, res } of waiting) respond(modeFor(answer, 0), req, res);
      return waiting.length;
    },
    reset() {
      requests.length = 0;
      seen = 0;
    },
    async waitForRequests(count, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      while (requests.length < count) {
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`receiver got ${requests.length} of ${count} requests within ${timeoutMs} ms`);
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, left);
          waiters.push(() => {
            clearTimeout(timer);
            resolve();
          });
        });
      }
      return requests.slice(0, count);
    },
    close() {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
