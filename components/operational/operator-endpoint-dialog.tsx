"use client";

import { Pencil, Plus } from "lucide-react";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { toast } from "sonner";
import { z } from "zod";
import { createOperatorEndpointAction, updateOperatorEndpointAction } from "@/actions/operational-webhooks";
import { Button } from "@/components/ui/button";
import { Checkbox } from "@/components/ui/checkbox";
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle, DialogTrigger } from "@/components/ui/dialog";
import { FieldError } from "@/components/ui/field-error";
import { InlineCodeText } from "@/components/ui/inline-code-text";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { useActionForm } from "@/components/ui/use-action-form";
import { OPERATIONAL_EVENT_TYPES, OPERATIONAL_EVENT_TYPE_NAMES, type OperationalEventType } from "@/lib/operational/events";
import { operatorEndpointPath } from "@/lib/routes";
import { operatorEndpointFormSchema, updateOperatorEndpointSchema } from "@/lib/validations/operational";

export interface OperatorEndpointValues {
  url: string;
  description: string;
  /** Empty: every operational event. */
  eventTypes: string[];
  rateLimit: string;
}

/** An empty list means every event, so "only these" with none chosen is the form's own rule, checked with the rest. */
const SOME_EVENTS = { eventTypes: z.array(z.string()).min(1, "Choose at least one event, or receive every operational event.") };

const EMPTY: OperatorEndpointValues = { url: "", description: "", eventTypes: [], rateLimit: "" };

/** Add an operator endpoint, or edit one (`endpointId` and its current values). */
export function OperatorEndpointDialog({ endpointId, initial = EMPTY }: { endpointId?: string; initial?: OperatorEndpointValues }) {
  const router = useRouter();
  const editing = endpointId !== undefined;
  const [open, setOpen] = useState(false);
  const [values, setValues] = useState(initial);
  const [every, setEvery] = useState(initial.eventTypes.length === 0);

  const input = () => ({ ...values, eventTypes: every ? [] : values.eventTypes });
  const create = useActionForm(createOperatorEndpointAction, {
    schema: every ? operatorEndpointFormSchema : operatorEndpointFormSchema.extend(SOME_EVENTS),
    onSuccess: (data) => {
      toast.success("Operator endpoint added");
      setOpen(false);
      router.push(operatorEndpointPath(data.id));
    },
  });
  const update = useActionForm(updateOperatorEndpointAction, {
    schema: every ? updateOperatorEndpointSchema : updateOperatorEndpointSchema.extend(SOME_EVENTS),
    onSuccess: (data) => {
      toast.success(data.changed.length ? "Operator endpoint saved" : "Nothing changed");
      setOpen(false);
      router.refresh();
    },
  });
  const form = editing ? update : create;

  function reset(next: boolean) {
    setOpen(next);
    if (!next) {
      setValues(initial);
      setEvery(initial.eventTypes.length === 0);
      form.clearErrors();
    }
  }

  function toggle(type: OperationalEventType, checked: boolean) {
    setValues((v) => ({ ...v, eventTypes: checked ? [...v.eventTypes, type] : v.eventTypes.filter((t) => t !== type) }));
  }

  const onSubmit = editing ? update.handleSubmit(() => ({ ...input(), endpointId })) : create.handleSubmit(input);

  return (
    <Dialog open={open} onOpenChange={reset}>
      <DialogTrigger asChild>
        {editing ? (
          <Button variant="outline">
            <Pencil aria-hidden /> Edit
          </Button>
        ) : (
          <Button>
            <Plus aria-hidden /> Add operator endpoint
          </Button>
        )}
      </DialogTrigger>
      <DialogContent className="max-h-[90dvh] overflow-y-auto">
        <form onSubmit={onSubmit} className="grid min-w-0 gap-4" noValidate>
          <DialogHeader>
            <DialogTitle>{editing ? "Edit operator endpoint" : "Add operator endpoint"}</DialogTitle>
            <DialogDescription>
              A URL of your platform that receives events about your customers&apos; webhooks (an endpoint failing, disabled, deleted…), signed with its own
              secret and retried like any webhook.
            </DialogDescription>
          </DialogHeader>
          <div className="grid gap-2">
            <Label htmlFor="op-url">URL</Label>
            <Input
              id="op-url"
              type="url"
              inputMode="url"
              placeholder="https://ops.example.com/webhooks/hookrelay"
              value={values.url}
              autoFocus
              onChange={(e) => setValues((v) => ({ ...v, url: e.target.value }))}
              {...form.ariaFor("url", { error: "op-url-error" })}
            />
            <FieldError id="op-url-error" messages={form.errors.url} />
          </div>
          <div className="grid gap-2">
            <Label htmlFor="op-description">
              Description <span className="font-normal text-muted-foreground">(optional)</span>
            </Label>
            <Input
              id="op-description"
              placeholder="e.g. On-call alerts"
              value={values.description}
              onChange={(e) => setValues((v) => ({ ...v, description: e.target.value }))}
              {...form.ariaFor("description", { error: "op-description-error" })}
            />
            <FieldError id="op-description-error" messages={form.errors.description} />
          </div>
          <fieldset className="grid gap-3" aria-describedby={form.errors.eventTypes ? "op-eventTypes-error" : undefined}>
            <legend className="mb-2 text-sm font-medium">Events</legend>
            <div className="flex items-start gap-2">
              <Checkbox id="op-every" checked={every} onCheckedChange={(checked) => setEvery(checked === true)} />
              <Label htmlFor="op-every" className="grid gap-0.5 font-normal">
                <span className="font-medium">Every operational event</span>
                <span className="text-xs text-muted-foreground">Including events HookRelay adds later.</span>
              </Label>
            </div>
            {every ? null : (
              <ul className="grid gap-2 border-l pl-4" aria-label="Operational events">
                {OPERATIONAL_EVENT_TYPE_NAMES.map((type) => (
                  <li key={type} className="flex items-start gap-2">
                    <Checkbox id={`op-type-${type}`} checked={values.eventTypes.includes(type)} onCheckedChange={(checked) => toggle(type, checked === true)} />
                    <Label htmlFor={`op-type-${type}`} className="grid min-w-0 gap-0.5 font-normal">
                      <span className="font-mono text-sm break-all">{type}</span>
                      <span className="text-xs text-muted-foreground">
                        <InlineCodeText text={OPERATIONAL_EVENT_TYPES[type]} />
                      </span>
                    </Label>
                  </li>
                ))}
              </ul>
            )}
            <FieldError id="op-eventTypes-error" messages={form.errors.eventTypes ?? form.errors["eventTypes.0"]} />
          </fieldset>
          <FieldError id="op-form-error" messages={form.errors._form} />
          <DialogFooter>
            <Button type="submit" disabled={form.pending}>
              {form.pending ? "Saving…" : editing ? "Save" : "Add operator endpoint"}
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  );
}
