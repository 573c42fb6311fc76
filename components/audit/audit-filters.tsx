"use client";

import { Search, X } from "lucide-react";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useId, useState, useTransition } from "react";
import { Button } from "@/components/ui/button";
import { FieldError } from "@/components/ui/field-error";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { CustomRangeFields, FILTER_SELECT_CLASS, TimeRangeSelect, useTimeRange } from "@/components/ui/time-range-filter";
import { AUDIT_ACTIONS, type AuditAction } from "@/lib/audit/actions";
import { cn } from "@/lib/utils";
import { AUDIT_FILTER_KEYS, PLATFORM_SCOPE } from "@/lib/audit/filters";

type FilterKey = (typeof AUDIT_FILTER_KEYS)[number];
type Updates = Partial<Record<FilterKey, string | null>>;

/** Action families, by the prefix of the action's name (`member.invited` → Members). */
const FAMILY: Record<string, string> = {
  account: "Accounts",
  endpoint: "Endpoints",
  event_type: "Event catalog",
  member: "Members",
  message: "Messages",
  organization: "Organizations",
  portal: "Portal links",
  recovery: "Recovery",
};

function actionGroups(): [string, AuditAction[]][] {
  const groups = new Map<string, AuditAction[]>();
  for (const action of Object.keys(AUDIT_ACTIONS) as AuditAction[]) {
    const prefix = action.split(".")[0]!;
    const family = FAMILY[prefix] ?? prefix;
    groups.set(family, [...(groups.get(family) ?? []), action]);
  }
  return [...groups.entries()].sort(([a], [b]) => a.localeCompare(b));
}

const SELECT_CLASS = FILTER_SELECT_CLASS;

/**
 * The platform audit log's filters, all in the URL (a view can be shared). Choices in a list
 * apply at once; the actor and a custom time range apply on Enter or Search.
 */
export function AuditFilters({ organizations, errors }: { organizations: { name: string; slug: string }[]; errors: Record<string, string[]> }) {
  const params = useSearchParams();
  const pathname = usePathname();
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const ids = useId();
  const [actor, setActor] = useState(params.get("actor") ?? "");
  const range = useTimeRange(params);
  const active = AUDIT_FILTER_KEYS.some((k) => params.has(k));

  function apply(updates: Updates) {
    const next = new URLSearchParams(params.toString());
    for (const [key, value] of Object.entries(updates)) {
      if (value) next.set(key, value);
      else next.delete(key);
    }
    next.delete("cursor");
    const query = next.toString();
    startTransition(() => router.push(query ? `${pathname}?${query}` : pathname, { scroll: false }));
  }

  function submit(event: React.FormEvent) {
    event.preventDefault();
    apply({ actor: actor.trim() || null, ...range.submitted() });
  }

  const organization = params.get("organization") ?? "";
  const known = organization === "" || organization === PLATFORM_SCOPE || organizations.some((o) => o.slug === organization);
  const generalErrors = Object.entries(errors).filter(([key]) => !["actor", "from", "to"].includes(key));

  return (
    <form onSubmit={submit} className={cn("w-full space-y-3", pending && "opacity-70")} aria-label="Filter the audit log" role="search">
      {/* Aligned at the top: the actor's hint below its field would push it above the lists. */}
      <div className="flex flex-wrap items-start gap-2">
        <div className="w-full space-y-1 sm:w-64">
          <Label htmlFor={`${ids}-actor`}>Actor</Label>
          <Input
            id={`${ids}-actor`}
            value={actor}
            onChange={(e) => setActor(e.target.value)}
            placeholder="someone@example.com"
            autoComplete="off"
            aria-invalid={errors.actor ? true : undefined}
            aria-describedby={`${ids}-actor-hint`}
          />
          <p id={`${ids}-actor-hint`} className="text-xs text-muted-foreground">
            The whole e-mail address, or a key&apos;s name as the log shows it.
          </p>
          <FieldError id={`${ids}-actor-error`} messages={errors.actor} />
        </div>
        <div className="w-full space-y-1 sm:w-auto">
          <Label htmlFor={`${ids}-action`}>Action</Label>
          <select id={`${ids}-action`} className={SELECT_CLASS} value={params.get("action") ?? ""} onChange={(e) => apply({ action: e.target.value || null })}>
            <option value="">Any action</option>
            {actionGroups().map(([family, actions]) => (
              <optgroup key={family} label={family}>
                {actions.map((action) => (
                  <option key={action} value={action}>
                    {AUDIT_ACTIONS[action]}
                  </option>
                ))}
              </optgroup>
            ))}
          </select>
        </div>
        <div className="w-full space-y-1 sm:w-auto">
          <Label htmlFor={`${ids}-organization`}>Organization</Label>
          <select id={`${ids}-organization`} className={cn(SELECT_CLASS, "sm:max-w-60")} value={organization} onChange={(e) => apply({ organization: e.target.value || null })}>
            <option value="">Any organization</option>
            <option value={PLATFORM_SCOPE}>No organization (platform)</option>
            {known ? null : <option value={organization}>{organization} (no such organization)</option>}
            {organizations.map((o) => (
              <option key={o.slug} value={o.slug}>
                {o.name} ({o.slug})
              </option>
            ))}
          </select>
        </div>
        <TimeRangeSelect id={`${ids}-range`} range={range} apply={apply} />
      </div>
      <CustomRangeFields ids={ids} range={range} errors={errors} />
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
          <Button type="button" variant="ghost" onClick={() => apply(Object.fromEntries(AUDIT_FILTER_KEYS.map((k) => [k, null])))}>
            <X aria-hidden /> Clear filters
          </Button>
        ) : null}
      </div>
    </form>
  );
}
