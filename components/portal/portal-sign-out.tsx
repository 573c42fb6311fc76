"use client";

import { LogOut } from "lucide-react";
import { portalSignOutAction } from "@/actions/portal";
import { Button } from "@/components/ui/button";
import { ConfirmAction } from "@/components/ui/confirm-action";

/**
 * Ends the portal session from inside the portal. The link ends with it (Svix's logout), so the
 * dialog says how to come back: a new link from the product that opened this one.
 */
export function PortalSignOut({ org }: { org: string }) {
  return (
    <ConfirmAction
      trigger={
        <Button variant="ghost" size="sm" data-testid="portal-sign-out">
          <LogOut aria-hidden /> Sign out
        </Button>
      }
      title="Sign out of the webhooks portal?"
      description="This link stops working, here and in any other tab. To come back, open the webhooks page again from the product that sent you here: it gives you a new link."
      confirmLabel="Sign out"
      pendingLabel="Signing out…"
      action={() => portalSignOutAction({ org })}
    />
  );
}
