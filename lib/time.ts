/**
 * The one way the dashboard writes times. Pure functions: the clock (`now`) and the time zone are
 * arguments, so the same call gives the same text on the server and in a test. `components/ui/time.tsx`
 * feeds them the viewer's clock and zone.
 */

export type TimeInput = Date | string | number;

const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

export function toDate(value: TimeInput): Date {
  return value instanceof Date ? value : new Date(value);
}

/** The machine-readable form for `<time dateTime>`. */
export function toIso(value: TimeInput): string {
  return toDate(value).toISOString();
}

// Intl formatters are costly to build; a table of rows asks for the same few zones over and over.
const absoluteFormats = new Map<string, Intl.DateTimeFormat>();

function absoluteFormat(timeZone: string, seconds: boolean): Intl.DateTimeFormat {
  const key = `${timeZone}|${seconds}`;
  let format = absoluteFormats.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat("en-GB", {
      year: "numeric",
      month: "short",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: seconds ? "2-digit" : undefined,
      hourCycle: "h23",
      timeZone,
      timeZoneName: "short",
    });
    absoluteFormats.set(key, format);
  }
  return format;
}

/**
 * "30 Nov 2026, 23:53:38 UTC": day first, 24-hour clock, the zone named. Seconds are on by default
 * because the places that want an absolute time (attempt logs, jobs) are the ones where they matter.
 */
export function formatAbsolute(value: TimeInput, options: { timeZone?: string; seconds?: boolean } = {}): string {
  return absoluteFormat(options.timeZone ?? "UTC", options.seconds ?? true).format(toDate(value));
}

const clockFormats = new Map<string, Intl.DateTimeFormat>();

/**
 * A chart axis's time: "14:05", or "Mon 14:05" with `weekday` (ranges longer than a day); 24-hour,
 * in `timeZone`. The zone itself is named once beside the chart (`formatZoneName`), not on every tick.
 */
export function formatClock(value: TimeInput, options: { timeZone?: string; weekday?: boolean } = {}): string {
  const timeZone = options.timeZone ?? "UTC";
  const key = `${timeZone}|${options.weekday === true}`;
  let format = clockFormats.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat("en-GB", { weekday: options.weekday ? "short" : undefined, hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZone });
    clockFormats.set(key, format);
  }
  return format.format(toDate(value));
}

/** The short name of `timeZone` at that instant: "UTC", "CET", "GMT+5:30". */
export function formatZoneName(value: TimeInput, timeZone = "UTC"): string {
  const parts = absoluteFormat(timeZone, false).formatToParts(toDate(value));
  return parts.find((p) => p.type === "timeZoneName")?.value ?? timeZone;
}

/** An ISO 8601 instant as this module writes it (`toIso`) and the audit log stores it. */
export function isIsoInstant(value: unknown): value is string {
  return typeof value === "string" && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(value) && !Number.isNaN(Date.parse(value));
}

const RELATIVE_STEPS: { limit: number; unit: number; label: string }[] = [
  { limit: HOUR, unit: MINUTE, label: "min" },
  { limit: DAY, unit: HOUR, label: "h" },
  { limit: 30 * DAY, unit: DAY, label: "day" },
];

/**
 * "3 min ago", "in 4 min", "2 h ago", "5 days ago"; "just now" within 45 s. Beyond 30 days a count
 * of days stops meaning much, so the date itself is written (in `timeZone`).
 */
export function formatRelative(value: TimeInput, now: TimeInput, options: { timeZone?: string } = {}): string {
  const diff = toDate(value).getTime() - toDate(now).getTime();
  const distance = Math.abs(diff);
  if (distance < 45 * SECOND) return "just now";
  const step = RELATIVE_STEPS.find((s) => distance < s.limit);
  if (!step) return formatAbsolute(value, { timeZone: options.timeZone, seconds: false });
  const count = Math.max(1, Math.round(distance / step.unit));
  const amount = step.label === "day" ? `${count} ${count === 1 ? "day" : "days"}` : `${count} ${step.label}`;
  return diff < 0 ? `${amount} ago` : `in ${amount}`;
}

/** "850 ms", "1.2 s", "4 min 5 s", "2 h 3 min", "3 days 4 h": two units at most. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`Not a duration: ${ms}`);
  if (ms < SECOND) return `${Math.round(ms)} ms`;
  if (ms < MINUTE) return `${Number((ms / SECOND).toFixed(ms < 10 * SECOND ? 1 : 0))} s`;
  const parts: [number, string][] = [
    [Math.floor(ms / DAY), "day"],
    [Math.floor((ms % DAY) / HOUR), "h"],
    [Math.floor((ms % HOUR) / MINUTE), "min"],
    [Math.floor((ms % MINUTE) / SECOND), "s"],
  ];
  const first = parts.findIndex(([n]) => n > 0);
  return parts
    .slice(first, first + 2)
    .filter(([n]) => n > 0)
    .map(([n, unit]) => (unit === "day" ? `${n} ${n === 1 ? "day" : "days"}` : `${n} ${unit}`))
    .join(" ");
}

/**
 * A `datetime-local` input's value (`2026-05-01T09:00`, in the viewer's zone) as the ISO instant a
 * URL keeps, and back: the time-range filters of the message logs and the audit log. Browser only
 * (the viewer's zone is the runtime's).
 */
export function localToIso(local: string): string | null {
  if (!local) return null;
  const date = new Date(local);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}

export function isoToLocal(iso: string | null): string {
  if (!iso) return "";
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return "";
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}
