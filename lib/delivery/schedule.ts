import { formatCompactDuration, formatDurationLabel } from "./duration";

/**
 * The retry schedule: entry n-1 is the wait before attempt n, so the first entry is always 0 (the
 * first attempt goes out at once) and the array's length is the number of attempts. The delivery
 * function, the UI and the docs all read this one array.
 */
export type RetrySchedule = readonly number[];

const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

/** Immediately, then 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h: eight attempts. */
export const DEFAULT_RETRY_SCHEDULE: RetrySchedule = Object.freeze([
  0,
  5 * SECOND,
  5 * MINUTE,
  30 * MINUTE,
  2 * HOUR,
  5 * HOUR,
  10 * HOUR,
  10 * HOUR,
]);

/** A schedule from the waits between attempts (what `WEBHOOK_RETRY_SCHEDULE` lists). */
export function scheduleFromWaits(waitsMs: readonly number[]): RetrySchedule {
  return Object.freeze([0, ...waitsMs]);
}


export function attemptCount(schedule: RetrySchedule): number {
  return schedule.length;
}

/** Milliseconds to wait before attempt `attempt` (1-based; attempt 1 waits 0). */
export function delayBeforeAttempt(schedule: RetrySchedule, attempt: number): number {
  if (!Number.isInteger(attempt) || attempt < 1 || attempt > schedule.length) {
    throw new RangeError(`attempt must be an integer from 1 to ${schedule.length}, got ${attempt}`);
  }
  return schedule[attempt - 1];
}

/** True when `attempt` was the last one the schedule allows. */
export function isFinalAttempt(schedule: RetrySchedule, attempt: number): boolean {
  return attempt >= schedule.length;
}

/** When the attempt after a failed attempt `attempt` is due, or null when that one was the last. */
export function nextAttemptAt(schedule: RetrySchedule, attempt: number, failedAt: Date): Date | null {
  if (isFinalAttempt(schedule, attempt)) return null;
  return new Date(failedAt.getTime() + delayBeforeAttempt(schedule, attempt + 1));
}

export interface ScheduleStep {
  attempt: number;
  delayMs: number;
  /** `immediately` or `5 minutes after attempt 2`. */
  label: string;
  /** `0ms`, `5s`, `1h30m`: the form `WEBHOOK_RETRY_SCHEDULE` takes. */
  compact: string;
}

/** The schedule described attempt by attempt, for the UI and the docs. */
export function describeSchedule(schedule: RetrySchedule): ScheduleStep[] {
  return schedule.map((delayMs, i) => ({
    attempt: i + 1,
    delayMs,
    label: i === 0 ? "immediately" : `${formatDurationLabel(delayMs)} after attempt ${i}`,
    compact: formatCompactDuration(delayMs),
  }));
}


export interface PlannedAttempt {
  attempt: number;
  /** When it is due if every attempt before it fails. */
  at: Date;
}

/**
 * What remains of a pending delivery's schedule: the next attempt at `nextAttemptAt`, then each
 * later one a wait after the one before (each attempt starts when the previous one has failed, so
 * later times are the earliest they can be).
 */
export function remainingAttempts(schedule: RetrySchedule, attemptsMade: number, nextAttemptAt: Date | null): PlannedAttempt[] {
  if (!nextAttemptAt || attemptsMade >= schedule.length) return [];
  const planned: PlannedAttempt[] = [];
  let at = nextAttemptAt.getTime();
  for (let attempt = attemptsMade + 1; attempt <= schedule.length; attempt++) {
    if (attempt > attemptsMade + 1) at += delayBeforeAttempt(schedule, attempt);
    planned.push({ attempt, at: new Date(at) });
  }
  return planned;
}
