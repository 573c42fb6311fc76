"use client";

import { useSyncExternalStore } from "react";
import { formatAbsolute, formatRelative, toDate, toIso, formatZoneName, type TimeInput } from "@/lib/time";

/**
 * One clock for every <Time> on the page, ticking every 30 s while something listens. The server
 * snapshot is null: the server and the hydrating render both write the UTC form, and React then
 * re-renders with the viewer's clock and zone, so there is no hydration mismatch to hide.
 */
interface Clock {
  now: number;
  timeZone: string;
}

const TICK_MS = 30_000;
let clock: Clock | null = null;
const listeners = new Set<() => void>();
let timer: ReturnType<typeof setInterval> | undefined;

function readClock(): Clock {
  clock ??= { now: Date.now(), timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone };
  return clock;
}

function subscribe(listener: () => void) {
  listeners.add(listener);
  timer ??= setInterval(() => {
    clock = { now: Date.now(), timeZone: readClock().timeZone };
    listeners.forEach((l) => l());
  }, TICK_MS);
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0 && timer !== undefined) {
      clearInterval(timer);
      timer = undefined;
      // The next subscriber starts from a fresh reading, not one from minutes ago.
      clock = null;
    }
  };
}

const serverClock = () => null;

/** The viewer's clock and zone, shared with every <Time>; null on the server and while hydrating (write UTC then). */
export function useViewerClock(): Clock | null {
  return useSyncExternalStore(subscribe, readClock, serverClock);
}

export function Time({
  value,
  mode = "relative",
  fallback = "—",
  className,
}: {
  value: TimeInput | null | undefined;
  /** relative: "3 min ago"; absolute: "30 Nov 2026, 23:53:38 CET" (where the exact second matters). */
  mode?: "relative" | "absolute";
  fallback?: string;
  className?: string;
}) {
  const viewer = useViewerClock();
  if (value === null || value === undefined) return <span className={className}>{fallback}</span>;
  const date = toDate(value);
  const exact = formatAbsolute(date, { timeZone: viewer?.timeZone });
  const text = !viewer || mode === "absolute" ? exact : formatRelative(date, viewer.now, { timeZone: viewer.timeZone });
  return (
    <time dateTime={toIso(date)} title={exact} className={className}>
      {text}
    </time>
  );
}

/** The viewer's time zone once hydrated; "UTC" on the server and the hydrating render, as <Time> writes. */
export function useViewerTimeZone(): string {
  return useSyncExternalStore(subscribe, readClock, serverClock)?.timeZone ?? "UTC";
}

/** "CET (Europe/Berlin)": said beside inputs and charts whose times carry no zone themselves. */
export function ZoneName({ className }: { className?: string }) {
  const timeZone = useViewerTimeZone();
  const short = formatZoneName(new Date(), timeZone);
  return (
    <span className={className} data-testid="zone-name">
      {short === timeZone ? timeZone : `${short} (${timeZone})`}
    </span>
  );
}
