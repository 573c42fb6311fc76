import type { AttemptErrorKind } from "./attempt";
import { formatDurationLabel } from "./duration";

/**
 * How an attempt's outcome reads to a person: a short label for a badge and one sentence that
 * says what happened, in the receiver's terms. The one place that words outcomes: the message
 * detail, the endpoint health, the Testing tab and the delivery's failure reason all use it.
 * Pure and free of Node modules, so client components can call it.
 */

/** What an attempt recorded, stored (`Attempt`) or just made (`AttemptOutcome`). */
export interface AttemptFacts {
  succeeded: boolean;
  statusCode?: number | null;
  durationMs: number;
  /** A stored kind may predate the current list: unknown kinds read as `other`. */
  errorKind?: string | null;
  errorMessage?: string | null;
  responseHeaders?: Readonly<Record<string, unknown>> | null;
}

export interface Diagnosis {
  tone: "success" | "failure";
  /** Short, for a badge: `HTTP 204`, `HTTP 500`, `Timed out`. */
  label: string;
  /** One sentence: `Timed out: no complete response within 15 s`. */
  sentence: string;
}

export const ERROR_KIND_LABELS: Record<AttemptErrorKind, string> = {
  timeout: "Timed out",
  connection_refused: "Connection refused",
  connection_reset: "Connection reset",
  dns: "DNS lookup failed",
  tls: "TLS error",
  redirect: "Redirect not followed",
  not_http: "Not HTTP",
  http_status: "Error status",
  ssrf_blocked: "Blocked address",
  invalid_url: "Invalid URL",
  other: "Request failed",
};

/** Reason phrases of RFC 9110 (and a few common extensions), for status codes without a body worth reading. */
const STATUS_TEXT: Record<number, string> = {
  200: "OK", 201: "Created", 202: "Accepted", 203: "Non-Authoritative Information", 204: "No Content", 205: "Reset Content", 206: "Partial Content",
  300: "Multiple Choices", 301: "Moved Permanently", 302: "Found", 303: "See Other", 304: "Not Modified", 307: "Temporary Redirect", 308: "Permanent Redirect",
  400: "Bad Request", 401: "Unauthorized", 402: "Payment Required", 403: "Forbidden", 404: "Not Found", 405: "Method Not Allowed", 406: "Not Acceptable",
  407: "Proxy Authentication Required", 408: "Request Timeout", 409: "Conflict", 410: "Gone", 411: "Length Required", 412: "Precondition Failed",
  413: "Content Too Large", 414: "URI Too Long", 415: "Unsupported Media Type", 416: "Range Not Satisfiable", 417: "Expectation Failed", 421: "Misdirected Request",
  422: "Unprocessable Content", 423: "Locked", 424: "Failed Dependency", 425: "Too Early", 426: "Upgrade Required", 428: "Precondition Required",
  429: "Too Many Requests", 431: "Request Header Fields Too Large", 451: "Unavailable For Legal Reasons",
  500: "Internal Server Error", 501: "Not Implemented", 502: "Bad Gateway", 503: "Service Unavailable", 504: "Gateway Timeout",
  505: "HTTP Version Not Supported", 507: "Insufficient Storage", 508: "Loop Detected", 511: "Network Authentication Required",
};

export function httpStatusText(code: number): string {
  const text = STATUS_TEXT[code];
  return text ? `HTTP ${code} ${text}` : `HTTP ${code}`;
}

const isKind = (kind: string): kind is AttemptErrorKind => Object.hasOwn(ERROR_KIND_LABELS, kind);

/** `15000 ms` as people say it: `15 s`, `1 min 30 s`, `500 ms`. */
function timeoutText(ms: number): string {
  if (ms < 1_000 || ms % 1_000 !== 0) return `${ms} ms`;
  return formatDurationLabel(ms).replace(/ minutes?/g, " min").replace(/ seconds?/g, " s").replace(/ hours?/g, " h");
}

/** The timeout in force when the attempt ran is in its message; the current setting otherwise. */
function timeoutOf(message: string | null | undefined, configuredMs: number): number {
  const match = message?.match(/within (\d+) ms/);
  return match ? Number(match[1]) : configuredMs;
}

function locationOf(facts: AttemptFacts): string | null {
  const header = facts.responseHeaders?.location;
  if (typeof header === "string" && header) return header;
  return facts.errorMessage?.match(/ redirect to (.+) not followed$/)?.[1] ?? null;
}

const withDetail = (sentence: string, detail: string | null | undefined) => (detail ? `${sentence} (${detail})` : sentence);

export function diagnose(facts: AttemptFacts, options: { timeoutMs: number }): Diagnosis {
  const status = facts.statusCode ?? null;
  if (facts.succeeded) {
    return { tone: "success", label: status === null ? "Delivered" : `HTTP ${status}`, sentence: `Delivered: ${status === null ? "answered" : httpStatusText(status)} in ${facts.durationMs} ms` };
  }
  const kind: AttemptErrorKind = facts.errorKind && isKind(facts.errorKind) ? facts.errorKind : "other";
  const failure = (label: string, sentence: string): Diagnosis => ({ tone: "failure", label, sentence });
  const message = facts.errorMessage ?? null;
  switch (kind) {
    case "timeout": {
      const limit = timeoutText(timeoutOf(message, options.timeoutMs));
      return failure(
        "Timed out",
        status === null
          ? `Timed out: no complete response within ${limit}`
          : `Timed out: HTTP ${status} arrived but its body was not complete within ${limit}`,
      );
    }
    case "connection_refused":
      return failure("Connection refused", "Connection refused: nothing accepted the connection at this address and port");
    case "connection_reset":
      return failure("Connection reset", "Connection reset by the receiver before a complete response");
    case "not_http":
      return failure("Not HTTP", withDetail("The receiver answered with something that is not HTTP", message));
    case "redirect": {
      const location = locationOf(facts);
      const code = status ?? "3xx";
      return failure(`Redirect ${code}`, `HTTP ${code} redirect${location ? ` to ${location}` : ""} not followed (redirects are never followed)`);
    }
    case "ssrf_blocked":
      return failure("Blocked address", withDetail("Refused: the address is internal (request-forgery protection)", message));
    case "http_status":
      return failure(status === null ? "Error status" : `HTTP ${status}`, status === null ? withDetail("Error status", message) : httpStatusText(status));
    case "dns":
      return failure("DNS lookup failed", withDetail("DNS lookup failed: the host name does not resolve", message));
    case "tls":
      return failure("TLS error", withDetail("TLS error: the secure connection could not be established", message));
    case "invalid_url":
      return failure("Invalid URL", withDetail("Invalid URL", message));
    case "other":
      return failure("Request failed", withDetail("Request failed", message));
  }
}
