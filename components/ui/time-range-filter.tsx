"use client";

import { useState } from "react";
import { FieldError } from "@/components/ui/field-error";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { ZoneName } from "@/components/ui/time";
import { isoToLocal, localToIso } from "@/lib/time";

/**
 * The time filter the message logs and the platform audit log share: a preset range (relative ones
 * end now, so a shared link keeps meaning "the last 24 hours") or a custom one, entered in the
 * viewer's time zone and kept in the URL as ISO instants (`since`, or `from` and `to`).
 */

export const FILTER_SELECT_CLASS =
  "h-9 w-full rounded-md border border-input bg-background px-2 text-sm shadow-xs outline-none focus-visible:border-ring focus-visible:ring-[3px] focus-visible:ring-ring/50 sm:w-auto dark:bg-input/30";

const RANGE_OPTIONS = [
  ["", "Any time"],
  ["1h", "Last hour"],
  ["24h", "Last 24 hours"],
  ["7d", "Last 7 days"],
  ["30d", "Last 30 days"],
  ["custom", "Custom range…"],
] as const;

type RangeUpdates = { since: string | null; from: string | null; to: string | null };

/** The range's state, read from the URL once. `submitted()` is what Search writes for the custom range (nothing for a preset). */
export function useTimeRange(params: { get(name: string): string | null }) {
  const [custom, setCustom] = useState(Boolean(params.get("from") || params.get("to")));
  const [from, setFrom] = useState(isoToLocal(params.get("from")));
  const [to, setTo] = useState(isoToLocal(params.get("to")));
  return {
    custom,
    setCustom,
    from,
    setFrom,
    to,
    setTo,
    value: custom ? "custom" : (params.get("since") ?? ""),
    submitted: (): Partial<RangeUpdates> => (custom ? { since: null, from: localToIso(from), to: localToIso(to) } : {}),
  };
}

type TimeRange = ReturnType<typeof useTimeRange>;

/** The "Time" select: a preset applies at once (through `apply`); "Custom range…" shows the two fields. */
export function TimeRangeSelect({ id, range, apply }: { id: string; range: TimeRange; apply: (updates: RangeUpdates) => void }) {
  return (
    <div className="w-full space-y-1 sm:w-auto">
      <Label htmlFor={id}>Time</Label>
      <select
        id={id}
        className={FILTER_SELECT_CLASS}
        value={range.value}
        onChange={(e) => {
          if (e.target.value === "custom") {
            range.setCustom(true);
            return;
          }
          range.setCustom(false);
          apply({ since: e.target.value || null, from: null, to: null });
        }}
      >
        {RANGE_OPTIONS.map(([value, label]) => (
          <option key={value} value={value}>
            {label}
          </option>
        ))}
      </select>
    </div>
  );
}

/** The custom range's two fields (`<ids>-from`, `<ids>-to`), when "Custom range…" is chosen. */
export function CustomRangeFields({ ids, range, errors }: { ids: string; range: TimeRange; errors: Record<string, string[] | undefined> }) {
  if (!range.custom) return null;
  return (
    <div className="flex flex-wrap items-end gap-2">
      <div className="w-full space-y-1 sm:w-auto">
        <Label htmlFor={`${ids}-from`}>From (included)</Label>
        <Input id={`${ids}-from`} type="datetime-local" value={range.from} onChange={(e) => range.setFrom(e.target.value)} aria-invalid={errors.from ? true : undefined} />
        <FieldError id={`${ids}-from-error`} messages={errors.from} />
      </div>
      <div className="w-full space-y-1 sm:w-auto">
        <Label htmlFor={`${ids}-to`}>To (excluded)</Label>
        <Input id={`${ids}-to`} type="datetime-local" value={range.to} onChange={(e) => range.setTo(e.target.value)} aria-invalid={errors.to ? true : undefined} />
        <FieldError id={`${ids}-to-error`} messages={errors.to} />
      </div>
      <p className="w-full text-xs text-muted-foreground">
        Times in your time zone, <ZoneName />. Press Search to apply.
      </p>
    </div>
  );
}
