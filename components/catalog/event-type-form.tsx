"use client";

import { Plus, Trash2 } from "lucide-react";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { toast } from "sonner";
import { createEventTypeAction, updateEventTypeAction } from "@/actions/catalog";
import { Button } from "@/components/ui/button";
import { Checkbox } from "@/components/ui/checkbox";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { Textarea } from "@/components/ui/textarea";
import { FieldError } from "@/components/ui/field-error";
import { useActionForm } from "@/components/ui/use-action-form";
import { platformCatalogPath } from "@/lib/routes";
import { eventTypeFormSchema } from "@/lib/validations/catalog";

export interface EventTypeFormValues {
  name: string;
  description: string;
  deprecated: boolean;
  schema: string;
  examples: { name: string; payload: string }[];
}

const EMPTY_SCHEMA = JSON.stringify(
  { $schema: "https://json-schema.org/draft/2020-12/schema", type: "object", required: [], properties: {} },
  null,
  2,
);

export const emptyEventType: EventTypeFormValues = { name: "", description: "", deprecated: false, schema: EMPTY_SCHEMA, examples: [{ name: "Example", payload: "{}" }] };

/** Staff-only create/edit. Validation (schema compiles, every example matches) runs here and again on the server. */
export function EventTypeForm({ mode, initial }: { mode: "create" | "edit"; initial: EventTypeFormValues }) {
  const router = useRouter();
  const [values, setValues] = useState(initial);
  const form = useActionForm((input: EventTypeFormValues) => (mode === "create" ? createEventTypeAction(input) : updateEventTypeAction(input)), {
    schema: eventTypeFormSchema,
    onSuccess: (data) => {
      toast.success(mode === "create" ? `Created ${data.name}` : `Saved ${data.name}`);
      router.push(platformCatalogPath());
    },
  });
  const errors = form.errors;

  const set = <K extends keyof EventTypeFormValues>(key: K, value: EventTypeFormValues[K]) => setValues((v) => ({ ...v, [key]: value }));
  const setExample = (i: number, patch: Partial<EventTypeFormValues["examples"][number]>) =>
    set("examples", values.examples.map((e, j) => (j === i ? { ...e, ...patch } : e)));

  return (
    <form onSubmit={form.handleSubmit(() => values)} className="space-y-6" noValidate>
      <div className="space-y-2">
        <Label htmlFor="name">Name</Label>
        <Input
          id="name"
          value={values.name}
          onChange={(e) => set("name", e.target.value)}
          disabled={mode === "edit"}
          placeholder="contract.created"
          className="font-mono"
          {...form.ariaFor("name", { hint: "name-hint" })}
        />
        <p id="name-hint" className="text-sm text-muted-foreground">
          {mode === "edit" ? "Names never change: endpoint filters and messages refer to them." : "Lowercase and dotted; the part before the first dot is the group."}
        </p>
        <FieldError id="name-error" messages={errors.name} />
      </div>
      <div className="space-y-2">
        <Label htmlFor="description">Description</Label>
        <Textarea id="description" value={values.description} onChange={(e) => set("description", e.target.value)} {...form.ariaFor("description")} />
        <FieldError id="description-error" messages={errors.description} />
      </div>
      <div className="flex items-center gap-2">
        <Checkbox id="deprecated" checked={values.deprecated} onCheckedChange={(c) => set("deprecated", c === true)} />
        <Label htmlFor="deprecated">Deprecated (still delivered, marked in the catalog and the picker)</Label>
      </div>
      <div className="space-y-2">
        <Label htmlFor="schema">Payload schema (JSON Schema draft 2020-12)</Label>
        <Textarea
          id="schema"
          value={values.schema}
          onChange={(e) => set("schema", e.target.value)}
          rows={16}
          spellCheck={false}
          className="font-mono text-xs"
          {...form.ariaFor("schema")}
        />
        <FieldError id="schema-error" messages={errors.schema} />
      </div>
      <fieldset className="space-y-4">
        <legend className="text-sm font-medium">Example payloads</legend>
        <FieldError id="examples-error" messages={errors.examples} />
        {values.examples.map((example, i) => (
          <div key={i} className="space-y-2 rounded-lg border p-3">
            <div className="flex items-end gap-2">
              <div className="flex-1 space-y-2">
                <Label htmlFor={`example-${i}-name`}>Example {i + 1} name</Label>
                <Input
                  id={`example-${i}-name`}
                  value={example.name}
                  onChange={(e) => setExample(i, { name: e.target.value })}
                  {...form.ariaFor(`examples.${i}.name`)}
                />
              </div>
              <Button
                type="button"
                variant="ghost"
                size="icon"
                aria-label={`Remove example ${i + 1}`}
                disabled={values.examples.length === 1}
                onClick={() => set("examples", values.examples.filter((_, j) => j !== i))}
              >
                <Trash2 aria-hidden />
              </Button>
            </div>
            <FieldError id={`examples.${i}.name-error`} messages={errors[`examples.${i}.name`]} />
            <Label htmlFor={`example-${i}-payload`}>Example {i + 1} payload (JSON)</Label>
            <Textarea
              id={`example-${i}-payload`}
              value={example.payload}
              onChange={(e) => setExample(i, { payload: e.target.value })}
              rows={8}
              spellCheck={false}
              className="font-mono text-xs"
              {...form.ariaFor(`examples.${i}.payload`)}
            />
            <FieldError id={`examples.${i}.payload-error`} messages={errors[`examples.${i}.payload`]} />
          </div>
        ))}
        <Button type="button" variant="outline" size="sm" onClick={() => set("examples", [...values.examples, { name: `Example ${values.examples.length + 1}`, payload: "{}" }])}>
          <Plus aria-hidden /> Add example
        </Button>
      </fieldset>
      <FieldError id="form-error" messages={errors._form} />
      <div className="flex gap-2">
        <Button type="submit" disabled={form.pending}>
          {mode === "create" ? "Create event type" : "Save changes"}
        </Button>
        <Button type="button" variant="ghost" onClick={() => router.back()}>
          Cancel
        </Button>
      </div>
    </form>
  );
}
