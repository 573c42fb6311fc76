"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { toast } from "sonner";
import { resendMessageAction } from "@/actions/recovery";
import { Button } from "@/components/ui/button";
import { ConfirmAction } from "@/components/ui/confirm-action";
import { Time } from "@/components/ui/time";

type ResendOutcome = Extract<Awaited<ReturnType<typeof resendMessageAction>>, { ok: true }>["data"];

export const MANUAL_NOTE = "A manual attempt is sent once and is not retried if it fails.";

/**
 * Resend of one message to one endpoint: a message already delivered asks for an explicit yes
 * first. Returns the trigger to call and the confirmation dialog to render.
 */
export function useResendMessage(org: string, endpointId: string) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const [confirming, setConfirming] = useState<string | null>(null);

  function report({ ok, statusCode, error }: ResendOutcome) {
    if (ok) toast.success(`Resent: the endpoint answered ${statusCode}.`);
    else toast.error(`The manual attempt failed: ${error}. ${MANUAL_NOTE}`);
    router.refresh();
  }

  function send(messageId: string) {
    startTransition(async () => {
      const result = await resendMessageAction({ org, endpointId, messageId, confirmDelivered: false });
      if (!result.ok) return void toast.error(result.error);
      report(result.data);
    });
  }

  const dialog = confirming ? (
    <ConfirmAction
      open
      onOpenChange={(open) => !open && setConfirming(null)}
      title="Send this message again?"
      description={`It was already delivered to this endpoint. Resending makes the receiver see it twice (same webhook-id). ${MANUAL_NOTE}`}
      confirmLabel="Resend anyway"
      pendingLabel="Resending…"
      action={() => resendMessageAction({ org, endpointId, messageId: confirming, confirmDelivered: true })}
      onSuccess={report}
    />
  ) : null;

  return {
    pending,
    dialog,
    resend(messageId: string, delivered: boolean) {
      if (delivered) setConfirming(messageId);
      else send(messageId);
    },
  };
}

/**
 * The Resend button of a delivery on the message detail (owners and admins). `notBefore`: the
 * message's `deliverAt` while it is ahead (a scheduled message is never sent before its time).
 */
export function ResendMessageButton({ org, endpointId, messageId, status, notBefore = null }: { org: string; endpointId: string; messageId: string; status: string; notBefore?: Date | null }) {
  const { pending, dialog, resend } = useResendMessage(org, endpointId);
  const underway = status === "PENDING" || status === "SENDING";
  const note = notBefore ? (
    underway ? (
      "Scheduled: it is sent at its time; resend once that delivery has ended."
    ) : (
      <>
        Scheduled: it can be resent from <Time value={notBefore} mode="absolute" /> on.
      </>
    )
  ) : underway ? (
    "Resend once this delivery has ended."
  ) : (
    MANUAL_NOTE
  );
  return (
    <div className="flex flex-wrap items-center gap-2">
      <Button variant="outline" size="sm" disabled={pending || underway || notBefore !== null} onClick={() => resend(messageId, status === "SUCCEEDED")} data-testid="resend-message">
        {pending ? "Resending…" : "Resend"}
      </Button>
      <span className="text-xs text-muted-foreground">{note}</span>
      {dialog}
    </div>
  );
}
