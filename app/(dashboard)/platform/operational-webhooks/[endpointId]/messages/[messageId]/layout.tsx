import { notFound } from "next/navigation";
import { requireStaffPage } from "@/lib/auth/session";
import { operationalMessage } from "@/lib/operational/log";
import { operationalMessagePath } from "@/lib/routes";

/** An unknown operational event is a 404, answered outside the page's loading boundary. */
export default async function OperationalMessageLayout({ children, params }: { children: React.ReactNode; params: Promise<{ endpointId: string; messageId: string }> }) {
  const { endpointId, messageId } = await params;
  await requireStaffPage(operationalMessagePath(endpointId, messageId));
  if (!(await operationalMessage(endpointId, messageId))) notFound();
  return children;
}
