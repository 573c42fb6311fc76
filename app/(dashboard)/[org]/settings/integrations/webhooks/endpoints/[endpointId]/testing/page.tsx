import type { Metadata } from "next";
import { EndpointTester } from "@/components/endpoints/endpoint-tester";
import { hasRole, MANAGE_ROLE } from "@/lib/auth/roles";
import { requireMemberPage } from "@/lib/auth/session";
import { listEventTypeDetails } from "@/lib/catalog/event-types";
import { endpointForPage } from "@/lib/endpoints/lookup";

export const metadata: Metadata = { title: "Testing · Endpoint · Webhooks" };

export default async function EndpointTestingPage({ params }: { params: Promise<{ org: string; endpointId: string }> }) {
  const { org, endpointId } = await params;
  const { organization, role } = await requireMemberPage(org, "VIEWER", { portal: true });
  // The layout answers an unknown endpoint with a 404; under this page's loading boundary it could not.
  const [endpoint, catalog] = await Promise.all([endpointForPage(organization.id, endpointId), listEventTypeDetails()]);
  if (!endpoint) return null;
  const subscribed = new Set(endpoint.eventTypes);
  const types = catalog
    .map((t) => ({ name: t.name, subscribed: subscribed.has(t.name), deprecated: t.deprecated, example: t.examples[0]?.payload ?? {} }))
    .sort((a, b) => Number(b.subscribed) - Number(a.subscribed));
  const blocked = endpoint.disabled
    ? "This endpoint is disabled: enable it to send a test."
    : !organization.webhooksEnabled
      ? "Webhooks are disabled for this organization: enable them in Settings → Integrations → Webhooks to send a test."
      : null;
  return <EndpointTester org={org} endpointId={endpoint.id} types={types} canManage={hasRole(role, MANAGE_ROLE)} blocked={blocked} />;
}
