"use client";

import { useState, useTransition } from "react";
import { toast } from "sonner";
import { setWebhooksEnabledAction } from "@/actions/webhooks";
import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { ConfirmAction } from "@/components/ui/confirm-action";
import { Label } from "@/components/ui/label";
import { Switch } from "@/components/ui/switch";

/**
 * Whether the organization's webhooks are on, and the switch. A portal visitor sees the state
 * only: as in Svix's portal, switching an organization's webhooks is not the portal's to do
 * (the action refuses it too).
 */
export function WebhooksStatusCard({ org, enabled, canManage, portal }: { org: string; enabled: boolean; canManage: boolean; portal: boolean }) {
  const [current, setCurrent] = useState(enabled);
  const [confirming, setConfirming] = useState(false);
  const [pending, startTransition] = useTransition();

  function applied(data: { enabled: boolean }) {
    setCurrent(data.enabled);
    toast.success(data.enabled ? "Webhooks enabled" : "Webhooks disabled");
  }

  /** Turning webhooks on loses nothing, so it needs no confirmation. */
  function enable() {
    startTransition(async () => {
      const result = await setWebhooksEnabledAction({ org, enabled: true });
      if (result.ok) applied(result.data);
      else toast.error(result.error);
    });
  }

  return (
    <Card>
      <CardHeader>
        <div className="flex items-center gap-3">
          <CardTitle>Webhook delivery</CardTitle>
          <Badge data-testid="webhooks-status" variant={current ? "success" : "secondary"}>
            {current ? "Enabled" : "Disabled"}
          </Badge>
        </div>
        <CardDescription>
          {current
            ? "Every event of this organization is recorded in the message logs and delivered to subscribed endpoints."
            : portal
              ? "Events are not recorded or delivered at the moment."
              : "Events are not recorded or delivered. Enable webhooks to start recording every event, even before you add an endpoint."}
        </CardDescription>
      </CardHeader>
      {portal ? null : (
        <CardContent>
          {canManage ? (
            <div className="flex items-center gap-3">
              <Switch
                id="webhooks-enabled"
                checked={current}
                disabled={pending}
                onCheckedChange={(next) => (next ? enable() : setConfirming(true))}
              />
              <Label htmlFor="webhooks-enabled">{current ? "Webhooks are on" : "Turn on webhooks"}</Label>
            </div>
          ) : (
            <p className="text-sm text-muted-foreground">Only owners and admins can turn webhooks on or off.</p>
          )}
        </CardContent>
      )}
      <ConfirmAction
        open={confirming}
        onOpenChange={setConfirming}
        title="Disable webhooks?"
        description="New events will no longer be recorded or delivered to any endpoint of this organization until you enable webhooks again. Endpoints and their configuration are kept."
        confirmLabel="Disable webhooks"
        pendingLabel="Disabling…"
        variant="destructive"
        action={() => setWebhooksEnabledAction({ org, enabled: false })}
        onSuccess={applied}
      />
    </Card>
  );
}
