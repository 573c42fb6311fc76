"use client";

import { ChevronDown, Download, Search, X } from "lucide-react";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useId, useState, useTransition } from "react";
import { FieldError } from "@/components/ui/field-error";
import { Button } from "@/components/ui/button";
import { Checkbox } from "@/components/ui/checkbox";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { CustomRangeFields, FILTER_SELECT_CLASS, TimeRangeSelect, useTimeRange } from "@/components/ui/time-range-filter";
import { Popover, PopoverContent, PopoverTrigger } from "@/components/ui/popover";
import { cn } from "@/lib/utils";

/** Every param the logs' filters own; the cursor is dropped whenever one of them changes. */
const FILTER_KEYS = ["eventType", "status", "endpoint", "since", "from", "to", "id", "contains", "path", "value"] as const;
type FilterKey = (typeof FILTER_KEYS)[number];
type Updates = Partial<Record<FilterKey, string | string[] | null>>;

const STATUS_OPTIONS = [
  ["", "Any status"],
  ["succeeded", "Succeeded"],
  ["failed", "Failed"],
  ["pending", "Pending or retrying"],
  ["sending", "Sending"],
  ["none", "No endpoint subscribed"],
] as const;

const SELECT_CLASS = FILTER_SELECT_CLASS;

export interface MessageFiltersProps {
  eventTypes: string[];
  endpoints: { id: string; url: string; description: string }[];
  /** Zod's messages for the current URL's invalid params, by param. */
  errors: Record<string, string[]>;
  exportHref: string;
}

/**
 * The message logs' filters. Every value lives in the URL (a view can be shared); choices in a
 * list apply at once, typed text applies on Enter or Search.
 */
