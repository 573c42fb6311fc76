import { z } from "zod";
import { settingsErrorText } from "@/lib/settings-error";

/**
 * How long history is kept, read from the environment once. docs/retention.md and the README's
 * configuration table list every variable: keep them in step.
 */

export const DEFAULT_RETENTION_DAYS = 90;
export const DEFAULT_EXECUTOR_RETENTION_DAYS = 7;
/** Every 15 minutes: a day's history is deleted in 96 small runs rather than one large one. */
export const DEFAULT_RETENTION_SCHEDULE = "*/15 * * * *";
/** Rows per delete statement: each is its own short transaction. */
export const DEFAULT_RETENTION_BATCH_SIZE = 5_000;

const DAY_MS = 86_400_000;
const MAX_DAYS = 36_500;

const days = (example: number) =>
  z.coerce
    .number({ message: `must be a number of days, e.g. ${example}` })
    .int(`must be a whole number of days, e.g. ${example}`)
    .min(1, "must be at least 1 day")
    .max(MAX_DAYS, `must be at most ${MAX_DAYS} days`);

/** Benchmarks and tests only: a retention shorter than a day, which the user-facing variables do not allow. */
const overrideMs = z.coerce
  .number({ message: "must be a number of milliseconds" })
  .int("must be a whole number of milliseconds")
  .min(1_000, "must be at least 1000 ms");

const retentionEnvSchema = z.object({
  RETENTION_DAYS: days(DEFAULT_RETENTION_DAYS).default(DEFAULT_RETENTION_DAYS),
  // At least a day: the executor's event and function idempotency look back 24 hours into these rows.
  EXECUTOR_RETENTION_DAYS: days(DEFAULT_EXECUTOR_RETENTION_DAYS).default(DEFAULT_EXECUTOR_RETENTION_DAYS),
  RETENTION_BATCH_SIZE: z.coerce
    .number({ message: "must be a number of rows, e.g. 5000" })
    .int("must be a whole number of rows")
    .min(100, "must be at least 100 rows")
    .max(50_000, "must be at most 50000 rows (one statement holds its locks until it ends)")
    .default(DEFAULT_RETENTION_BATCH_SIZE),
  // Checked where it runs: the embedded executor refuses an invalid expression at registration,
  // naming the function and the fault, and so does Inngest.
  RETENTION_SCHEDULE: z.string().trim().min(1).default(DEFAULT_RETENTION_SCHEDULE),
  RETENTION_MS: overrideMs.optional(),
  EXECUTOR_RETENTION_MS: overrideMs.optional(),
});

export interface RetentionConfig {
  /** Messages, with their deliveries and attempts, older than this are deleted. */
  messagesMs: number;
  /** Finished executor runs (with their steps) and the events they were for, older than this, are deleted. */
  executorMs: number;
  batchSize: number;
  /** The purge function's cron expression. */
  schedule: string;
}

export class RetentionConfigError extends Error {}

export function parseRetentionConfig(source: Record<string, string | undefined> = process.env): RetentionConfig {
  const input: Record<string, string> = {};
  for (const key of Object.keys(retentionEnvSchema.shape)) {
    const value = source[key];
    if (value !== undefined && value.trim() !== "") input[key] = value;
  }
  const result = retentionEnvSchema.safeParse(input);
  if (!result.success) {
    throw new RetentionConfigError(settingsErrorText("Invalid retention settings", result.error));
  }
  const env = result.data;
  return {
    messagesMs: env.RETENTION_MS ?? env.RETENTION_DAYS * DAY_MS,
    executorMs: env.EXECUTOR_RETENTION_MS ?? env.EXECUTOR_RETENTION_DAYS * DAY_MS,
    batchSize: env.RETENTION_BATCH_SIZE,
    schedule: env.RETENTION_SCHEDULE,
  };
}

let cached: RetentionConfig | undefined;

/** The process's retention settings, parsed on first use. */
export function retentionConfig(): RetentionConfig {
  cached ??= parseRetentionConfig();
  return cached;
}
