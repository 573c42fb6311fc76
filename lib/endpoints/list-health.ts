import { endpointHealth, type EndpointHealth } from "@/lib/endpoints/health";
import { errorFields, loggerFor } from "@/lib/observability/log";

/** What the endpoints list shows per row: small, since every row's health travels to the browser. */
export interface ListHealth {
  lastAttempt: { at: Date; succeeded: boolean; label: string; sentence: string } | null;
  attempts24h: number;
  /** 0 to 1; null without attempts. */
  successRate24h: number | null;
  /** 24 hour-long buckets, oldest first: [attempts, failures]. */
  hourly: [number, number][];
  failing: boolean;
  failureStreak: number;
}

function toListHealth(h: EndpointHealth): ListHealth {
  return {
    lastAttempt: h.lastAttempt ? { at: h.lastAttempt.startedAt, succeeded: h.lastAttempt.succeeded, label: h.lastAttempt.diagnosis.label, sentence: h.lastAttempt.diagnosis.sentence } : null,
    attempts24h: h.last24h.attempts,
    successRate24h: h.last24h.successRate,
    hourly: h.hourly24h.map((b) => [b.attempts, b.failures]),
    failing: h.failing,
    failureStreak: h.failureStreak,
  };
}

/** Every row's health in one statement, keyed by endpoint id (a plain object: it streams to the browser). */
export async function listHealth(organizationId: string, endpointIds: readonly string[]): Promise<Record<string, ListHealth>> {
  const health = await endpointHealth(organizationId, endpointIds);
  return Object.fromEntries([...health].map(([id, h]) => [id, toListHealth(h)]));
}

/**
 * `listHealth` for a page that streams it (not awaited): a failed query is logged and read as no
 * health, so the page stays usable (cells read "No attempts yet", the status falls back to the
 * endpoint's own) instead of failing where the promise is read.
 */
export function streamedListHealth(organizationId: string, endpointIds: readonly string[]): Promise<Record<string, ListHealth>> {
  return listHealth(organizationId, endpointIds).catch((error: unknown) => {
    loggerFor("[page]").error(errorFields(error), "endpoint health failed");
    return {};
  });
}
