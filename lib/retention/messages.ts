import { db } from "@/lib/db";
import type { Prisma } from "@/lib/generated/prisma/client";

/**
 * Deletes up to `batchSize` messages created before `cutoff`, oldest first, with their deliveries
 * and attempts (foreign-key cascades, each served by an index on messageId / deliveryId). One
 * statement, so one short transaction; returns how many messages went.
 *
 * A message with a delivery still PENDING or SENDING is kept until that delivery ends: its
 * function would otherwise lose the row it is about to record an attempt on. A scheduled message
 * (`deliverAt`) counts its age from its `deliverAt`, when it was due to be sent. Rows locked by
 * anyone else (an attempt being recorded takes a key-share lock on its message) are skipped, not
 * waited for: the purge never makes a delivery wait, and the next batch or run takes them.
 */
export async function deleteMessagesBefore(cutoff: Date, batchSize: number, client: Pick<Prisma.TransactionClient, "$executeRaw"> = db): Promise<number> {
  // `id = ANY(ARRAY(...))` deletes by primary key (a join with the chosen ids would scan the whole
  // table), and OFFSET 0 keeps NOT EXISTS a per-row probe of the messageId index, so the scan walks
  // createdAt in order and stops at the limit. Plans: docs/retention.md.
  return client.$executeRaw`
    DELETE FROM "Message" WHERE id = ANY(ARRAY(
      SELECT m.id FROM "Message" m
       WHERE m."createdAt" < ${cutoff} AND (m."deliverAt" IS NULL OR m."deliverAt" < ${cutoff})
         AND NOT EXISTS (SELECT 1 FROM "Delivery" d WHERE d."messageId" = m.id AND d.status IN ('PENDING', 'SENDING') OFFSET 0)
       ORDER BY m."createdAt"
       LIMIT ${batchSize}
       FOR UPDATE SKIP LOCKED))`;
}