export function MessageFilters({ eventTypes, endpoints, errors, exportHref }: MessageFiltersProps) {
  const params = useSearchParams();
  const pathname = usePathname();
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const ids = useId();
  const [id, setId] = useState(params.get("id") ?? "");
  const [contains, setContains] = useState(params.get("contains") ?? "");
  const [path, setPath] = useState(params.get("path") ?? "");
  const [value, setValue] = useState(params.get("value") ?? "");
  const range = useTimeRange(params);
  const [includeBody, setIncludeBody] = useState(false);

  const selectedTypes = params.getAll("eventType");
  const active = FILTER_KEYS.some((k) => params.has(k));

  function apply(updates: Updates) {
    const next = new URLSearchParams(params.toString());
    for (const [key, val] of Object.entries(updates)) {
      next.delete(key);
      for (const v of Array.isArray(val) ? val : val ? [val] : []) if (v !== "") next.append(key, v);
    }
    next.delete("cursor");
    const query = next.toString();
    startTransition(() => router.push(query ? `${pathname}?${query}` : pathname, { scroll: false }));
  }

  function submitText(event: React.FormEvent) {
    event.preventDefault();
    apply({
      id: id.trim() || null,
      contains: contains.trim() || null,
      path: path.trim() || null,
      value: path.trim() ? value : null,
      ...range.submitted(),
    });
  }

  function toggleType(name: string, checked: boolean) {
    apply({ eventType: checked ? [...selectedTypes, name] : selectedTypes.filter((t) => t !== name) });
  }

  const exportWith = (format: "csv" | "ndjson") => {
    const query = new URLSearchParams(params.toString());
    query.delete("cursor");
    query.delete("limit");
    query.set("format", format);
    if (includeBody) query.set("include", "body");
    return `${exportHref}?${query.toString()}`;
  };
  const generalErrors = Object.entries(errors).filter(([key]) => !["id", "contains", "path", "value", "from", "to"].includes(key));

  return (
    <form onSubmit={submitText} className={cn("w-full space-y-3", pending && "opacity-70")} aria-label="Filter messages" role="search">
      <div className="flex flex-wrap items-end gap-2">
        <div className="w-full space-y-1 sm:w-64">
          <Label htmlFor={`${ids}-id`}>Message id or event id</Label>
          <Input id={`${ids}-id`} value={id} onChange={(e) => setId(e.target.value)} placeholder="msg_… or your event id" aria-invalid={errors.id ? true : undefined} />
          <FieldError id={`${ids}-id-error`} messages={errors.id} />
        </div>
        <div className="w-full space-y-1 sm:w-auto">
          <span className="block text-sm font-medium" id={`${ids}-types-label`}>
            Event types
          </span>
          <Popover>
            <PopoverTrigger asChild>
              <Button type="button" variant="outline" className="w-full justify-between font-normal sm:w-48" aria-labelledby={`${ids}-types-label ${ids}-types-value`}>
                <span id={`${ids}-types-value`} className="truncate">
                  {selectedTypes.length === 0 ? "All types" : selectedTypes.length === 1 ? selectedTypes[0] : `${selectedTypes.length} types`}
                </span>
                <ChevronDown aria-hidden className="opacity-60" />
              </Button>
            </PopoverTrigger>
            <PopoverContent align="start" className="max-h-80 w-72 overflow-auto p-2">
              <fieldset className="space-y-1">
                <legend className="sr-only">Event types</legend>
                {eventTypes.map((name) => {
                  const checkboxId = `${ids}-type-${name}`;
                  return (
                    <div key={name} className="flex items-center gap-2 rounded px-2 py-1 hover:bg-accent">
                      <Checkbox id={checkboxId} checked={selectedTypes.includes(name)} onCheckedChange={(c) => toggleType(name, c === true)} />
                      <Label htmlFor={checkboxId} className="flex-1 cursor-pointer font-mono text-xs font-normal">
                        {name}
                      </Label>
                    </div>
                  );
                })}
              </fieldset>
              {selectedTypes.length > 0 ? (
                <Button type="button" variant="ghost" size="sm" className="mt-1 w-full" onClick={() => apply({ eventType: null })}>
                  Any type
                </Button>
              ) : null}
            </PopoverContent>
          </Popover>
        </div>
        <div className="w-full space-y-1 sm:w-auto">
          <Label htmlFor={`${ids}-status`}>Delivery status</Label>
          <select id={`${ids}-status`} className={SELECT_CLASS} value={params.get("status") ?? ""} onChange={(e) => apply({ status: e.target.value || null })}>
            {STATUS_OPTIONS.map(([v, label]) => (
              <option key={v} value={v}>
                {label}
              </option>
            ))}
          </select>
        </div>
        <div className="w-full space-y-1 sm:w-auto">
          <Label htmlFor={`${ids}-endpoint`}>Endpoint</Label>
          <select id={`${ids}-endpoint`} className={cn(SELECT_CLASS, "sm:max-w-56")} value={params.get("endpoint") ?? ""} onChange={(e) => apply({ endpoint: e.target.value || null })}>
            <option value="">Any endpoint</option>
            {endpoints.map((ep) => (
              <option key={ep.id} value={ep.id}>
                {ep.description ? `${ep.description} · ${ep.url}` : ep.url}
              </option>
            ))}
          </select>
        </div>
        <TimeRangeSelect id={`${ids}-range`} range={range} apply={apply} />
      </div>
      <CustomRangeFields ids={ids} range={range} errors={errors} />
      <details className="group rounded-md border px-3 py-2" open={Boolean(params.get("contains") || params.get("path") || errors.contains || errors.path || errors.value)}>
        <summary className="cursor-pointer text-sm font-medium outline-none focus-visible:ring-2 focus-visible:ring-ring">Search inside payloads</summary>
        <div className="mt-3 flex flex-wrap items-start gap-2">
          <div className="w-full space-y-1 md:flex-1">
            <Label htmlFor={`${ids}-contains`}>Payload contains (JSON)</Label>
            <Input
              id={`${ids}-contains`}
              className="font-mono"
              value={contains}
              onChange={(e) => setContains(e.target.value)}
              placeholder='{"contract":{"id":"ctr_1"}}'
              aria-invalid={errors.contains ? true : undefined}
              aria-describedby={errors.contains ? `${ids}-contains-error` : undefined}
            />
            <FieldError id={`${ids}-contains-error`} messages={errors.contains} />
          </div>
          <div className="w-full space-y-1 sm:w-48">
            <Label htmlFor={`${ids}-path`}>Key path</Label>
            <Input id={`${ids}-path`} className="font-mono" value={path} onChange={(e) => setPath(e.target.value)} placeholder="contract.id" aria-invalid={errors.path ? true : undefined} />
            <FieldError id={`${ids}-path-error`} messages={errors.path} />
          </div>
          <div className="w-full space-y-1 sm:w-48">
            <Label htmlFor={`${ids}-value`}>equals</Label>
            <Input id={`${ids}-value`} className="font-mono" value={value} onChange={(e) => setValue(e.target.value)} placeholder="ctr_1" aria-invalid={errors.value ? true : undefined} />
            <FieldError id={`${ids}-value-error`} messages={errors.value} />
          </div>
        </div>
      </details>
      {generalErrors.length > 0 ? (
        <div role="alert" className="rounded-md border border-destructive/50 p-3 text-sm text-destructive">
          {generalErrors.map(([key, messages]) => (
            <p key={key}>{messages.join(" ")}</p>
          ))}
        </div>
      ) : null}
      <div className="flex flex-wrap items-center gap-2">
        <Button type="submit" disabled={pending}>
          <Search aria-hidden /> Search
        </Button>
        {active ? (
          <Button type="button" variant="ghost" onClick={() => apply(Object.fromEntries(FILTER_KEYS.map((k) => [k, null])))}>
            <X aria-hidden /> Clear filters
          </Button>
        ) : null}
        <div className="flex flex-wrap items-center gap-2 sm:ml-auto">
          <span className="text-sm text-muted-foreground">Export this view:</span>
          <Button variant="outline" size="sm" asChild>
            <a href={exportWith("csv")} download>
              <Download aria-hidden /> CSV
            </a>
          </Button>
          <Button variant="outline" size="sm" asChild>
            <a href={exportWith("ndjson")} download>
              <Download aria-hidden /> NDJSON
            </a>
          </Button>
          <div className="flex items-center gap-2">
            <Checkbox id={`${ids}-include-body`} checked={includeBody} onCheckedChange={(c) => setIncludeBody(c === true)} />
            <Label htmlFor={`${ids}-include-body`} className="text-sm font-normal">
              Include payloads
            </Label>
          </div>
        </div>
      </div>
    </form>
  );
}
