import { notFound } from "next/navigation";
import { requireMemberPage } from "@/lib/auth/session";
import { getEventType } from "@/lib/catalog/event-types";

/** The existence check sits outside the page's loading boundary, so an unknown type answers 404. */
export default async function EventTypeLayout({ children, params }: { children: React.ReactNode; params: Promise<{ org: string; eventType: string }> }) {
  const { org, eventType } = await params;
  await requireMemberPage(org, "VIEWER", { portal: true });
  if (!(await getEventType(decodeURIComponent(eventType)))) notFound();
  return children;
}
