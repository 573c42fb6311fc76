"use client";

import { useState, useTransition } from "react";
import { toast } from "sonner";
import { setWebhooksEnabledAction } from "@/actions/webhooks";
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
import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Label } from "@/components/ui/label";
import { Switch } from "@/components/ui/switch";

export function WebhooksStatusCard({ org, enabled, canManage }: { org: string; enabled: boolean; canManage: boolean }) {
  const [current, setCurrent] = useState(enabled);
  const [confirming, setConfirming] = useState(false);
  const [pending, startTransition] = useTransition();

  function apply(next: boolean) {
    startTransition(async () => {
      const result = await setWebhooksEnabledAction({ org, enabled: next });
      if (result.ok) {
        setCurrent(result.data.enabled);
        toast.success(result.data.enabled ? "Webhooks enabled" : "Webhooks disabled");
      } else {
        toast.error(result.error);
      }
      setConfirming(false);
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
            : "Events are not recorded or delivered. Enable webhooks to start recording every event, even before you add an endpoint."}
        </CardDescription>
      </CardHeader>
      <CardContent>
        {canManage ? (
          <div className="flex items-center gap-3">
            <Switch
              id="webhooks-enabled"
              checked={current}
              disabled={pending}
              onCheckedChange={(next) => (next ? apply(true) : setConfirming(true))}
            />
            <Label htmlFor="webhooks-enabled">{current ? "Webhooks are on" : "Turn on webhooks"}</Label>
          </div>
        ) : (
          <p className="text-sm text-muted-foreground">Only owners and admins can turn webhooks on or off.</p>
        )}
      </CardContent>
      <AlertDialog open={confirming} onOpenChange={setConfirming}>
        <AlertDialogContent>
          <AlertDialogHeader>
            <AlertDialogTitle>Disable webhooks?</AlertDialogTitle>
            <AlertDialogDescription>
              New events will no longer be recorded or delivered to any endpoint of this organization until you enable
              webhooks again. Endpoints and their configuration are kept.
            </AlertDialogDescription>
          </AlertDialogHeader>
          <AlertDialogFooter>
            <AlertDialogCancel disabled={pending}>Cancel</AlertDialogCancel>
            <AlertDialogAction
              className="bg-destructive text-white hover:bg-destructive/90"
              disabled={pending}
              onClick={(e) => {
                e.preventDefault();
                apply(false);
              }}
            >
              Disable webhooks
            </AlertDialogAction>
          </AlertDialogFooter>
        </AlertDialogContent>
      </AlertDialog>
    </Card>
  );
}
