import { db } from "@/lib/db";
import type { DeliveryStatus } from "@/lib/generated/prisma/client";

/**
 * How many of an endpoint's deliveries are in each state, over an optional window of their
 * creation time (Svix's endpoint stats). One GROUP BY on Delivery (endpointId, status, createdAt,
 * id): the endpoint's range of that index, nothing else read.
 */

export interface EndpointDeliveryCounts {
  success: number;
  pending: number;
  sending: number;
  fail: number;
  /** Svix's "canceled": deliveries we never cancel (a stopped endpoint ends them failed), so always 0. */
  canceled: number;
}

const FIELD: Record<DeliveryStatus, keyof EndpointDeliveryCounts> = { SUCCEEDED: "success", PENDING: "pending", SENDING: "sending", FAILED: "fail" };

/** `endpointId` must already be known to belong to the caller's organization. */
export async function endpointDeliveryCounts(endpointId: string, window: { since?: Date; until?: Date } = {}): Promise<EndpointDeliveryCounts> {
  const groups = await db.delivery.groupBy({
    by: ["status"],
    where: { endpointId, createdAt: { gte: window.since, lt: window.until } },
    _count: { _all: true },
  });
  const counts: EndpointDeliveryCounts = { success: 0, pending: 0, sending: 0, fail: 0, canceled: 0 };
  for (const group of groups) counts[FIELD[group.status]] = group._count._all;
  return counts;
}
