import type { Metadata } from "next";
import { PortalEntry } from "@/components/portal/portal-entry";
import { PortalMessage } from "@/components/portal/portal-message";
import { portalSessionPath } from "@/lib/routes";

export const metadata: Metadata = { title: "Webhooks portal", referrer: "no-referrer" };

/** Where a portal link (`/portal/{organization}#key=<token>`) lands; public, and framed by the organization's own origins. */
export default async function PortalEntryPage({ params }: { params: Promise<{ organization: string }> }) {
  const { organization } = await params;
  return (
    <PortalMessage>
      <PortalEntry sessionPath={portalSessionPath(organization)} />
    </PortalMessage>
  );
}
