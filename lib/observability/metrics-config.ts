import { z } from "zod";
import { settingsErrorText } from "@/lib/settings-error";

/**
 * The metrics settings (docs/operations.md). `GET /metrics` answers 404 unless METRICS_TOKEN is
 * set: an endpoint that says how much traffic each part of the platform carries is never public.
 */

/** Long enough that guessing it over the network is hopeless (a random 32-character token is the advice). */
export const METRICS_TOKEN_MIN_LENGTH = 16;

const metricsEnvSchema = z.object({
  METRICS_TOKEN: z
    .string()
    .min(METRICS_TOKEN_MIN_LENGTH, `METRICS_TOKEN must be at least ${METRICS_TOKEN_MIN_LENGTH} characters (e.g. openssl rand -hex 24)`)
    .regex(/^[\x21-\x7e]+$/, "METRICS_TOKEN must be printable ASCII without spaces: it is sent in an Authorization header")
    .optional(),
  /** A standalone `npm run worker` (not spawned by `npm start`) serves its own /metrics on this port. */
  METRICS_PORT: z.coerce.number().int().min(1).max(65535).optional(),
});

export type MetricsConfig = { token: string | null; port: number | null };

export class MetricsConfigError extends Error {}

export function parseMetricsConfig(source: Record<string, string | undefined> = process.env): MetricsConfig {
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ""));
  const result = metricsEnvSchema.safeParse(cleaned);
  if (!result.success) {
    throw new MetricsConfigError(settingsErrorText("Invalid environment", result.error));
  }
  return { token: result.data.METRICS_TOKEN ?? null, port: result.data.METRICS_PORT ?? null };
}
