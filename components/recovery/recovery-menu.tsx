"use client";

import { ChevronDown } from "lucide-react";
import { useState } from "react";
import { KIND_TEXT, RecoveryDialog } from "@/components/recovery/recovery-dialog";
import { Button } from "@/components/ui/button";
import { DropdownMenu, DropdownMenuContent, DropdownMenuItem, DropdownMenuTrigger } from "@/components/ui/dropdown-menu";
import { RECOVERY_KINDS, type RecoveryKind } from "@/lib/validations/recovery";

/** The endpoint's Recover menu (owners and admins): resend failed or replay missing messages of a window. */
export function RecoveryMenu({ org, endpointId, disabled }: { org: string; endpointId: string; disabled: boolean }) {
  const [kind, setKind] = useState<RecoveryKind | null>(null);
  return (
    <>
      <DropdownMenu>
        <DropdownMenuTrigger asChild>
          <Button variant="outline" title={disabled ? "Enable the endpoint first to recover its messages" : undefined}>
            Recover <ChevronDown aria-hidden />
          </Button>
        </DropdownMenuTrigger>
        <DropdownMenuContent align="end">
          {RECOVERY_KINDS.map((k) => (
            <DropdownMenuItem key={k} disabled={disabled} onSelect={() => setKind(k)}>
              {KIND_TEXT[k].title}…
            </DropdownMenuItem>
          ))}
          {disabled ? <p className="max-w-56 px-2 py-1.5 text-xs text-muted-foreground">This endpoint is disabled: enable it first to recover its messages.</p> : null}
        </DropdownMenuContent>
      </DropdownMenu>
      {kind ? <RecoveryDialog org={org} endpointId={endpointId} kind={kind} open onOpenChange={(open) => !open && setKind(null)} /> : null}
    </>
  );
}
