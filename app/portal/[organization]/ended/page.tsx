import type { Metadata } from "next";
import { PortalMessage } from "@/components/portal/portal-message";

export const metadata: Metadata = { title: "Portal link ended" };

/**
 * Where the webhook screens send a portal visitor whose link expired or was revoked meanwhile, and
 * where the portal's own "Sign out" lands (`?reason=signed-out`).
 */
export default async function PortalEndedPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const signedOut = (await searchParams).reason === "signed-out";
  return (
    <PortalMessage>
      <div role="alert" className="space-y-1">
        <p className="font-medium">{signedOut ? "You signed out of the webhooks portal" : "This portal link has expired or was revoked"}</p>
        <p className="text-sm text-muted-foreground">
          {signedOut ? "The link you used no longer works. " : ""}Open the webhooks page again from the product that sent you here to get a new link.
        </p>
      </div>
    </PortalMessage>
  );
}
