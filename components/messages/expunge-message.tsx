"use client";

import { Eraser } from "lucide-react";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { toast } from "sonner";
import { expungeMessageAction } from "@/actions/messages";
import { Button } from "@/components/ui/button";
import { Checkbox } from "@/components/ui/checkbox";
import { ConfirmAction } from "@/components/ui/confirm-action";
import { Label } from "@/components/ui/label";

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/**
 * Expunge on the message detail (owners and admins of the organization; the server checks again):
 * the payload, and by default the receivers' answers to its attempts. Once the payload is gone it
 * offers the answers alone while any is left, then nothing.
 */
export function ExpungeMessageButton({
  org,
  messageId,
  expunged,
  storedResponses,
  pendingDeliveries,
}: {
  org: string;
  messageId: string;
  expunged: boolean;
  storedResponses: number;
  pendingDeliveries: number;
}) {
  const router = useRouter();
  const [responses, setResponses] = useState(true);
  if (expunged && storedResponses === 0) return null;
  const answers = plural(storedResponses, "attempt", "attempts");

  return (
    <ConfirmAction
      trigger={
        <Button variant="outline" size="sm" className="text-destructive hover:text-destructive" data-testid="expunge-message">
          <Eraser aria-hidden /> {expunged ? "Expunge responses…" : "Expunge content…"}
        </Button>
      }
      title={expunged ? "Expunge the receivers' answers?" : "Expunge this message's content?"}
      description={
        expunged ? (
          <span className="block">
            The response bodies and headers the receivers sent to its {answers} are overwritten in the database, here, in the exports and in the API. This
            cannot be undone.
          </span>
        ) : (
          <>
            <span className="block">
              The payload is overwritten in the database: it leaves this page, the exports, the API and payload search, and the message can no longer be resent
              or replayed.
              {pendingDeliveries > 0 ? ` Its ${plural(pendingDeliveries, "delivery", "deliveries")} still being retried stop.` : ""} This cannot be undone.
            </span>
            {storedResponses > 0 ? (
              <span className="mt-3 flex items-start gap-2 text-foreground">
                <Checkbox id="expunge-responses" checked={responses} onCheckedChange={(v) => setResponses(v === true)} className="mt-0.5" />
                <Label htmlFor="expunge-responses" className="leading-snug font-normal">
                  Also expunge the receivers&apos; answers (response bodies and headers) to its {answers}
                </Label>
              </span>
            ) : null}
          </>
        )
      }
      confirmLabel={expunged ? "Expunge responses" : "Expunge"}
      pendingLabel="Expunging…"
      variant="destructive"
      action={() => expungeMessageAction({ org, messageId, responses: expunged || responses })}
      onSuccess={() => {
        toast.success(expunged ? "Receivers' answers expunged" : "Message content expunged");
        router.refresh();
      }}
    />
  );
}
