import { z } from "zod";
import { db } from "@/lib/db";

export interface DeliveringEndpoint {
  endpointId: string;
  url: string;
  description: string;
}

/**
 * Which endpoint delivered each message to an address: the test receiver shows it beside every
 * request it got. Matched on the attempt's URL ending in `pathSuffix` (the receiver's path), as the
 * browser may reach the app under another host name than the endpoint was given.
 */
export async function endpointsThatDelivered(organizationId: string, messageIds: readonly string[], pathSuffix: string): Promise<Map<string, DeliveringEndpoint>> {
  if (messageIds.length === 0) return new Map();
  const attempts = await db.attempt.findMany({
    where: { messageId: { in: [...messageIds] }, url: { endsWith: pathSuffix }, delivery: { organizationId } },
    select: { messageId: true, delivery: { select: { endpoint: { select: { id: true, url: true, description: true } } } } },
    distinct: ["messageId"],
  });
  return new Map(attempts.map((a) => [a.messageId, { endpointId: a.delivery.endpoint.id, url: a.delivery.endpoint.url, description: a.delivery.endpoint.description }]));
}

const deliveryEventData = z.object({ organizationId: z.string().min(1), messageId: z.string().min(1) });

/** The message a job's event is about (a delivery run's `messageId` and organization), for a link from the Jobs page. */
export async function messageOfEvent(data: unknown): Promise<{ org: string; messageId: string } | null> {
  const parsed = deliveryEventData.safeParse(data);
  if (!parsed.success) return null;
  const organization = await db.organization.findUnique({ where: { id: parsed.data.organizationId }, select: { slug: true } });
  return organization ? { org: organization.slug, messageId: parsed.data.messageId } : null;
}
