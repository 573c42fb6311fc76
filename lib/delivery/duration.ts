/**
 * Durations as operators write them (`500ms`, `5s`, `1h30m`) and as people and Inngest read them.
 * All values are whole milliseconds.
 */

const UNIT_MS = { d: 86_400_000, h: 3_600_000, m: 60_000, s: 1_000, ms: 1 } as const;
type Unit = keyof typeof UNIT_MS;

/** Largest unit first, so `1h30m` parses and the formatters pick the biggest unit that fits. */
const UNITS_DESCENDING: readonly Unit[] = ["d", "h", "m", "s", "ms"];

const COMPOUND = /^(?:\d+(?:ms|s|m|h|d))+$/;
const PART = /(\d+)(ms|s|m|h|d)/g;

export class DurationError extends Error {}

/**
 * Parses `500ms`, `5s`, `5m`, `2h`, `1d` or a compound such as `1h30m`. Whole numbers only, each unit
 * at most once and from largest to smallest, so that every text has one obvious meaning.
 */
export function parseDuration(text: string): number {
  const value = text.trim();
  if (!COMPOUND.test(value)) {
    throw new DurationError(
      `"${text}" is not a duration: use a whole number with a unit (ms, s, m, h, d), e.g. 500ms, 5s or 1h30m`,
    );
  }
  let total = 0;
  let previousRank = -1;
  for (const [, amount, unit] of value.matchAll(PART)) {
    const rank = UNITS_DESCENDING.indexOf(unit as Unit);
    if (rank <= previousRank) {
      throw new DurationError(`"${text}" repeats or misorders a unit: write units from largest to smallest, e.g. 1h30m`);
    }
    previousRank = rank;
    total += Number(amount) * UNIT_MS[unit as Unit];
  }
  if (!Number.isSafeInteger(total)) throw new DurationError(`"${text}" is too large`);
  return total;
}

function parts(ms: number): Array<[number, Unit]> {
  const result: Array<[number, Unit]> = [];
  let rest = ms;
  for (const unit of UNITS_DESCENDING) {
    const amount = Math.floor(rest / UNIT_MS[unit]);
    if (amount > 0) result.push([amount, unit]);
    rest -= amount * UNIT_MS[unit];
  }
  return result;
}

/** Compact form that `parseDuration` reads back: `5s`, `30m`, `1h30m`, `1s500ms`, `0ms`. */
export function formatCompactDuration(ms: number): string {
  assertWholeMs(ms);
  const p = parts(ms);
  return p.length === 0 ? "0ms" : p.map(([n, u]) => `${n}${u}`).join("");
}

const LABELS: Record<Unit, [string, string]> = {
  d: ["day", "days"],
  h: ["hour", "hours"],
  m: ["minute", "minutes"],
  s: ["second", "seconds"],
  ms: ["millisecond", "milliseconds"],
};

/** For people: `5 seconds`, `30 minutes`, `1 hour 30 minutes`. */
export function formatDurationLabel(ms: number): string {
  assertWholeMs(ms);
  const p = parts(ms);
  if (p.length === 0) return "0 seconds";
  return p.map(([n, u]) => `${n} ${LABELS[u][n === 1 ? 0 : 1]}`).join(" ");
}

function assertWholeMs(ms: number): void {
  if (!Number.isSafeInteger(ms) || ms < 0) throw new DurationError(`${ms} is not a whole, non-negative number of milliseconds`);
}
