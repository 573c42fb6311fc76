/**
 * Durations as the SDK sends them in `Sleep` ops and `cancelOn` timeouts: compact strings such as
 * `1h30m`, `5s`, `2d`, `1w2d` (the SDK's own `timeStr` output), or an ISO date from `sleepUntil`.
 * The `ms` package cannot parse compound forms, hence this parser.
 */
const UNIT_MS: Record<string, number> = {
  ms: 1,
  s: 1_000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};

const COMPOUND = /^(?:\d+(?:\.\d+)?(?:ms|s|m|h|d|w))+$/;
const PART = /(\d+(?:\.\d+)?)(ms|s|m|h|d|w)/g;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}T/;

export class DurationError extends Error {}

/** Milliseconds of a compact duration such as `1h30m`. */
export function parseDuration(text: string): number {
  const compact = text.trim();
  if (!COMPOUND.test(compact)) throw new DurationError(`"${text}" is not a duration such as 30s, 1h30m or 2d`);
  let total = 0;
  for (const [, amount, unit] of compact.matchAll(PART)) total += Number(amount) * UNIT_MS[unit];
  return total;
}

/** When a sleep named `text` (a duration or an ISO date) ends, counted from `now`. */
export function wakeTime(text: string, now: Date): Date {
  if (text.trim() === "") {
    // The SDK turns a string it cannot read with `ms` (e.g. step.sleep(id, "1h30m")) into "".
    throw new DurationError(
      'the SDK sent an empty sleep duration: step.sleep() strings must be a single unit the `ms` package reads ("90m", "2 days"); for compound durations pass milliseconds',
    );
  }
  if (ISO_DATE.test(text.trim())) {
    const at = new Date(text);
    if (Number.isNaN(at.getTime())) throw new DurationError(`"${text}" is not a valid ISO date`);
    return at;
  }
  return new Date(now.getTime() + parseDuration(text));
}

/**
 * A `retry-after` header value from the SDK: whole seconds, or an ISO/HTTP date. Undefined when
 * absent or unreadable (the caller then uses its own backoff).
 */
export function retryAfterTime(header: string | null | undefined, now: Date): Date | undefined {
  if (!header) return undefined;
  const value = header.trim();
  if (/^\d+$/.test(value)) return new Date(now.getTime() + Number(value) * 1_000);
  const at = new Date(value);
  return Number.isNaN(at.getTime()) ? undefined : at;
}
