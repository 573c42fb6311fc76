import { z } from "zod";

/**
 * The API's settings, validated once per process:
 * - `API_RATE_LIMIT_PER_SECOND`: requests one API key may make per second, summed over every
 *   process (default 1000; 0 turns the limit off);
 * - `API_CHECK_RESPONSES`: check every answer against its documented schema (tests set it; a
 *   mismatch is logged and answered 500).
 */
const schema = z.object({
  API_RATE_LIMIT_PER_SECOND: z.coerce
    .number({ message: "API_RATE_LIMIT_PER_SECOND must be a whole number of requests per second (0 for no limit)" })
    .int("API_RATE_LIMIT_PER_SECOND must be a whole number of requests per second (0 for no limit)")
    .min(0, "API_RATE_LIMIT_PER_SECOND cannot be negative (0 turns the limit off)")
    .default(1000),
});

export type ApiConfig = z.infer<typeof schema>;

let cached: ApiConfig | undefined;

export function apiConfig(source: Record<string, string | undefined> = process.env): ApiConfig {
  if (source !== process.env) return parse(source);
  return (cached ??= parse(source));
}

function parse(source: Record<string, string | undefined>): ApiConfig {
  const result = schema.safeParse({ API_RATE_LIMIT_PER_SECOND: source.API_RATE_LIMIT_PER_SECOND || undefined });
  if (!result.success) throw new Error(`Invalid API settings: ${result.error.issues.map((i) => i.message).join("; ")}`);
  return result.data;
}
