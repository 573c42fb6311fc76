import type { IncomingMessage, ServerResponse } from "node:http";
import { createRequire } from "node:module";
import { paramsOf, runOperation, type PipelineRequest } from "@/lib/api/v1/handle";
import type { AnyOperation } from "@/lib/api/v1/operation";
import type { ConfigHeaders } from "@/lib/http/config-headers";
import type { CappedBody } from "@/lib/http/read-body";
import { errorFields, loggerFor } from "@/lib/observability/log";

/**
 * The busiest `/api/v1` calls answered by a plain Node handler in front of Next's (scripts/serve.ts),
 * through the same pipeline as their route files (`runOperation` in handle.ts): Next's own routing,
 * request and response wrapping cost more CPU per call than the whole pipeline does
 * (docs/benchmarks.md, issue 23). Everything else, and every request this handler is not sure Next
 * would route to the same operation, goes to Next unchanged:
 *
 * - only the exact path, without a trailing slash (Next redirects one) or escapes (`%…`, which Next
 *   decodes its own way), with segments of the characters ids and slugs are made of;
 * - only the operation's own method (405, OPTIONS and HEAD stay Next's);
 * - no header Next reads for its own purposes (`rsc`, `next-*`, `x-middleware-*`, `x-nextjs-*`,
 *   `x-invoke-*`, `x-matched-path`).
 *
 * The answer is written as Next writes a route's: next.config's headers (lib/http/config-headers.ts),
 * the `Vary` Next gives every App Router answer, the route's headers, the body streamed, and Next's
 * own compression middleware when next.config leaves `compress` on. The pieces of Next used for
 * that are loaded from the installed `next`, so an upgrade brings its changes along;
 * e2e/api-plain-path.spec.ts compares the bytes of both servers' answers.
 */

const nextRequire = createRequire(import.meta.url);
type Middleware = (req: IncomingMessage, res: ServerResponse, next: () => void) => void;
const compression = nextRequire("next/dist/compiled/compression") as () => Middleware;
const { releaseCompressionStream } = nextRequire("next/dist/server/lib/release-compression-stream") as typeof import("next/dist/server/lib/release-compression-stream");
const routerHeaders = nextRequire("next/dist/client/components/app-router-headers") as typeof import("next/dist/client/components/app-router-headers");
/** What Next's `setVaryHeader` appends for an App Router path that no interception route can match (this app has none). */
const APP_VARY = [routerHeaders.RSC_HEADER, routerHeaders.NEXT_ROUTER_STATE_TREE_HEADER, routerHeaders.NEXT_ROUTER_PREFETCH_HEADER, routerHeaders.NEXT_ROUTER_SEGMENT_PREFETCH_HEADER].join(", ");

/** A path parameter's text that every router reads the same way: no escape, no dot segment, no separator. */
const SEGMENT = "([A-Za-z0-9_~-][A-Za-z0-9._~-]*)";
const NEXT_HEADERS = /^(?:rsc$|next-|x-middleware-|x-nextjs-|x-invoke-|x-matched-path$)/;

interface PlainRoute {
  op: AnyOperation;
  regex: RegExp;
  names: string[];
}

function routeOf(op: AnyOperation): PlainRoute {
  const names: string[] = [];
  const source = op.path.replace(/[.*+?^$()|[\]\\]/g, "\\$&").replace(/\{([a-z_]+)\}/g, (_, name: string) => {
    names.push(name);
    return SEGMENT;
  });
  return { op, regex: new RegExp(`^${source}$`), names };
}

function readNodeBody(req: IncomingMessage, maxBytes: number): Promise<CappedBody> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const done = () => {
      req.off("data", onData);
      req.off("end", onEnd);
      req.off("error", onError);
      req.off("close", onClose);
    };
    const onData = (chunk: Buffer) => {
      if (size + chunk.byteLength > maxBytes) {
        chunks.push(chunk.subarray(0, maxBytes - size));
        done();
        // The rest is never buffered: Node discards what is left once the answer is sent.
        req.pause();
        resolve({ bytes: Buffer.concat(chunks), truncated: true });
        return;
      }
      chunks.push(chunk);
      size += chunk.byteLength;
    };
    const onEnd = () => {
      done();
      resolve({ bytes: Buffer.concat(chunks), truncated: false });
    };
    const onError = (error: Error) => {
      done();
      reject(error);
    };
    // A client gone before the end of its body: as Next's body stream, the read fails (the pipeline answers 500 to no one).
    const onClose = () => onError(new Error("the client closed the connection before the end of the request body"));
    req.on("data", onData);
    req.on("end", onEnd);
    req.on("error", onError);
    req.on("close", onClose);
  });
}

