"use client";

import { AlertTriangle } from "lucide-react";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { toast } from "sonner";
import { createEndpointAction, updateEndpointAction } from "@/actions/endpoints";
import { EventTypePicker, type PickableType } from "@/components/endpoints/event-type-picker";
import { HeadersEditor } from "@/components/endpoints/headers-editor";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { ConfirmAction } from "@/components/ui/confirm-action";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { Textarea } from "@/components/ui/textarea";
import { FieldError } from "@/components/ui/field-error";
import { useActionForm } from "@/components/ui/use-action-form";
import { endpointPath, webhooksPath } from "@/lib/routes";
import {
  createEndpointSchema,
  EVENT_FILTER_REQUIRED_MESSAGE,
  RATE_LIMIT_MAX,
  RATE_LIMIT_MIN,
  URL_CHANGE_CONFIRMATION_MESSAGE,
  URL_MAX_LENGTH,
} from "@/lib/validations/endpoint";

export interface EndpointFormValues {
  url: string;
  description: string;
  eventTypes: string[];
  rateLimit: string;
  headers: { name: string; value: string }[];
}

export const emptyEndpoint: EndpointFormValues = { url: "", description: "", eventTypes: [], rateLimit: "", headers: [] };

type Mode = { kind: "create" } | { kind: "edit"; endpointId: string; originalUrl: string };
type SaveInput = EndpointFormValues & { org: string; confirmUrlChange: boolean };

export function EndpointForm({
  org,
  mode,
  types,
  initial,
  prefillUrl,
}: {
  org: string;
  mode: Mode;
  types: PickableType[];
  initial: EndpointFormValues;
  /** A URL to start from, e.g. the test receiver's address. */
  prefillUrl?: string;
}) {
  const router = useRouter();
  const [values, setValues] = useState(prefillUrl ? { ...initial, url: prefillUrl } : initial);
  const [confirmingUrl, setConfirmingUrl] = useState(false);
  const form = useActionForm<SaveInput, { id: string } | { changed: string[] }>(
    ({ confirmUrlChange, ...input }) =>
      mode.kind === "create" ? createEndpointAction(input) : updateEndpointAction({ ...input, endpointId: mode.endpointId, confirmUrlChange }),
    {
      schema: createEndpointSchema,
      onSuccess: (data) => {
        const target = mode.kind === "edit" ? mode.endpointId : "id" in data ? data.id : null;
        toast.success(mode.kind === "create" ? "Endpoint added" : "Endpoint saved");
        router.push(target ? endpointPath(org, target) : webhooksPath(org));
      },
    },
  );
  const errors = form.errors;

  const set = <K extends keyof EndpointFormValues>(key: K, value: EndpointFormValues[K]) => setValues((v) => ({ ...v, [key]: value }));
  const urlChanged = mode.kind === "edit" && values.url.trim() !== mode.originalUrl;
  const nothingSelected = values.eventTypes.length === 0;

  function save() {
    const input = { org, ...values, confirmUrlChange: false };
    if (!form.validate(input)) return;
    // A new URL is confirmed in the dialog first, which then saves with the confirmation.
    if (urlChanged) return setConfirmingUrl(true);
    form.submit(input);
  }

  return (
    <form
      noValidate
      className="space-y-8"
      onSubmit={(e) => {
        e.preventDefault();
        save();
      }}
    >
      <div className="space-y-2">
        <Label htmlFor="url">Endpoint URL</Label>
        <Input
          id="url"
          type="url"
          inputMode="url"
          placeholder="https://example.com/webhooks"
          maxLength={URL_MAX_LENGTH}
          value={values.url}
          onChange={(e) => set("url", e.target.value)}
          className="font-mono"
          {...form.ariaFor("url", { hint: urlChanged ? "url-change-warning" : undefined })}
        />
        <FieldError id="url-error" messages={errors.url} />
        {urlChanged ? (
          <Alert variant="warning" id="url-change-warning" data-testid="url-change-warning">
            <AlertTriangle aria-hidden />
            <AlertTitle>Changing the URL is not recommended</AlertTitle>
            <AlertDescription>{URL_CHANGE_CONFIRMATION_MESSAGE}</AlertDescription>
          </Alert>
        ) : null}
      </div>

      <div className="space-y-2">
        <Label htmlFor="description">Description</Label>
        <Textarea
          id="description"
          placeholder="What receives these events, e.g. Billing system (production)"
          value={values.description}
          onChange={(e) => set("description", e.target.value)}
          {...form.ariaFor("description")}
        />
        <FieldError id="description-error" messages={errors.description} />
      </div>

      <div className="space-y-2">
        <p id="event-types-label" className="text-sm font-medium">
          Message filtering: event types
        </p>
        <EventTypePicker types={types} selected={values.eventTypes} onChange={(next) => set("eventTypes", next)} describedBy={form.ariaFor("eventTypes")["aria-describedby"]} />
        <FieldError id="eventTypes-error" messages={errors.eventTypes} />
      </div>

      <details className="space-y-4 rounded-lg border p-4" open={!!(initial.rateLimit || initial.headers.length || errors.rateLimit || Object.keys(errors).some((k) => k.startsWith("headers")))}>
        <summary className="cursor-pointer font-medium">Advanced configuration</summary>
        <div className="mt-4 space-y-2">
          <Label htmlFor="rateLimit">Rate limit (messages per second)</Label>
          <Input
            id="rateLimit"
            type="number"
            inputMode="numeric"
            min={RATE_LIMIT_MIN}
            max={RATE_LIMIT_MAX}
            step={1}
            placeholder="No limit"
            className="max-w-40"
            value={values.rateLimit}
            onChange={(e) => set("rateLimit", e.target.value)}
            {...form.ariaFor("rateLimit", { hint: "rateLimit-hint" })}
          />
          <p id="rateLimit-hint" className="text-sm text-muted-foreground">
            Whole number from {RATE_LIMIT_MIN} to {RATE_LIMIT_MAX.toLocaleString("en-US")}. Leave empty for no limit.
          </p>
          <FieldError id="rateLimit-error" messages={errors.rateLimit} />
        </div>
        <div className="mt-6">
          <HeadersEditor headers={values.headers} onChange={(next) => set("headers", next)} errors={errors} />
        </div>
      </details>

      <div className="flex flex-wrap items-center gap-3">
        <Button type="submit" disabled={form.pending || nothingSelected} aria-describedby={nothingSelected ? "submit-blocked" : undefined}>
          {mode.kind === "create" ? "Create endpoint" : "Save changes"}
        </Button>
        <Button type="button" variant="ghost" onClick={() => router.back()}>
          Cancel
        </Button>
        {nothingSelected ? (
          <p id="submit-blocked" className="basis-full text-sm text-muted-foreground" data-testid="submit-blocked">
            {EVENT_FILTER_REQUIRED_MESSAGE}
          </p>
        ) : null}
        <FieldError id="form-error" messages={errors._form} />
      </div>

      <ConfirmAction
        open={confirmingUrl}
        onOpenChange={setConfirmingUrl}
        title="Change this endpoint's URL?"
        description={
          <>
            {URL_CHANGE_CONFIRMATION_MESSAGE} New URL: <span className="font-mono break-all">{values.url.trim()}</span>
          </>
        }
        cancelLabel="Keep the old URL"
        confirmLabel="Change the URL"
        pendingLabel="Saving…"
        variant="destructive"
        action={() => form.run({ org, ...values, confirmUrlChange: true })}
      />
    </form>
  );
}
