import http from "node:http";
import https from "node:https";
import { z } from "zod";
import { EXECUTOR_KEY_HEADER } from "@/inngest/executor/auth";

/**
 * The HTTP side of the contract Inngest's server speaks with `serve()`: in-band sync (PUT) and
 * execution requests (POST ?fnId=&stepId=). Nothing here knows about the database.
 */

export const opSchema = z
  .object({
    id: z.string(),
    op: z.string(),
    name: z.string().optional(),
    displayName: z.string().optional(),
    data: z.unknown().optional(),
    error: z.unknown().optional(),
  })
  .loose();

export type Op = z.infer<typeof opSchema>;

export type MemoizedStep = { type: "data"; data: unknown } | { type: "error"; error: unknown };

export interface ExecuteRequest {
  fnId: string;
  /** "step" to discover and run the next step, or a planned step's hash. */
  stepId: string;
  runId: string;
  event: unknown;
  /** All events of a batch run (the first is `event`). */
  events: unknown[];
  steps: Record<string, MemoizedStep>;
  stack: string[];
  attempt: number;
  maxAttempts: number;
}

export type ExecuteOutcome =
  | { kind: "complete"; data: unknown }
  | { kind: "ops"; ops: Op[]; retryAfter?: string }
  | { kind: "error"; retriable: boolean; retryAfter?: string; error: unknown; status: number };

export interface DriverOptions {
  serveUrl: string;
  executorKey?: string;
  requestTimeoutMs: number;
}

interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

const header = (headers: http.IncomingHttpHeaders, name: string) => {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
};

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

export class ServeDriver {
  private readonly agent: http.Agent;
  private readonly transport: typeof http | typeof https;
  private readonly base: URL;

  constructor(private readonly options: DriverOptions) {
    this.base = new URL(options.serveUrl);
    this.transport = this.base.protocol === "https:" ? https : http;
    // Keep-alive: every run makes several requests in a row; new connections would dominate.
    this.agent = new this.transport.Agent({ keepAlive: true, maxSockets: 256 });
  }

  close(): void {
    this.agent.destroy();
  }

  private send(method: "PUT" | "POST", url: URL, body: unknown, extraHeaders: Record<string, string> = {}): Promise<RawResponse> {
    const payload = JSON.stringify(body);
    const headers: Record<string, string> = {
      "content-type": "application/json",
      "content-length": String(Buffer.byteLength(payload)),
      ...extraHeaders,
    };
    if (this.options.executorKey) headers[EXECUTOR_KEY_HEADER] = this.options.executorKey;
    return new Promise((resolve, reject) => {
      const req = this.transport.request(url, { method, headers, agent: this.agent, timeout: this.options.requestTimeoutMs }, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString("utf8") }));
        res.on("error", reject);
      });
      req.on("timeout", () => req.destroy(new Error(`no answer from ${url.origin}${url.pathname} within ${this.options.requestTimeoutMs} ms`)));
      req.on("error", reject);
      req.end(payload);
    });
  }

  /** The functions the app serves, with their configuration (in-band sync). */
  async sync(): Promise<unknown> {
    const res = await this.send("PUT", this.base, { url: this.base.href }, { "x-inngest-sync-kind": "in_band" });
    if (res.status !== 200) {
      throw new Error(`syncing functions from ${this.base.href} failed with HTTP ${res.status}: ${res.body.slice(0, 300)}`);
    }
    return parseJson(res.body);
  }

  async execute(request: ExecuteRequest): Promise<ExecuteOutcome> {
    const url = new URL(this.base.href);
    url.searchParams.set("fnId", request.fnId);
    url.searchParams.set("stepId", request.stepId);
    // Deliberately no ctx.fn_id and no use_api: they switch the SDK to checkpointing against the
    // Inngest API, which does not exist here.
    // Version -1 ("the SDK decides", as Inngest's server sends for new runs) selects the same
    // execution version as 2, but 2 fails the first branches of the SDK's zod union on every
    // request, and each failed branch builds a ZodError with a stack trace.
    const body = {
      version: -1,
      event: request.event,
      events: request.events,
      steps: request.steps,
      ctx: {
        run_id: request.runId,
        attempt: request.attempt,
        max_attempts: request.maxAttempts,
        disable_immediate_execution: false,
        stack: { stack: request.stack, current: request.stack.length },
      },
    };
    let res: RawResponse;
    try {
      res = await this.send("POST", url, body);
    } catch (error) {
      return { kind: "error", retriable: true, status: 0, error: { name: "RequestError", message: error instanceof Error ? error.message : String(error) } };
    }
    const parsed = parseJson(res.body);
    const retryAfter = header(res.headers, "retry-after");
    if (res.status === 200) return { kind: "complete", data: parsed ?? null };
    if (res.status === 206) {
      const ops = z.array(opSchema).safeParse(parsed);
      if (ops.success) return { kind: "ops", ops: ops.data, retryAfter };
      return { kind: "error", retriable: true, status: 206, error: { name: "ProtocolError", message: `unreadable ops: ${res.body.slice(0, 300)}` } };
    }
    const noRetry = header(res.headers, "x-inngest-no-retry") === "true";
    return {
      kind: "error",
      retriable: res.status !== 400 && !noRetry,
      retryAfter,
      status: res.status,
      error: parsed,
    };
  }
}
