import { createHash, timingSafeEqual } from "node:crypto";

/**
 * Embedded mode: /api/inngest and its event-ingest route are reachable without a dashboard
 * session, so the executor and the app share EXECUTOR_KEY. The executor sends it in this header;
 * `inngest.send()` carries it as the event key in the ingest path (`/api/inngest/e/<key>`).
 */
export const EXECUTOR_KEY_HEADER = "x-hookrelay-executor-key";

/** Constant-time comparison (hashing first makes the lengths equal). */
export function matchesExecutorKey(given: string | null | undefined, expected: string | undefined): boolean {
  if (!given || !expected) return false;
  const a = createHash("sha256").update(given).digest();
  const b = createHash("sha256").update(expected).digest();
  return timingSafeEqual(a, b);
}
