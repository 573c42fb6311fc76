import type { AttemptErrorKind, AttemptOutcome } from "./attempt";

/** How an attempt's outcome reads in the dashboard: one label per kind of failure. */

export const ERROR_KIND_LABELS: Record<AttemptErrorKind, string> = {
  timeout: "Timed out",
  connection_refused: "Connection refused",
  connection_reset: "Connection reset",
  dns: "DNS lookup failed",
  tls: "TLS error",
  redirect: "Redirect not followed",
  http_status: "Error status",
  ssrf_blocked: "Blocked address",
  invalid_url: "Invalid URL",
  other: "Request failed",
};

export interface OutcomeSummary {
  tone: "success" | "failure";
  /** Short, for a badge: `200`, `HTTP 500`, `Timed out`. */
  label: string;
  /** One sentence for a tooltip or detail pane. */
  detail: string;
}

export function summariseOutcome(outcome: Pick<AttemptOutcome, "ok" | "statusCode" | "durationMs" | "errorKind" | "errorMessage">): OutcomeSummary {
  if (outcome.ok) {
    return { tone: "success", label: String(outcome.statusCode), detail: `Answered HTTP ${outcome.statusCode} in ${outcome.durationMs} ms` };
  }
  const kind = outcome.errorKind ?? "other";
  const label = kind === "http_status" && outcome.statusCode !== undefined ? `HTTP ${outcome.statusCode}` : ERROR_KIND_LABELS[kind];
  const detail = outcome.errorMessage ? `${ERROR_KIND_LABELS[kind]}: ${outcome.errorMessage}` : ERROR_KIND_LABELS[kind];
  return { tone: "failure", label, detail };
}
