import { notFound } from "next/navigation";
import { requireMemberPage } from "@/lib/auth/session";
import { messageExists } from "@/lib/messages/detail";

/** The existence check sits outside the page's loading boundary, so an unknown id answers 404. */
export default async function MessageLayout({ children, params }: { children: React.ReactNode; params: Promise<{ org: string; messageId: string }> }) {
  const { org, messageId } = await params;
  const { organization } = await requireMemberPage(org, "VIEWER", { portal: true });
  if (!(await messageExists(organization.id, decodeURIComponent(messageId)))) notFound();
  return children;
}
