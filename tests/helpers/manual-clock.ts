import type { Clock } from "@/inngest/executor/clock";

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
