"use client";

import { useQuery } from "@tanstack/react-query";
import { useState, useTransition } from "react";
import { toast } from "sonner";
import { previewRecoveryAction, startRecoveryAction } from "@/actions/recovery";
import { useRefreshTasks } from "@/components/recovery/use-tasks";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle } from "@/components/ui/dialog";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from "@/components/ui/select";
import { Time, ZoneName } from "@/components/ui/time";
import type { RecoveryKind } from "@/lib/validations/recovery";

const HOUR = 3_600_000;

/** The window presets; "since yesterday" starts at the viewer's midnight, as the viewer means it. */
const PRESETS = {
  "1h": { label: "Last hour", since: (now: Date) => new Date(now.getTime() - HOUR) },
  "8h": { label: "Since 8 hours ago", since: (now: Date) => new Date(now.getTime() - 8 * HOUR) },
  yesterday: { label: "Since yesterday", since: (now: Date) => new Date(now.getFullYear(), now.getMonth(), now.getDate() - 1) },
  "7d": { label: "Last 7 days", since: (now: Date) => new Date(now.getTime() - 7 * 24 * HOUR) },
} as const;
type Preset = keyof typeof PRESETS | "custom";

export const KIND_TEXT: Record<RecoveryKind, { title: string; explain: string; verb: string }> = {
  resend_failed: {
    title: "Resend failed messages",
    explain: "Each message whose delivery to this endpoint failed in the window is sent once more, as a manual attempt. A manual attempt is not retried if it fails.",
    verb: "Resend",
  },
  replay_missing: {
    title: "Replay missing messages",
    explain: "Each message of the window whose event type this endpoint subscribes to now, and that was never sent to it, gets a normal delivery with the normal retry schedule.",
    verb: "Replay",
  },
};

