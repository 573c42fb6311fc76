"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { toast } from "sonner";
import { resendMessageAction } from "@/actions/recovery";
import {
  AlertDialog,
  AlertDialogAction,
  AlertDialogCancel,
  AlertDialogContent,
  AlertDialogDescription,
  AlertDialogFooter,
  AlertDialogHeader,
  AlertDialogTitle,
} from "@/components/ui/alert-dialog";
import { Button } from "@/components/ui/button";

export const MANUAL_NOTE = "A manual attempt is sent once and is not retried if it fails.";

/**
 * Resend of one message to one endpoint: a message already delivered asks for an explicit yes
 * first. Returns the trigger to call and the confirmation dialog to render.
 */
export function useResendMessage(org: string, endpointId: string) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const [confirming, setConfirming] = useState<string | null>(null);

  function send(messageId: string, confirmDelivered: boolean) {
    startTransition(async () => {
      const result = await resendMessageAction({ org, endpointId, messageId, confirmDelivered });
      setConfirming(null);
      if (!result.ok) return void toast.error(result.error);
      const { ok, statusCode, error } = result.data;
      if (ok) toast.success(`Resent: the endpoint answered ${statusCode}.`);
      else toast.error(`The manual attempt failed: ${error}. ${MANUAL_NOTE}`);
      router.refresh();
    });
  }

  const dialog = (
    <AlertDialog open={confirming !== null} onOpenChange={(open) => !open && setConfirming(null)}>
      <AlertDialogContent>
        <AlertDialogHeader>
          <AlertDialogTitle>Send this message again?</AlertDialogTitle>
          <AlertDialogDescription>
            It was already delivered to this endpoint. Resending makes the receiver see it twice (same webhook-id). {MANUAL_NOTE}
          </AlertDialogDescription>
        </AlertDialogHeader>
        <AlertDialogFooter>
          <AlertDialogCancel disabled={pending}>Cancel</AlertDialogCancel>
          <AlertDialogAction
            disabled={pending}
            onClick={(e) => {
              e.preventDefault();
              if (confirming) send(confirming, true);
            }}
          >
            Resend anyway
          </AlertDialogAction>
        </AlertDialogFooter>
      </AlertDialogContent>
    </AlertDialog>
  );

  return {
    pending,
    dialog,
    resend(messageId: string, delivered: boolean) {
      if (delivered) setConfirming(messageId);
      else send(messageId, false);
    },
  };
}

/** The Resend button of a delivery on the message detail (owners and admins). */
export function ResendMessageButton({ org, endpointId, messageId, status }: { org: string; endpointId: string; messageId: string; status: string }) {
  const { pending, dialog, resend } = useResendMessage(org, endpointId);
  const underway = status === "PENDING" || status === "SENDING";
  return (
    <div className="flex flex-wrap items-center gap-2">
      <Button variant="outline" size="sm" disabled={pending || underway} onClick={() => resend(messageId, status === "SUCCEEDED")} data-testid="resend-message">
        {pending ? "Resending…" : "Resend"}
      </Button>
      <span className="text-xs text-muted-foreground">{underway ? "Resend once this delivery has ended." : MANUAL_NOTE}</span>
      {dialog}
    </div>
  );
}
