import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { ActivityList } from "@/components/endpoints/activity-list";
import { requireMemberPage } from "@/lib/auth/session";
import { endpointActivity } from "@/lib/audit/queries";
import { endpointForPage } from "@/lib/endpoints/lookup";
import { maskAuditChanges } from "@/lib/headers-mask";

export const metadata: Metadata = { title: "Endpoint activity · Webhooks" };

export default async function EndpointActivityPage({ params }: { params: Promise<{ org: string; endpointId: string }> }) {
  const { org, endpointId } = await params;
  const { organization } = await requireMemberPage(org, "VIEWER", { portal: true });
  const endpoint = await endpointForPage(organization.id, endpointId);
  if (!endpoint) notFound();
  const entries = await endpointActivity(organization.id, endpoint.id);
  // Entries written before values were masked at write time must not show them either.
  return <ActivityList entries={entries.map((e) => ({ ...e, changes: maskAuditChanges(e.changes) }))} />;
}
