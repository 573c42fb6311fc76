"use client";

import { useState } from "react";
import { toast } from "sonner";
import { setPortalOriginsAction } from "@/actions/portal";
import { Button } from "@/components/ui/button";
import { Label } from "@/components/ui/label";
import { Textarea } from "@/components/ui/textarea";
import { useActionForm } from "@/components/ui/use-action-form";
import type { FieldErrors } from "@/lib/validations/field-errors";
import { setPortalOriginsSchema } from "@/lib/validations/portal";

/** One origin per line in the form; the action gets the list. */
function linesOf(text: string): string[] {
  return text.split("\n").map((line) => line.trim()).filter(Boolean);
}

/** Field errors keyed `origins.2` → "Line 3: …", in the order of the lines. */
function messagesOf(errors: FieldErrors): string[] {
  return Object.entries(errors).flatMap(([path, messages]) => {
    const line = /^origins\.(\d+)$/.exec(path);
    return (messages ?? []).map((message) => (line ? `Line ${Number(line[1]) + 1}: ${message}` : message));
  });
}

export function PortalOriginsForm({ org, origins, canManage }: { org: string; origins: string[]; canManage: boolean }) {
  const [text, setText] = useState(origins.join("\n"));
  const form = useActionForm(setPortalOriginsAction, {
    schema: setPortalOriginsSchema,
    onSuccess: (data) => {
      setText(data.origins.join("\n"));
      toast.success(data.changed ? "Allowed origins saved" : "No change: the list was already saved");
    },
  });
  const errors = messagesOf(form.errors);

  return (
    <form onSubmit={form.handleSubmit(() => ({ org, origins: linesOf(text) }))} className="grid gap-3">
      <div className="grid gap-2">
        <Label htmlFor="portal-origins">Origins allowed to frame the portal</Label>
        <Textarea
          id="portal-origins"
          value={text}
          onChange={(e) => setText(e.target.value)}
          readOnly={!canManage}
          rows={4}
          spellCheck={false}
          placeholder={canManage ? "https://app.example.com" : "None: no page may frame the portal"}
          className="font-mono text-sm"
          aria-invalid={errors.length ? true : undefined}
          aria-describedby="portal-origins-help portal-origins-error"
        />
        <p id="portal-origins-help" className="text-sm text-muted-foreground">
          One per line, as <code className="font-mono text-xs">scheme://host[:port]</code>, e.g. the address of your own settings page&apos;s site. Empty: links open
          only in their own tab, never inside another page.
        </p>
        {errors.length ? (
          <ul id="portal-origins-error" className="space-y-1 text-sm text-destructive">
            {errors.map((message) => (
              <li key={message}>{message}</li>
            ))}
          </ul>
        ) : null}
      </div>
      {canManage ? (
        <div>
          <Button type="submit" disabled={form.pending}>
            {form.pending ? "Saving…" : "Save origins"}
          </Button>
        </div>
      ) : (
        <p className="text-sm text-muted-foreground">Owners and admins can change this list.</p>
      )}
    </form>
  );
}
