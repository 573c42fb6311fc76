"use client";

import { ExternalLink, Plus } from "lucide-react";
import { useState, useTransition } from "react";
import { toast } from "sonner";
import { createPortalLinkAction, revokePortalSessionsAction } from "@/actions/portal";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Checkbox } from "@/components/ui/checkbox";
import { ConfirmAction } from "@/components/ui/confirm-action";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { Time } from "@/components/ui/time";
import { CopyButton } from "@/components/ui/copy-button";

interface CreatedLink {
  url: string;
  expiresAt: string;
  readOnly: boolean;
}

/** Open links, a link to try the portal, and "revoke all". */
export function PortalLinksCard({ org, openLinks, canManage }: { org: string; openLinks: number; canManage: boolean }) {
  const [readOnly, setReadOnly] = useState(false);
  const [created, setCreated] = useState<CreatedLink | null>(null);
  const [pending, startTransition] = useTransition();

  function create() {
    startTransition(async () => {
      const result = await createPortalLinkAction({ org, readOnly });
      if (result.ok) setCreated(result.data);
      else toast.error(result.error);
    });
  }

  return (
    <Card>
      <CardHeader>
        <CardTitle>Open links</CardTitle>
        <CardDescription>
          <span data-testid="open-portal-links">{openLinks === 0 ? "No link is open." : openLinks === 1 ? "1 link is open." : `${openLinks} links are open.`}</span> Links last 7
          days unless the API call asks for less.
        </CardDescription>
      </CardHeader>
      <CardContent className="grid gap-6">
        {canManage ? (
          <div className="grid gap-3">
            <p className="text-sm font-medium">Try the portal</p>
            <div className="flex flex-wrap items-center gap-4">
              <div className="flex items-center gap-2">
                <Checkbox id="portal-read-only" checked={readOnly} onCheckedChange={(value) => setReadOnly(value === true)} />
                <Label htmlFor="portal-read-only" className="font-normal">
                  Read-only link
                </Label>
              </div>
              <Button type="button" variant="outline" size="sm" onClick={create} disabled={pending}>
                <Plus className="size-4" aria-hidden /> Create a link
              </Button>
            </div>
            {created ? (
              <div className="grid gap-2 rounded-md border p-3" data-testid="created-portal-link">
                <p className="text-sm">
                  {created.readOnly ? "Read-only link" : "Link"}, valid until <Time value={created.expiresAt} mode="absolute" />. Anyone with it can open these
                  webhook screens: share it like a password.
                </p>
                <div className="flex flex-col gap-2 sm:flex-row sm:items-center">
                  <Input readOnly value={created.url} aria-label="Portal link" className="font-mono text-xs" onFocus={(e) => e.currentTarget.select()} />
                  <div className="flex shrink-0 gap-2">
                    <CopyButton value={created.url} label="Copy link" />
                    <Button asChild variant="outline" size="sm">
                      <a href={created.url} target="_blank" rel="noreferrer">
                        <ExternalLink className="size-4" aria-hidden /> Open
                      </a>
                    </Button>
                  </div>
                </div>
              </div>
            ) : null}
          </div>
        ) : null}
        <div className="grid gap-2">
          <p className="text-sm font-medium">Revoke all portal sessions</p>
          <p className="text-sm text-muted-foreground">Every open link stops working at once, including pages already open with one. New links can be made afterwards.</p>
          {canManage ? (
            <div>
              <ConfirmAction
                trigger={
                  <Button variant="destructive" size="sm" disabled={pending}>
                    Revoke all portal sessions
                  </Button>
                }
                title="Revoke every portal link?"
                description="Anyone using a portal link to these webhook screens loses access on their next click. This cannot be undone; create new links afterwards."
                confirmLabel="Revoke all"
                pendingLabel="Revoking…"
                variant="destructive"
                action={() => revokePortalSessionsAction({ org })}
                onSuccess={(data) => {
                  setCreated(null);
                  toast.success(data.revoked === 1 ? "1 portal link revoked" : `${data.revoked} portal links revoked`);
                }}
              />
            </div>
          ) : (
            <p className="text-sm text-muted-foreground">Owners and admins can revoke links.</p>
          )}
        </div>
      </CardContent>
    </Card>
  );
}
