import type { AttemptOutcome } from "./attempt";
import { deliveryConfig } from "./config";
import { diagnose, type Diagnosis } from "./diagnosis";

/**
 * An outcome just returned by `attempt()`, worded by the diagnosis (lib/delivery/diagnosis.ts),
 * e.g. for the failure reason a delivery keeps after its last attempt.
 */
export interface OutcomeSummary {
  tone: Diagnosis["tone"];
  label: string;
  detail: string;
}

export function summariseOutcome(
  outcome: Pick<AttemptOutcome, "ok" | "statusCode" | "durationMs" | "errorKind" | "errorMessage" | "responseHeaders">,
  timeoutMs: number = deliveryConfig().attemptTimeoutMs,
): OutcomeSummary {
  const { tone, label, sentence } = diagnose({ ...outcome, succeeded: outcome.ok }, { timeoutMs });
  return { tone, label, detail: sentence };
}
