import type { Metadata } from "next";
import { headers } from "next/headers";
import { ReceiverView } from "@/components/test-receiver/receiver-view";
import { hasRole, MANAGE_ROLE } from "@/lib/auth/roles";
import { requireMemberPage } from "@/lib/auth/session";
import { env } from "@/lib/env";
import { requestOrigin } from "@/lib/http/public-origin";
import { endpointsThatDelivered } from "@/lib/messages/delivered-by";
import { listTestReceiverRequests, listReceivers, testReceiverPath } from "@/lib/test-receiver/receivers";

export const metadata: Metadata = { title: "Test receiver" };

export default async function TestReceiverPage({ params, searchParams }: { params: Promise<{ org: string }>; searchParams: Promise<{ r?: string }> }) {
  const { org } = await params;
  const { r } = await searchParams;
  const { organization, role } = await requireMemberPage(org, "VIEWER", { portal: true });
  const receivers = await listReceivers(organization.id);
  const selected = receivers.find((x) => x.token === r) ?? receivers[0];
  const requests = selected ? await listTestReceiverRequests(selected.id) : [];
  const base = requestOrigin(await headers(), env().PORT);
  const deliveredBy = selected
    ? await endpointsThatDelivered(organization.id, requests.flatMap((q) => (q.webhookId ? [q.webhookId] : [])), testReceiverPath(selected.token))
    : new Map();
  return (
    <ReceiverView
      org={organization.slug}
      canManage={hasRole(role, MANAGE_ROLE)}
      receivers={receivers.map((x) => ({ name: x.name, token: x.token, url: base + testReceiverPath(x.token) }))}
      selected={selected?.token ?? null}
      requests={requests.map((q) => ({
        id: q.id,
        receivedAt: q.receivedAt.toISOString(),
        webhookId: q.webhookId,
        eventType: q.eventType,
        headers: q.headers as Record<string, string>,
        body: q.body,
        bodyTruncated: q.bodyTruncated,
        signatureStatus: q.signatureStatus,
        signatureDetail: q.signatureDetail,
        deliveredBy: (q.webhookId && deliveredBy.get(q.webhookId)) || null,
      }))}
    />
  );
}
