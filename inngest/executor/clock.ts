/** Where the executor reads the time. Tests inject a manual clock and jump to the next wake-up. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** A clock that only moves when told to. */
export class ManualClock implements Clock {
  private current: number;

  constructor(start: Date = new Date()) {
    this.current = start.getTime();
  }

  now(): Date {
    return new Date(this.current);
  }

  set(to: Date): void {
    if (to.getTime() > this.current) this.current = to.getTime();
  }

  advance(ms: number): void {
    this.current += ms;
  }
}
