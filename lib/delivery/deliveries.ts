import { db } from "@/lib/db";
import type { Prisma } from "@/lib/generated/prisma/client";

/** Reasons a delivery ends failed without exhausting its schedule. */
export const STOP_REASON = { disabled: "endpoint disabled", deleted: "endpoint deleted" } as const;

/**
 * Ends every unfinished delivery matching `where` as failed with `reason` (recoverable later by a
 * manual resend). Finished deliveries keep their outcome.
 */
export async function failDeliveries(
  where: { ids: string[] } | { endpointId: string },
  reason: string,
  client: Pick<Prisma.TransactionClient, "delivery"> = db,
): Promise<number> {
  const { count } = await client.delivery.updateMany({
    where: { ...("ids" in where ? { id: { in: where.ids } } : { endpointId: where.endpointId }), status: { in: ["PENDING", "SENDING"] } },
    data: { status: "FAILED", failureReason: reason, nextAttemptAt: null },
  });
  return count;
}
