import { db } from "@/lib/db";
import type { Prisma } from "@/lib/generated/prisma/client";

/**
 * Events the relay handed to Inngest (Inngest mode) are history: deleted with the executor's,
 * oldest first, one short statement per batch. An event not sent yet is never deleted.
 */
export async function deleteSentEventsBefore(cutoff: Date, batchSize: number, client: Pick<Prisma.TransactionClient, "$executeRaw"> = db): Promise<number> {
  return client.$executeRaw`
    DELETE FROM "OutboxEvent" WHERE id = ANY(ARRAY(
      SELECT id FROM "OutboxEvent"
       WHERE "createdAt" < ${cutoff} AND "sentAt" IS NOT NULL
       ORDER BY "createdAt"
       LIMIT ${batchSize}
       FOR UPDATE SKIP LOCKED))`;
}
