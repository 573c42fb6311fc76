import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { MessageDetailView } from "@/components/messages/message-detail";
import { hasRole, MANAGE_ROLE } from "@/lib/auth/roles";
import { requireMemberPage } from "@/lib/auth/session";
import { getMessageDetail } from "@/lib/messages/detail";

export const metadata: Metadata = { title: "Message · Webhooks" };

export default async function MessagePage({ params }: { params: Promise<{ org: string; messageId: string }> }) {
  const { org, messageId } = await params;
  const { organization, role, portal } = await requireMemberPage(org, "VIEWER", { portal: true });
  const message = await getMessageDetail(organization.id, decodeURIComponent(messageId));
  // The layout answered 404 already; this covers a message deleted between the two reads.
  if (!message) notFound();
  const canManage = hasRole(role, MANAGE_ROLE);
  return <MessageDetailView org={org} message={message} canManage={canManage} canExpunge={canManage && !portal} />;
}
