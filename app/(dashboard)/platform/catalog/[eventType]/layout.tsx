import { notFound } from "next/navigation";
import { requireStaffPage } from "@/lib/auth/session";
import { getEventType } from "@/lib/catalog/event-types";
import { platformCatalogPath } from "@/lib/routes";

/** The existence check sits outside the pages' loading boundaries, so an unknown type answers 404. */
export default async function EventTypeLayout({ children, params }: { children: React.ReactNode; params: Promise<{ eventType: string }> }) {
  await requireStaffPage(platformCatalogPath());
  if (!(await getEventType(decodeURIComponent((await params).eventType)))) notFound();
  return children;
}
