import type { Metadata } from "next";
import { LiveRefresh } from "@/components/messages/live-refresh";
import { OperationalMessageView } from "@/components/operational/operational-message";
import { requireStaffPage } from "@/lib/auth/session";
import { operationalMessage, operatorEndpoint } from "@/lib/operational/log";
import { operationalMessagePath } from "@/lib/routes";

export const metadata: Metadata = { title: "Operational event · Operational webhooks" };

export default async function OperationalMessagePage({ params }: { params: Promise<{ endpointId: string; messageId: string }> }) {
  const { endpointId, messageId } = await params;
  await requireStaffPage(operationalMessagePath(endpointId, messageId));
  const [endpoint, message] = await Promise.all([operatorEndpoint(endpointId), operationalMessage(endpointId, messageId)]);
  if (!endpoint || !message) return null;
  const unfinished = message.deliveries.some((d) => d.status === "PENDING" || d.status === "SENDING");
  return (
    <div className="mx-auto max-w-4xl">
      <LiveRefresh active={unfinished} />
      <OperationalMessageView endpointId={endpoint.id} endpointUrl={endpoint.url} message={message} />
    </div>
  );
}