function headerReader(req: IncomingMessage): PipelineRequest["headers"] {
  return {
    get(name) {
      const value = req.headers[name.toLowerCase()];
      if (value === undefined) return null;
      // As the Fetch API joins a repeated header (set-cookie aside, which a request does not carry).
      return Array.isArray(value) ? value.join(", ") : value;
    },
  };
}

/**
 * The request as a handler would see it from Next, built only when a handler asks (none of the
 * calls served here does): its method, URL and headers. The body was read by the pipeline.
 */
function webRequestOf(req: IncomingMessage, url: URL): Request {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    for (const v of Array.isArray(value) ? value : [value]) headers.append(name, v);
  }
  return new Request(url, { method: req.method, headers });
}

/** Headers a route's answer may repeat; any other one next.config already set is not set again. */
const REPEATABLE = new Set(["set-cookie", "www-authenticate", "proxy-authenticate", "vary"]);
/** Framing the server decides, not the answer. */
const FRAMING = new Set(["content-length", "content-encoding", "transfer-encoding"]);

/** Writes the answer as Next's `sendResponse` does: next.config's headers first, the body streamed (chunked). */
async function send(res: ServerResponse, response: Response, configured: [string, string][]): Promise<void> {
  res.statusCode = response.status;
  res.statusMessage = response.statusText;
  for (const [name, value] of configured) res.setHeader(name, value);
  res.appendHeader("vary", APP_VARY);
  response.headers.forEach((value, name) => {
    if (FRAMING.has(name)) return;
    if (REPEATABLE.has(name) || res.getHeader(name) === undefined) res.appendHeader(name, value);
  });
  const body = response.body ? Buffer.from(await response.arrayBuffer()) : null;
  if (body?.byteLength) res.write(body);
  res.end();
}

export interface PlainApiOptions {
  /** The port the server listens on: the origin of the URL a handler's `request` carries, as Next gives it. */
  port: number;
  /** next.config's answer headers (`configHeaders`). */
  headers: ConfigHeaders;
  /** next.config's `compress` (Next's default: on). */
  compress: boolean;
}

/**
 * A request handler for `operations` that answers true when it took the request, false when the
 * request is Next's to answer (untouched: not a byte of its body read).
 */
export function plainApiHandler(operations: readonly AnyOperation[], options: PlainApiOptions): (req: IncomingMessage, res: ServerResponse) => boolean {
  const routes = operations.map(routeOf);
  const compress = options.compress ? compression() : null;
  return (req, res) => {
    const target = req.url ?? "";
    if (!target.startsWith("/api/v1/")) return false;
    const queryAt = target.indexOf("?");
    const pathname = queryAt === -1 ? target : target.slice(0, queryAt);
    for (const route of routes) {
      if (route.op.method !== req.method) continue;
      const match = route.regex.exec(pathname);
      if (!match) continue;
      if (Object.keys(req.headers).some((name) => NEXT_HEADERS.test(name))) return false;
      if (compress) {
        compress(req, res, () => {});
        // As Next does: a client gone mid-answer would leave the middleware's zlib stream open.
        res.once("close", () => {
          if (!res.writableFinished) releaseCompressionStream(res);
        });
      }
      serve(route, match, target, req, res, options);
      return true;
    }
    return false;
  };
}

function serve(route: PlainRoute, match: RegExpExecArray, target: string, req: IncomingMessage, res: ServerResponse, options: PlainApiOptions): void {
  // The origin Next gives a route's request (its protocol from X-Forwarded-Proto, as recordPeer left it).
  const protocol = String(req.headers["x-forwarded-proto"] ?? "").includes("https") ? "https" : "http";
  const url = new URL(target, `${protocol}://localhost:${options.port}`);
  let web: Request | undefined;
  const input: PipelineRequest = {
    headers: headerReader(req),
    readBody: (maxBytes) => readNodeBody(req, maxBytes),
    web: () => (web ??= webRequestOf(req, url)),
  };
  const configured = options.headers(req.headers);
  runOperation(route.op, input, paramsOf(route.names, match), url)
    .then((response) => send(res, response, configured))
    .catch((error: unknown) => {
      // runOperation answers every failure itself; this is the socket failing under the answer.
      loggerFor("[api]").error(errorFields(error), `${route.op.method} ${route.op.path}: the answer could not be sent`);
      res.destroy();
    });
}
