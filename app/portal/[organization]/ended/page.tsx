import type { Metadata } from "next";
import { PortalMessage } from "@/components/portal/portal-message";

export const metadata: Metadata = { title: "Portal link ended" };

/** Where the webhook screens send a portal visitor whose link expired or was revoked meanwhile. */
export default function PortalEndedPage() {
  return (
    <PortalMessage>
      <div role="alert" className="space-y-1">
        <p className="font-medium">This portal link has expired or was revoked</p>
        <p className="text-sm text-muted-foreground">Open the webhooks page again from the product that sent you here to get a new link.</p>
      </div>
    </PortalMessage>
  );
}
