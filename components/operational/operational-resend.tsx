"use client";

import { RotateCcw } from "lucide-react";
import { useRouter } from "next/navigation";
import { useTransition } from "react";
import { toast } from "sonner";
import { resendOperationalMessageAction } from "@/actions/operational-webhooks";
import { MANUAL_NOTE } from "@/components/recovery/resend-message";
import { Button } from "@/components/ui/button";
import { ConfirmAction } from "@/components/ui/confirm-action";

type Outcome = Extract<Awaited<ReturnType<typeof resendOperationalMessageAction>>, { ok: true }>["data"];

/** Resend of one operational event to its operator endpoint: once delivered, only after a yes. */
export function OperationalResend({ endpointId, messageId, delivered }: { endpointId: string; messageId: string; delivered: boolean }) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();

  function report({ succeeded, statusCode, error }: Outcome) {
    if (succeeded) toast.success(`Resent: the endpoint answered ${statusCode}.`);
    else toast.error(`The manual attempt failed: ${error}. ${MANUAL_NOTE}`);
    router.refresh();
  }

  const trigger = (
    <Button variant="outline" size="sm" disabled={pending}>
      <RotateCcw aria-hidden /> Resend
    </Button>
  );
  if (delivered) {
    return (
      <ConfirmAction
        trigger={trigger}
        title="Send this event again?"
        description={`It was already delivered to this endpoint. Resending makes the receiver see it twice (same webhook-id). ${MANUAL_NOTE}`}
        confirmLabel="Resend anyway"
        pendingLabel="Resending…"
        action={() => resendOperationalMessageAction({ endpointId, messageId, confirmDelivered: true })}
        onSuccess={report}
      />
    );
  }
  return (
    <Button
      variant="outline"
      size="sm"
      disabled={pending}
      onClick={() =>
        startTransition(async () => {
          const result = await resendOperationalMessageAction({ endpointId, messageId, confirmDelivered: false });
          if (!result.ok) return void toast.error(result.error);
          report(result.data);
        })
      }
    >
      <RotateCcw aria-hidden /> Resend
    </Button>
  );
}
