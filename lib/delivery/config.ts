import { z } from "zod";
import { DurationError, parseDuration } from "./duration";
import { DEFAULT_RETRY_SCHEDULE, type RetrySchedule, scheduleFromWaits } from "./schedule";
import { type AddressPolicy, CidrError, parseCidrList } from "./ssrf";
import { settingsErrorText } from "@/lib/settings-error";

/**
 * The delivery settings read from the environment, validated once. docs/delivery.md lists every
 * variable with its default: keep them in step.
 */

export const DEFAULT_ATTEMPT_TIMEOUT_MS = 15_000;
/** Loopback only, so receivers on the same machine work out of the box; production sets "" (none). */
export const DEFAULT_ALLOWED_CIDRS = "127.0.0.0/8,::1/128";
/** See lib/delivery/rate-limit.ts: covers the jitter between reserving a send and its arrival. */
export const DEFAULT_RATE_LIMIT_MARGIN_MS = 100;
/** How often a delivery of a disabled organization checks whether it may go: the longest delay after an enable. */
export const DEFAULT_ORGANIZATION_PAUSE_RECHECK_MS = 30_000;
/**
 * Rechecks one retry run makes while the organization is disabled before it continues in a new run:
 * each is two steps, and hosted Inngest allows 1,000 steps per run (100 rechecks at 30 s: 50 minutes a run).
 */
export const DEFAULT_ORGANIZATION_PAUSE_WAITS_PER_RUN = 100;
/** Svix's: an endpoint whose every attempt failed for five days is disabled (lib/endpoints/auto-disable.ts). */
export const DEFAULT_ENDPOINT_FAILURE_DISABLE_AFTER = "5d";

const MAX_ATTEMPTS = 50;
const MAX_WAIT_MS = 30 * 86_400_000;

const retryScheduleSchema = z.string().transform((text, ctx): RetrySchedule => {
  const items = text.split(",").map((s) => s.trim());
  if (items.length + 1 > MAX_ATTEMPTS) {
    ctx.addIssue({ code: "custom", message: `at most ${MAX_ATTEMPTS - 1} waits (${MAX_ATTEMPTS} attempts), got ${items.length}` });
    return z.NEVER;
  }
  const waits: number[] = [];
  for (const [i, item] of items.entries()) {
    try {
      const ms = parseDuration(item);
      if (ms < 1 || ms > MAX_WAIT_MS) throw new DurationError(`"${item}" must be between 1ms and 30d`);
      waits.push(ms);
    } catch (error) {
      const reason = error instanceof DurationError ? error.message : String(error);
      ctx.addIssue({ code: "custom", message: `wait ${i + 1}: ${reason} (expected e.g. "5s,5m,30m,2h")` });
      return z.NEVER;
    }
  }
  return scheduleFromWaits(waits);
});

const timeoutSchema = z.coerce
  .number({ message: "must be a number of milliseconds, e.g. 15000" })
  .int("must be a whole number of milliseconds, e.g. 15000")
  .min(1, "must be at least 1 ms")
  .max(600_000, "must be at most 600000 ms (10 minutes)");

const allowedCidrsSchema = z.string().transform((text, ctx): AddressPolicy => {
  try {
    return { allowed: parseCidrList(text) };
  } catch (error) {
    ctx.addIssue({ code: "custom", message: error instanceof CidrError ? error.message : String(error) });
    return z.NEVER;
  }
});

const marginSchema = z.coerce
  .number({ message: "must be a number of milliseconds, e.g. 100" })
  .int("must be a whole number of milliseconds")
  .min(0, "must be 0 or more")
  .max(1_000, "must be at most 1000 ms");

const recheckSchema = z.coerce
  .number({ message: "must be a number of milliseconds, e.g. 30000" })
  .int("must be a whole number of milliseconds")
  .min(1_000, "must be at least 1000 ms (durable sleeps have one-second resolution)")
  .max(3_600_000, "must be at most 3600000 ms (1 hour)");

const waitsPerRunSchema = z.coerce
  .number({ message: "must be a whole number, e.g. 100" })
  .int("must be a whole number")
  .min(1, "must be at least 1")
  .max(400, "must be at most 400 (each recheck is two of a run's 1,000 steps on Inngest)");

