"use client";

import { Badge } from "@/components/ui/badge";
import { Checkbox } from "@/components/ui/checkbox";
import { InlineCodeText } from "@/components/ui/inline-code-text";
import { Label } from "@/components/ui/label";
import { groupByPrefix } from "@/lib/catalog/names";

export interface PickableType {
  name: string;
  description: string;
  deprecated: boolean;
  archived: boolean;
}

type CheckState = boolean | "indeterminate";

function stateOf(names: string[], selected: Set<string>): CheckState {
  const count = names.filter((n) => selected.has(n)).length;
  return count === 0 ? false : count === names.length ? true : "indeterminate";
}

const id = (name: string) => `type-${name.replace(/[^a-z0-9_-]/gi, "-")}`;

/**
 * Grouped like the catalog, with "Select all" and per-group toggles. Archived types appear only
 * when the endpoint already has them, so they can be removed but not newly added.
 */
export function EventTypePicker({
  types,
  selected,
  onChange,
  describedBy,
}: {
  types: PickableType[];
  selected: string[];
  onChange: (next: string[]) => void;
  describedBy?: string;
}) {
  const chosen = new Set(selected);
  const groups = groupByPrefix(types);
  const selectable = types.filter((t) => !t.archived).map((t) => t.name);

  const toggle = (names: string[], on: boolean) => {
    const next = new Set(chosen);
    for (const n of names) {
      if (on) next.add(n);
      else next.delete(n);
    }
    onChange([...next].sort());
  };

  return (
    <div className="space-y-3 rounded-lg border p-3" role="group" aria-labelledby="event-types-label" aria-describedby={describedBy}>
      <div className="flex flex-wrap items-center justify-between gap-2">
        <div className="flex items-center gap-2">
          <Checkbox id="select-all-types" checked={stateOf(selectable, chosen)} onCheckedChange={(c) => toggle(selectable, c === true)} />
          <Label htmlFor="select-all-types">Select all</Label>
        </div>
        <p className="text-sm" data-testid="filter-summary" aria-live="polite">
          {/* An empty choice never means "all" (the form refuses it): say what is missing, in the form's own words. */}
          {selected.length === 0 ? <span className="text-muted-foreground">No event type chosen yet</span> : `${selected.length} of ${types.length} types selected`}
        </p>
      </div>
      {groups.map(({ group, items }) => {
        const names = items.filter((t) => !t.archived || chosen.has(t.name)).map((t) => t.name);
        return (
          <fieldset key={group} className="space-y-2 border-t pt-2">
            <legend className="sr-only">{group} events</legend>
            <div className="flex items-center gap-2">
              <Checkbox
                id={`group-${group}`}
                checked={stateOf(names, chosen)}
                onCheckedChange={(c) => toggle(items.filter((t) => !t.archived).map((t) => t.name), c === true)}
              />
              <Label htmlFor={`group-${group}`} className="font-semibold uppercase tracking-wide text-muted-foreground">
                {group}
              </Label>
            </div>
            <ul className="grid gap-2 pl-6 sm:grid-cols-2">
              {items.map((t) => (
                <li key={t.name} className="flex items-start gap-2">
                  <Checkbox
                    id={id(t.name)}
                    checked={chosen.has(t.name)}
                    disabled={t.archived && !chosen.has(t.name)}
                    onCheckedChange={(c) => toggle([t.name], c === true)}
                    aria-describedby={`${id(t.name)}-desc`}
                  />
                  <div className="space-y-0.5">
                    <Label htmlFor={id(t.name)} className="font-mono text-sm">
                      {t.name}
                      {t.deprecated ? <Badge variant="warning">Deprecated</Badge> : null}
                      {t.archived ? <Badge variant="secondary">Archived</Badge> : null}
                    </Label>
                    <p id={`${id(t.name)}-desc`} className="text-xs text-muted-foreground">
                      <InlineCodeText text={t.description} />
                    </p>
                  </div>
                </li>
              ))}
            </ul>
          </fieldset>
        );
      })}
    </div>
  );
}
