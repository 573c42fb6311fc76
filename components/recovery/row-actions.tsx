"use client";

import { MoreHorizontal } from "lucide-react";
import { useState } from "react";
import { KIND_TEXT, RecoveryDialog } from "@/components/recovery/recovery-dialog";
import { useResendMessage } from "@/components/recovery/resend-message";
import { Button } from "@/components/ui/button";
import { DropdownMenu, DropdownMenuContent, DropdownMenuItem, DropdownMenuSeparator, DropdownMenuTrigger } from "@/components/ui/dropdown-menu";
import type { RecoveryKind } from "@/lib/validations/recovery";

/**
 * An Attempted messages row's actions (owners and admins): resend this message, or resend failed /
 * replay missing messages from this one on (the window starts at this message).
 */
export function AttemptRowActions({
  org,
  endpointId,
  messageId,
  status,
  createdAt,
  endpointDisabled,
}: {
  org: string;
  endpointId: string;
  messageId: string;
  status: string;
  createdAt: Date;
  endpointDisabled: boolean;
}) {
  const { pending, dialog, resend } = useResendMessage(org, endpointId);
  const [since, setSince] = useState<RecoveryKind | null>(null);
  const underway = status === "PENDING" || status === "SENDING";
  return (
    <>
      <DropdownMenu>
        <DropdownMenuTrigger asChild>
          <Button variant="ghost" size="icon" aria-label={`Actions for ${messageId}`} data-testid="attempt-row-actions" disabled={pending}>
            <MoreHorizontal aria-hidden />
          </Button>
        </DropdownMenuTrigger>
        <DropdownMenuContent align="end">
          <DropdownMenuItem disabled={endpointDisabled || underway} onSelect={() => resend(messageId, status === "SUCCEEDED")}>
            Resend this message{underway ? " (under way)" : ""}
          </DropdownMenuItem>
          <DropdownMenuSeparator />
          <DropdownMenuItem disabled={endpointDisabled} onSelect={() => setSince("resend_failed")}>
            {KIND_TEXT.resend_failed.title} since this one…
          </DropdownMenuItem>
          <DropdownMenuItem disabled={endpointDisabled} onSelect={() => setSince("replay_missing")}>
            {KIND_TEXT.replay_missing.title} since this one…
          </DropdownMenuItem>
          {endpointDisabled ? <p className="max-w-56 px-2 py-1.5 text-xs text-muted-foreground">Enable the endpoint first to recover its messages.</p> : null}
        </DropdownMenuContent>
      </DropdownMenu>
      {dialog}
      {since ? (
        <RecoveryDialog org={org} endpointId={endpointId} kind={since} open fixedSince={createdAt.toISOString()} onOpenChange={(open) => !open && setSince(null)} />
      ) : null}
    </>
  );
}