/** `<input type="datetime-local">` reads and writes local time without a zone. */
const toLocalInput = (date: Date) => new Date(date.getTime() - date.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
const fromLocalInput = (text: string) => (text ? new Date(text).toISOString() : undefined);

/** A recovery dialog's buttons: the confirmation names the number of messages it sends. */
export function ConfirmFooter({ verb, count, pending, onCancel, onConfirm }: { verb: string; count: number | null; pending: boolean; onCancel: () => void; onConfirm: () => void }) {
  return (
    <DialogFooter>
      <Button variant="outline" onClick={onCancel} disabled={pending}>
        Cancel
      </Button>
      <Button onClick={onConfirm} disabled={pending || !count} data-testid="recovery-confirm">
        {verb} {count ?? ""} message{count === 1 ? "" : "s"}
      </Button>
    </DialogFooter>
  );
}

/** The window's refusal in the dialog's own words: its fields are "From" and "To", not the API's `since` and `until`. */
const windowError = (error: string) => error.replaceAll("`since`", "“From”").replaceAll("`until`", "“To”");

/**
 * Confirms a windowed recovery: the window (a preset, a custom range, or fixed at a message), the
 * number of messages it sends (counted by the operation's own query), then starts it.
 */
export function RecoveryDialog({
  org,
  endpointId,
  kind,
  open,
  onOpenChange,
  fixedSince,
}: {
  org: string;
  endpointId: string;
  kind: RecoveryKind;
  open: boolean;
  onOpenChange: (open: boolean) => void;
  /** "Since this message": the window starts at that message (ISO) and runs to now. */
  fixedSince?: string;
}) {
  const [preset, setPreset] = useState<Preset>("1h");
  const [custom, setCustom] = useState(() => ({ from: toLocalInput(new Date(Date.now() - 24 * HOUR)), to: "" }));
  const [at, setAt] = useState(() => Date.now());
  const [pending, startTransition] = useTransition();
  const refresh = useRefreshTasks(org, endpointId);
  const text = KIND_TEXT[kind];

  const window = fixedSince
    ? { since: fixedSince, until: undefined }
    : preset === "custom"
      ? { since: fromLocalInput(custom.from), until: fromLocalInput(custom.to) }
      : { since: PRESETS[preset].since(new Date(at)).toISOString(), until: undefined };

  const preview = useQuery({
    queryKey: ["recovery-preview", org, endpointId, kind, window.since, window.until, at],
    queryFn: async () => previewRecoveryAction({ org, endpointId, kind, ...window }),
    enabled: open,
    staleTime: Infinity,
  });
  const result = preview.data;
  const count = result?.ok ? result.data.count : null;

  function start() {
    if (!result?.ok) return;
    startTransition(async () => {
      // The counted window exactly (its end fixed at the count), so the task sends what was counted.
      const started = await startRecoveryAction({ org, endpointId, kind, since: result.data.since, until: result.data.until });
      if (!started.ok) return void toast.error(started.error);
      toast.success(`${text.title}: ${started.data.total ?? count} message${(started.data.total ?? count) === 1 ? "" : "s"} queued`);
      onOpenChange(false);
      void refresh();
    });
  }

  return (
    <Dialog
      open={open}
      onOpenChange={(next) => {
        if (next) setAt(Date.now());
        onOpenChange(next);
      }}
    >
      <DialogContent data-testid="recovery-dialog">
        <DialogHeader>
          <DialogTitle>{text.title}</DialogTitle>
          <DialogDescription>{text.explain}</DialogDescription>
        </DialogHeader>
        {fixedSince ? (
          <p className="text-sm">
            From this message (<Time value={fixedSince} mode="absolute" />) to now.
          </p>
        ) : (
          <div className="space-y-3">
            <div className="space-y-1">
              <Label htmlFor="recovery-window">Messages from</Label>
              <Select value={preset} onValueChange={(v) => { setPreset(v as Preset); setAt(Date.now()); }}>
                <SelectTrigger id="recovery-window" className="w-full" data-testid="recovery-window">
                  <SelectValue />
                </SelectTrigger>
                <SelectContent>
                  {Object.entries(PRESETS).map(([value, p]) => (
                    <SelectItem key={value} value={value}>
                      {p.label}
                    </SelectItem>
                  ))}
                  <SelectItem value="custom">Custom range</SelectItem>
                </SelectContent>
              </Select>
            </div>
            {preset === "custom" ? (
              <div className="grid gap-3 sm:grid-cols-2">
                <div className="space-y-1">
                  <Label htmlFor="recovery-from">From</Label>
                  <Input id="recovery-from" type="datetime-local" value={custom.from} onChange={(e) => setCustom({ ...custom, from: e.target.value })} />
                </div>
                <div className="space-y-1">
                  <Label htmlFor="recovery-to">To (empty: now)</Label>
                  <Input id="recovery-to" type="datetime-local" value={custom.to} onChange={(e) => setCustom({ ...custom, to: e.target.value })} />
                </div>
                <p className="text-xs text-muted-foreground sm:col-span-2">
                  Times in your time zone, <ZoneName />.
                </p>
              </div>
            ) : null}
          </div>
        )}
        <div className="rounded-md border bg-muted/40 p-3 text-sm" aria-live="polite" data-testid="recovery-count">
          {preview.isFetching || !result ? (
            "Counting messages…"
          ) : result.ok ? (
            <>
              <strong className="tabular-nums">{result.data.count}</strong> message{result.data.count === 1 ? "" : "s"} will be sent
              {result.data.count === 0 ? ": nothing to do in this window." : "."}
              {result.data.retentionNote ? <span className="mt-1 block text-muted-foreground">{result.data.retentionNote}</span> : null}
              {result.data.expungedNote ? (
                <span className="mt-1 block text-muted-foreground" data-testid="recovery-expunged-note">
                  {result.data.expungedNote}
                </span>
              ) : null}
            </>
          ) : (
            <span className="text-destructive">{windowError(result.error)}</span>
          )}
        </div>
        <ConfirmFooter verb={text.verb} count={count} pending={pending} onCancel={() => onOpenChange(false)} onConfirm={start} />
      </DialogContent>
    </Dialog>
  );
}
