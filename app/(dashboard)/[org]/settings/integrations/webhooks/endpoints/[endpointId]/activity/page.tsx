import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { ActivityList } from "@/components/endpoints/activity-list";
import { requireMemberPage } from "@/lib/auth/session";
import { endpointActivity } from "@/lib/audit/queries";
import { endpointForPage } from "@/lib/endpoints/lookup";

export const metadata: Metadata = { title: "Endpoint activity · Webhooks" };

export default async function EndpointActivityPage({ params }: { params: Promise<{ org: string; endpointId: string }> }) {
  const { org, endpointId } = await params;
  const { organization } = await requireMemberPage(org, "VIEWER", { portal: true });
  const endpoint = await endpointForPage(organization.id, endpointId);
  if (!endpoint) notFound();
  return <ActivityList entries={await endpointActivity(organization.id, endpoint.id)} />;
}
