import http from "node:http";
import https from "node:https";
import { deliveryConfig } from "./config";
import { createGuardedAgents, type GuardedAgents } from "./guarded-agent";
import { allowedCustomHeaders, USER_AGENT } from "./headers";
import { signatureHeaders, unixSeconds } from "./sign";

/**
 * One delivery attempt: a signed POST and what came of it. It never throws: every failure is an
 * outcome, so the product's retry schedule (not Inngest's step retries) decides what happens next,
 * and the outcome is a plain JSON object that `step.run` can return and the attempt log can store.
 */

export const RESPONSE_BODY_LIMIT_BYTES = 64 * 1024;

/**
 * How many more times a request is sent after a kept-alive connection turned out closed (idle
 * sockets are reused newest first, so several may be stale at once) before the hang-up is the
 * attempt's outcome.
 */
export const STALE_CONNECTION_RETRIES = 3;

export type AttemptErrorKind =
  | "timeout"
  | "connection_refused"
  | "connection_reset"
  | "dns"
  | "tls"
  | "redirect"
  | "not_http"
  | "http_status"
  | "ssrf_blocked"
  | "invalid_url"
  | "other";

export interface AttemptOutcome {
  /** A 2xx answer, headers and body, within the timeout. */
  ok: boolean;
  /** The URL used, with any password in it masked. */
  url: string;
  /** When the attempt started (ISO 8601). */
  startedAt: string;
  durationMs: number;
  statusCode?: number;
  responseHeaders?: Record<string, string>;
  /** The first 64 KB of the response body as text ("" when there was no response). */
  responseBody: string;
  responseBodyTruncated: boolean;
  errorKind?: AttemptErrorKind;
  errorMessage?: string;
}

export interface AttemptInput {
  url: string;
  /** Sent as `webhook-id`. */
  messageId: string;
  /** The payload; exactly these bytes are signed and sent. */
  body: string | Uint8Array;
  /** Valid signing secrets, newest first. */
  secrets: readonly string[];
  /** The endpoint's custom headers; reserved names are dropped. */
  headers?: Readonly<Record<string, string>>;
  /** Signature time; now by default. */
  timestamp?: Date;
  /** W3C trace context of this attempt's span, sent as `traceparent` (tracing on only: lib/observability/tracing.ts). */
  traceparent?: string;
}

export interface AttemptOptions {
  /** Whole exchange (connect, headers and body); WEBHOOK_ATTEMPT_TIMEOUT_MS by default. */
  timeoutMs?: number;
  /** Connection pools with the SSRF guard; the process's shared ones by default. */
  agents?: GuardedAgents;
}

let sharedAgents: GuardedAgents | undefined;

/** The process's keep-alive pools, guarded by WEBHOOK_ALLOWED_CIDRS. */
export function defaultAgents(): GuardedAgents {
  sharedAgents ??= createGuardedAgents(deliveryConfig().addressPolicy);
  return sharedAgents;
}

class AttemptTimeoutError extends Error {
  readonly code = "ERR_ATTEMPT_TIMEOUT";
}

const ERROR_KINDS: ReadonlyArray<[RegExp, AttemptErrorKind]> = [
  [/^ERR_SSRF_BLOCKED$/, "ssrf_blocked"],
  [/^ERR_ATTEMPT_TIMEOUT$|^ETIMEDOUT$/, "timeout"],
  [/^ECONNREFUSED$/, "connection_refused"],
  [/^ECONNRESET$|^EPIPE$|^ECONNABORTED$/, "connection_reset"],
  [/^ENOTFOUND$|^EAI_|^ENODATA$|^ESERVFAIL$/, "dns"],
  // llhttp's parse errors: whatever answered does not speak HTTP/1.x.
  [/^HPE_/, "not_http"],
  [/^ERR_TLS_|^ERR_SSL_|^CERT_|^UNABLE_TO_|^DEPTH_ZERO_|^SELF_SIGNED_|^EPROTO$|^HOSTNAME_MISMATCH$/, "tls"],
];

function errorCode(error: unknown): string {
  if (error instanceof AggregateError && !("code" in error)) return errorCode(error.errors[0]);
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" ? code : "";
}

/** Node's error codes mapped to the kinds the product records. */
export function errorKindOf(error: unknown): AttemptErrorKind {
  const code = errorCode(error);
  return ERROR_KINDS.find(([pattern]) => pattern.test(code))?.[1] ?? "other";
}

function errorMessageOf(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const code = errorCode(error);
  return message || code || "unknown error";
}

/** The peer ended the connection (FIN) before answering: Node's "socket hang up", or a write after it closed. */
function closedByPeer(error: unknown): boolean {
  const code = errorCode(error);
  return code === "EPIPE" || (code === "ECONNRESET" && error instanceof Error && error.message === "socket hang up");
}

function displayUrl(url: URL): string {
  if (!url.password) return url.href;
  const masked = new URL(url.href);
  masked.password = "***";
  return masked.href;
}

function flattenHeaders(headers: http.IncomingHttpHeaders): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) result[name] = Array.isArray(value) ? value.join(", ") : value;
  }
  return result;
}

/** A truncated body may end inside a UTF-8 sequence: streaming decode leaves that fragment out. */
function decodeBody(chunks: Buffer[], truncated: boolean): string {
  return new TextDecoder("utf-8").decode(Buffer.concat(chunks), { stream: truncated });
}

