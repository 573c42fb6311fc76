"use client";

import { Plus, Trash2 } from "lucide-react";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { FieldError } from "@/components/ui/field-error";
import { HEADERS_MAX_COUNT, type EndpointConfigInput } from "@/lib/validations/endpoint";

type Header = NonNullable<EndpointConfigInput["headers"]>[number];

/** Ordered key/value rows; errors arrive keyed `headers.<row>.name|value` from the shared schema. */
export function HeadersEditor({ headers, onChange, errors }: { headers: Header[]; onChange: (next: Header[]) => void; errors: Record<string, string[]> }) {
  const update = (i: number, patch: Partial<Header>) => onChange(headers.map((h, j) => (j === i ? { ...h, ...patch } : h)));
  return (
    <fieldset className="space-y-2">
      <legend className="text-sm font-medium">Custom headers</legend>
      <p className="text-sm text-muted-foreground">Sent with every request to this endpoint, for example an API key your receiver expects.</p>
      {headers.map((h, i) => (
        <div key={i} className="space-y-1" data-testid="header-row">
          <div className="flex items-start gap-2">
            <Input
              aria-label={`Header ${i + 1} name`}
              placeholder="X-Api-Key"
              value={h.name}
              onChange={(e) => update(i, { name: e.target.value })}
              className="font-mono"
              aria-invalid={!!errors[`headers.${i}.name`]}
              aria-describedby={errors[`headers.${i}.name`] ? `headers.${i}.name-error` : undefined}
            />
            <Input
              aria-label={`Header ${i + 1} value`}
              placeholder="value"
              value={h.value}
              onChange={(e) => update(i, { value: e.target.value })}
              className="font-mono"
              aria-invalid={!!errors[`headers.${i}.value`]}
              aria-describedby={errors[`headers.${i}.value`] ? `headers.${i}.value-error` : undefined}
            />
            <Button type="button" variant="ghost" size="icon" aria-label={`Remove header ${i + 1}`} onClick={() => onChange(headers.filter((_, j) => j !== i))}>
              <Trash2 aria-hidden />
            </Button>
          </div>
          <FieldError id={`headers.${i}.name-error`} messages={errors[`headers.${i}.name`]} />
          <FieldError id={`headers.${i}.value-error`} messages={errors[`headers.${i}.value`]} />
        </div>
      ))}
      <FieldError id="headers-error" messages={errors.headers} />
      <Button type="button" variant="outline" size="sm" disabled={headers.length >= HEADERS_MAX_COUNT} onClick={() => onChange([...headers, { name: "", value: "" }])}>
        <Plus aria-hidden /> Add header
      </Button>
    </fieldset>
  );
}
