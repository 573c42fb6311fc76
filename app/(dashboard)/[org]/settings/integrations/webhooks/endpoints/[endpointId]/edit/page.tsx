import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { EndpointForm } from "@/components/endpoints/endpoint-form";
import { MANAGE_ROLE } from "@/lib/auth/roles";
import { requireMemberPage } from "@/lib/auth/session";
import { endpointForPage } from "@/lib/endpoints/lookup";
import { pickableTypes } from "@/lib/endpoints/pickable-types";

export const metadata: Metadata = { title: "Edit endpoint · Webhooks" };

export default async function EditEndpointPage({ params }: { params: Promise<{ org: string; endpointId: string }> }) {
  const { org, endpointId } = await params;
  const { organization } = await requireMemberPage(org, MANAGE_ROLE, { portal: true });
  const endpoint = await endpointForPage(organization.id, endpointId);
  if (!endpoint) notFound();
  return (
    <EndpointForm
      org={org}
      mode={{ kind: "edit", endpointId: endpoint.id, originalUrl: endpoint.url }}
      types={await pickableTypes(endpoint.eventTypes)}
      initial={{
        url: endpoint.url,
        description: endpoint.description,
        eventTypes: endpoint.eventTypes,
        rateLimit: endpoint.rateLimit === null ? "" : String(endpoint.rateLimit),
        headers: endpoint.headers,
      }}
    />
  );
}