function parseTarget(raw: string): URL | string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return `"${raw}" is not a valid URL`;
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") return `${url.protocol} URLs are not supported: use http or https`;
  if (!url.hostname) return "the URL has no host";
  return url;
}

export function attempt(input: AttemptInput, options: AttemptOptions = {}): Promise<AttemptOutcome> {
  const startedAt = new Date();
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  const base = { startedAt: startedAt.toISOString(), responseBody: "", responseBodyTruncated: false };

  const target = parseTarget(input.url);
  if (typeof target === "string") {
    return Promise.resolve({ ...base, ok: false, url: input.url, durationMs: 0, errorKind: "invalid_url", errorMessage: target });
  }
  const url = displayUrl(target);
  let body: Buffer;
  let signed: ReturnType<typeof signatureHeaders>;
  try {
    body = typeof input.body === "string" ? Buffer.from(input.body, "utf8") : Buffer.from(input.body);
    signed = signatureHeaders({
      messageId: input.messageId,
      timestamp: unixSeconds(input.timestamp ?? startedAt),
      body,
      secrets: input.secrets,
    });
  } catch (error) {
    return Promise.resolve({ ...base, ok: false, url, durationMs: elapsed(), errorKind: "other", errorMessage: errorMessageOf(error) });
  }

  const timeoutMs = options.timeoutMs ?? deliveryConfig().attemptTimeoutMs;
  const agents = options.agents ?? defaultAgents();
  const secure = target.protocol === "https:";
  const headers: Record<string, string> = {
    ...allowedCustomHeaders(input.headers),
    "content-type": "application/json",
    "content-length": String(body.length),
    "user-agent": USER_AGENT,
    ...signed,
  };
  if (input.traceparent) headers.traceparent = input.traceparent;

  return new Promise<AttemptOutcome>((resolve) => {
    let settled = false;
    let statusCode: number | undefined;
    let responseHeaders: Record<string, string> | undefined;
    const chunks: Buffer[] = [];
    let received = 0;
    let truncated = false;

    const finish = (error?: unknown) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      const outcome: AttemptOutcome = {
        ...base,
        ok: false,
        url,
        durationMs: elapsed(),
        responseBody: decodeBody(chunks, truncated),
        responseBodyTruncated: truncated,
      };
      if (statusCode !== undefined) outcome.statusCode = statusCode;
      if (responseHeaders) outcome.responseHeaders = responseHeaders;
      if (error !== undefined) {
        outcome.errorKind = errorKindOf(error);
        outcome.errorMessage = errorMessageOf(error);
      } else if (statusCode !== undefined && statusCode >= 200 && statusCode < 300) {
        outcome.ok = true;
      } else if (statusCode !== undefined && statusCode >= 300 && statusCode < 400) {
        outcome.errorKind = "redirect";
        const location = responseHeaders?.location;
        outcome.errorMessage = `HTTP ${statusCode} redirect${location ? ` to ${location}` : ""} not followed`;
      } else {
        outcome.errorKind = "http_status";
        outcome.errorMessage = `HTTP ${statusCode}`;
      }
      resolve(outcome);
    };

    let request: http.ClientRequest;
    let staleRetries = 0;
    const send = () => {
      const sent = (secure ? https : http).request(
        {
          method: "POST",
          protocol: target.protocol,
          host: target.hostname.replace(/^\[|\]$/g, ""),
          port: target.port || (secure ? 443 : 80),
          path: `${target.pathname}${target.search}`,
          headers,
          auth: target.username ? `${decodeURIComponent(target.username)}:${decodeURIComponent(target.password)}` : undefined,
          agent: secure ? agents.https : agents.http,
        },
        (response) => {
          statusCode = response.statusCode;
          responseHeaders = flattenHeaders(response.headers);
          response.on("data", (chunk: Buffer) => {
            if (truncated) return;
            const room = RESPONSE_BODY_LIMIT_BYTES - received;
            if (chunk.length > room) {
              chunks.push(chunk.subarray(0, room));
              received = RESPONSE_BODY_LIMIT_BYTES;
              truncated = true;
              // The rest is not needed: stop reading rather than wait for it within the timeout.
              finish();
              response.destroy();
              return;
            }
            chunks.push(chunk);
            received += chunk.length;
          });
          response.on("end", () => finish());
          response.on("error", (error) => finish(error));
          response.on("aborted", () => finish(Object.assign(new Error("the response was cut off"), { code: "ECONNRESET" })));
        },
      );
      sent.on("error", (error) => {
        // A kept-alive connection the receiver closed while it sat idle (its keep-alive timeout ran
        // out as the request was written) ends with no answer: the request is sent again, within the
        // same timeout, as Node's documentation advises. A fresh connection that fails, a reset (RST)
        // or a failure after an answer began is the attempt's outcome.
        if (!settled && sent.reusedSocket && statusCode === undefined && closedByPeer(error) && staleRetries < STALE_CONNECTION_RETRIES) {
          staleRetries += 1;
          send();
          return;
        }
        finish(error);
      });
      sent.end(body);
      request = sent;
    };
    const timer = setTimeout(() => {
      finish(new AttemptTimeoutError(`no complete response within ${timeoutMs} ms`));
      request.destroy();
    }, timeoutMs);
    send();
  });
}
