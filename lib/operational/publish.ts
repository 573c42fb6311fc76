import { recordOperationalEvents } from "@/lib/delivery/store/operational";
import type { Prisma } from "@/lib/generated/prisma/client";
import type { EndpointDisabledEventData, EndpointEventType, OperationalEvent } from "@/lib/operational/events";
import { isPlatformOrganization } from "@/lib/operational/platform";

/**
 * Publishes an endpoint's operational event in the transaction of the change that causes it
 * (lib/endpoints), so the event exists if and only if the change committed. The operator
 * endpoints' own changes publish nothing: operators watch their customers' webhooks, not theirs.
 */
export async function publishEndpointEvent(
  tx: Prisma.TransactionClient,
  organizationId: string,
  endpoint: { id: string; uid: string | null },
  event: { type: Exclude<EndpointEventType, "endpoint.disabled"> } | { type: "endpoint.disabled"; failSince: Date | null; trigger: EndpointDisabledEventData["trigger"] },
  now: Date = new Date(),
): Promise<void> {
  if (isPlatformOrganization(organizationId)) return;
  const organization = await tx.organization.findUnique({ where: { id: organizationId }, select: { slug: true } });
  if (!organization) return;
  const data = { appId: organizationId, appUid: organization.slug, endpointId: endpoint.id, endpointUid: endpoint.uid };
  const operational: OperationalEvent =
    event.type === "endpoint.disabled"
      ? { type: event.type, data: { ...data, failSince: event.failSince?.toISOString() ?? null, trigger: event.trigger } }
      : { type: event.type, data };
  await recordOperationalEvents(tx, [{ eventType: operational.type, body: JSON.stringify(operational) }], now);
}
