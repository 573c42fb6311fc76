"use client";

import { useRouter } from "next/navigation";
import { useTransition } from "react";
import { toast } from "sonner";
import { deleteOperatorEndpointAction, setOperatorEndpointDisabledAction } from "@/actions/operational-webhooks";
import { OperatorEndpointDialog, type OperatorEndpointValues } from "@/components/operational/operator-endpoint-dialog";
import { Button } from "@/components/ui/button";
import { ConfirmAction } from "@/components/ui/confirm-action";
import { operationalWebhooksPath } from "@/lib/routes";

/** Edit, disable/enable and delete an operator endpoint (staff; the server checks again). */
export function OperatorEndpointControls({ endpointId, disabled, values }: { endpointId: string; disabled: boolean; values: OperatorEndpointValues }) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();

  function toggle() {
    startTransition(async () => {
      const result = await setOperatorEndpointDisabledAction({ endpointId, disabled: !disabled });
      if (!result.ok) return void toast.error(result.error);
      toast.success(result.data.disabled ? "Operator endpoint disabled: pending deliveries are cancelled" : "Operator endpoint enabled");
      router.refresh();
    });
  }

  return (
    <div className="flex flex-wrap gap-2">
      <OperatorEndpointDialog endpointId={endpointId} initial={values} />
      <Button variant="outline" disabled={pending} onClick={toggle}>
        {disabled ? "Enable endpoint" : "Disable endpoint"}
      </Button>
      <ConfirmAction
        trigger={
          <Button variant="destructive" disabled={pending}>
            Delete
          </Button>
        }
        title="Delete this operator endpoint?"
        description={
          <>
            <span className="block font-mono break-all text-foreground" data-testid="delete-operator-endpoint-url">
              {values.url}
            </span>
            <span className="mt-2 block">It receives no more operational events and its pending deliveries are cancelled. This cannot be undone.</span>
          </>
        }
        confirmLabel="Delete endpoint"
        pendingLabel="Deleting…"
        variant="destructive"
        action={() => deleteOperatorEndpointAction({ endpointId })}
        onSuccess={() => {
          toast.success("Operator endpoint deleted");
          router.push(operationalWebhooksPath());
        }}
      />
    </div>
  );
}