/** A duration (`5d`, `36h`, `30s`), or `0` / `off` for never. */
const disableAfterSchema = z.string().transform((text, ctx): number | null => {
  const value = text.trim().toLowerCase();
  if (value === "0" || value === "off") return null;
  try {
    const ms = parseDuration(value);
    if (ms < 1_000 || ms > MAX_WAIT_MS) throw new DurationError(`"${text}" must be between 1s and 30d`);
    return ms;
  } catch (error) {
    ctx.addIssue({ code: "custom", message: `${error instanceof DurationError ? error.message : String(error)} (or 0 / off to never disable)` });
    return z.NEVER;
  }
});

const deliveryEnvSchema = z.object({
  WEBHOOK_RETRY_SCHEDULE: retryScheduleSchema.optional(),
  WEBHOOK_ATTEMPT_TIMEOUT_MS: timeoutSchema.default(DEFAULT_ATTEMPT_TIMEOUT_MS),
  WEBHOOK_ALLOWED_CIDRS: allowedCidrsSchema.prefault(DEFAULT_ALLOWED_CIDRS),
  WEBHOOK_RATE_LIMIT_MARGIN_MS: marginSchema.default(DEFAULT_RATE_LIMIT_MARGIN_MS),
  WEBHOOK_ORGANIZATION_PAUSE_RECHECK_MS: recheckSchema.default(DEFAULT_ORGANIZATION_PAUSE_RECHECK_MS),
  WEBHOOK_ORGANIZATION_PAUSE_WAITS_PER_RUN: waitsPerRunSchema.default(DEFAULT_ORGANIZATION_PAUSE_WAITS_PER_RUN),
  ENDPOINT_FAILURE_DISABLE_AFTER: disableAfterSchema.prefault(DEFAULT_ENDPOINT_FAILURE_DISABLE_AFTER),
});

export interface DeliveryConfig {
  retrySchedule: RetrySchedule;
  attemptTimeoutMs: number;
  addressPolicy: AddressPolicy;
  rateLimitMarginMs: number;
  /** The wait between checks while the delivery's organization is disabled by staff. */
  organizationPauseRecheckMs: number;
  /** Rechecks per retry run while the organization is disabled; then the wait continues in a new run. */
  organizationPauseWaitsPerRun: number;
  /** How long an endpoint may fail, with no success, before it is disabled; null: never. */
  endpointFailureDisableAfterMs: number | null;
}

export class DeliveryConfigError extends Error {}

/**
 * Empty means unset for every variable but WEBHOOK_ALLOWED_CIDRS, where "" is the production
 * setting "allow no internal address" and must not fall back to the loopback default.
 */
export function parseDeliveryConfig(source: Record<string, string | undefined> = process.env): DeliveryConfig {
  const input: Record<string, string> = {};
  for (const key of Object.keys(deliveryEnvSchema.shape)) {
    const value = source[key];
    if (value === undefined) continue;
    if (value.trim() === "" && key !== "WEBHOOK_ALLOWED_CIDRS") continue;
    input[key] = value;
  }
  const result = deliveryEnvSchema.safeParse(input);
  if (!result.success) {
    throw new DeliveryConfigError(settingsErrorText("Invalid delivery settings", result.error));
  }
  const env = result.data;
  return {
    retrySchedule: env.WEBHOOK_RETRY_SCHEDULE ?? DEFAULT_RETRY_SCHEDULE,
    attemptTimeoutMs: env.WEBHOOK_ATTEMPT_TIMEOUT_MS,
    addressPolicy: env.WEBHOOK_ALLOWED_CIDRS,
    rateLimitMarginMs: env.WEBHOOK_RATE_LIMIT_MARGIN_MS,
    organizationPauseRecheckMs: env.WEBHOOK_ORGANIZATION_PAUSE_RECHECK_MS,
    organizationPauseWaitsPerRun: env.WEBHOOK_ORGANIZATION_PAUSE_WAITS_PER_RUN,
    endpointFailureDisableAfterMs: env.ENDPOINT_FAILURE_DISABLE_AFTER,
  };
}

/**
 * The latest start of a failure streak that disables its endpoint at `now`: an endpoint failing
 * since this time or earlier has failed for the whole period. Null when endpoints never disable.
 */
export function failureDisableCutoff(now: Date, config: Pick<DeliveryConfig, "endpointFailureDisableAfterMs">): Date | null {
  return config.endpointFailureDisableAfterMs === null ? null : new Date(now.getTime() - config.endpointFailureDisableAfterMs);
}

let cached: DeliveryConfig | undefined;

/** The process's delivery settings, parsed on first use. */
export function deliveryConfig(): DeliveryConfig {
  cached ??= parseDeliveryConfig();
  return cached;
}
