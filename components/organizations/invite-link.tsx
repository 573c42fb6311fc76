"use client";

import { useBrowserOrigin } from "@/components/ui/browser-origin";
import { CopyField } from "@/components/ui/copy-field";
import { Time } from "@/components/ui/time";
import type { OwnerInvite } from "@/lib/organizations/wire";

/** An owner invite's link, shown once: only its hash is stored, so it cannot be shown again (invite again for a new one). */
export function InviteLink({ invite, organizationName, origin }: { invite: OwnerInvite; organizationName: string; origin: string }) {
  const url = useBrowserOrigin(origin) + invite.path;
  return (
    <div className="grid min-w-0 gap-2" data-testid="owner-invite">
      <p className="text-sm">
        Send this link to <span className="font-medium break-all">{invite.email}</span>: opening it makes them the owner of {organizationName}. It works
        once, until <Time value={invite.expiresAt} mode="absolute" />.
      </p>
      <CopyField value={url} label="Invite link" copiedMessage="Invite link copied" testId="owner-invite-link" />
      <p className="text-xs text-muted-foreground">This is the only time the link is shown. If it is lost, use “Invite owner” again: the new link replaces this one.</p>
    </div>
  );
}
