import { z } from "zod";
import { settingsErrorText } from "@/lib/settings-error";

/**
 * How recovery tasks pace themselves, read from the environment once (README's configuration
 * table and docs/recovery.md list the variables).
 */

export const DEFAULT_RECOVERY_BATCH_SIZE = 250;
export const DEFAULT_RECOVERY_PARALLEL = 32;

const schema = z.object({
  RECOVERY_BATCH_SIZE: z.coerce.number().int("must be a whole number of messages").min(1, "must be at least 1").max(1_000, "must be at most 1000").default(DEFAULT_RECOVERY_BATCH_SIZE),
  RECOVERY_PARALLEL: z.coerce.number().int("must be a whole number of requests").min(1, "must be at least 1").max(64, "must be at most 64").default(DEFAULT_RECOVERY_PARALLEL),
});

export interface RecoveryConfig {
  /** Messages per step of a task: a crash repeats at most the sends in flight of one batch. */
  batchSize: number;
  /** Requests in flight at once within a batch. */
  parallel: number;
}

export function parseRecoveryConfig(source: Record<string, string | undefined> = process.env): RecoveryConfig {
  const input: Record<string, string> = {};
  for (const key of Object.keys(schema.shape)) {
    const value = source[key];
    if (value !== undefined && value.trim() !== "") input[key] = value;
  }
  const result = schema.safeParse(input);
  if (!result.success) throw new Error(settingsErrorText("Invalid recovery settings", result.error));
  return { batchSize: result.data.RECOVERY_BATCH_SIZE, parallel: result.data.RECOVERY_PARALLEL };
}

let cached: RecoveryConfig | undefined;

export function recoveryConfig(): RecoveryConfig {
  cached ??= parseRecoveryConfig();
  return cached;
}
