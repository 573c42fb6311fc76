"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useTransition } from "react";
import { toast } from "sonner";
import { deleteEndpointAction, setEndpointDisabledAction } from "@/actions/endpoints";
import { Button } from "@/components/ui/button";
import { ConfirmAction } from "@/components/ui/confirm-action";
import { editEndpointPath, webhooksPath } from "@/lib/routes";

/** Edit, disable/enable and delete: rendered only for owners and admins (the server checks again). */
export function EndpointControls({ org, endpointId, url, disabled }: { org: string; endpointId: string; url: string; disabled: boolean }) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();

  function toggle() {
    startTransition(async () => {
      const result = await setEndpointDisabledAction({ org, endpointId, disabled: !disabled });
      if (!result.ok) return void toast.error(result.error);
      toast.success(result.data.disabled ? "Endpoint disabled: pending deliveries are cancelled" : "Endpoint enabled");
      router.refresh();
    });
  }

  return (
    <div className="flex flex-wrap gap-2">
      <Button asChild variant="outline">
        <Link href={editEndpointPath(org, endpointId)}>Edit</Link>
      </Button>
      <Button variant="outline" disabled={pending} onClick={toggle}>
        {disabled ? "Enable endpoint" : "Disable endpoint"}
      </Button>
      <ConfirmAction
        trigger={
          <Button variant="destructive" disabled={pending}>
            Delete
          </Button>
        }
        title="Delete this endpoint?"
        description={
          <>
            <span className="block font-mono break-all text-foreground" data-testid="delete-endpoint-name">
              {url}
            </span>
            <span className="mt-2 block">
              It stops receiving events at once and every pending delivery attempt to it is cancelled. Its past attempts stay in the message logs. This
              cannot be undone.
            </span>
          </>
        }
        confirmLabel="Delete endpoint"
        pendingLabel="Deleting…"
        variant="destructive"
        action={() => deleteEndpointAction({ org, endpointId })}
        onSuccess={() => {
          toast.success("Endpoint deleted");
          router.push(webhooksPath(org));
        }}
      />
    </div>
  );
}
