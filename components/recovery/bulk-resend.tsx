"use client";

import { useQuery } from "@tanstack/react-query";
import { useState, useTransition } from "react";
import { toast } from "sonner";
import { previewBulkResendAction, startBulkResendAction } from "@/actions/recovery";
import { ConfirmFooter } from "@/components/recovery/recovery-dialog";
import { MANUAL_NOTE } from "@/components/recovery/resend-message";
import { useRefreshTasks } from "@/components/recovery/use-tasks";
import { Button } from "@/components/ui/button";
import { Checkbox } from "@/components/ui/checkbox";
import { Dialog, DialogContent, DialogDescription, DialogHeader, DialogTitle } from "@/components/ui/dialog";
import { Label } from "@/components/ui/label";

/**
 * Resend every message the current message-log filter selects (all pages, not just the one shown),
 * to the filter's endpoint or to every enabled endpoint. Already delivered messages are included
 * only with an explicit tick.
 */
export function BulkResendButton({ org, filters, endpointLabel }: { org: string; filters: Record<string, string | string[]>; endpointLabel: string | null }) {
  const [open, setOpen] = useState(false);
  const [includeDelivered, setIncludeDelivered] = useState(false);
  const [at, setAt] = useState(0);
  const [pending, startTransition] = useTransition();
  const refresh = useRefreshTasks(org, null);
  const preview = useQuery({
    queryKey: ["bulk-resend-preview", org, filters, at],
    queryFn: () => previewBulkResendAction({ org, filters }),
    enabled: open,
    staleTime: Infinity,
  });
  const result = preview.data;
  const failedOnly = result?.ok ? result.data.count - result.data.delivered : 0;
  const count = result?.ok ? (includeDelivered ? result.data.count : failedOnly) : null;

  function start() {
    startTransition(async () => {
      const started = await startBulkResendAction({ org, filters, includeDelivered });
      if (!started.ok) return void toast.error(started.error);
      toast.success(`Bulk resend queued: ${count} message${count === 1 ? "" : "s"}`);
      setOpen(false);
      void refresh();
    });
  }

  return (
    <>
      <Button
        variant="outline"
        size="sm"
        onClick={() => {
          setIncludeDelivered(false);
          setAt(Date.now());
          setOpen(true);
        }}
        data-testid="bulk-resend"
      >
        Resend all matching…
      </Button>
      <Dialog open={open} onOpenChange={setOpen}>
        <DialogContent data-testid="bulk-resend-dialog">
          <DialogHeader>
            <DialogTitle>Resend the messages of this filter</DialogTitle>
            <DialogDescription>
              Every message the filter selects, on every page, is sent once more to {endpointLabel ? <span className="font-mono break-all">{endpointLabel}</span> : "each enabled endpoint that received it"}. {MANUAL_NOTE}
            </DialogDescription>
          </DialogHeader>
          <div className="space-y-3 rounded-md border bg-muted/40 p-3 text-sm" aria-live="polite" data-testid="recovery-count">
            {preview.isFetching || !result ? (
              "Counting messages…"
            ) : result.ok ? (
              <>
                <p>
                  <strong className="tabular-nums">{count}</strong> message{count === 1 ? "" : "s"} will be sent.
                </p>
                {result.data.delivered > 0 ? (
                  <div className="flex items-start gap-2">
                    <Checkbox id="bulk-include-delivered" checked={includeDelivered} onCheckedChange={(v) => setIncludeDelivered(v === true)} />
                    <Label htmlFor="bulk-include-delivered" className="leading-snug font-normal">
                      Also resend the {result.data.delivered} already delivered (their receivers see them twice)
                    </Label>
                  </div>
                ) : null}
                {result.data.retentionNote ? <p className="text-muted-foreground">{result.data.retentionNote}</p> : null}
                {result.data.expungedNote ? (
                  <p className="text-muted-foreground" data-testid="recovery-expunged-note">
                    {result.data.expungedNote}
                  </p>
                ) : null}
              </>
            ) : (
              <span className="text-destructive">{result.error}</span>
            )}
          </div>
          <ConfirmFooter verb="Resend" count={count} pending={pending} onCancel={() => setOpen(false)} onConfirm={start} />
        </DialogContent>
      </Dialog>
    </>
  );
}
