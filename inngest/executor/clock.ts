/** Where the executor reads the time. Tests inject a manual clock and jump to the next wake-up. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };
