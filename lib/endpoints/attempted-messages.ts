import { db } from "@/lib/db";
import { keysetClauses, toPage, type Page } from "@/lib/db/keyset";
import { Prisma, type DeliveryStatus } from "@/lib/generated/prisma/client";
import type { AttemptedMessagesFilters } from "@/lib/validations/message-logs";

/**
 * An endpoint's Attempted messages tab: every message sent (or to be sent) to it, newest first,
 * with its delivery's latest state. Walks Delivery (endpointId[, status], createdAt, id).
 */

export interface AttemptedMessageRow {
  deliveryId: string;
  messageId: string;
  eventType: string;
  eventId: string | null;
  createdAt: Date;
  status: DeliveryStatus;
  attemptCount: number;
  lastAttemptAt: Date | null;
  nextAttemptAt: Date | null;
  failureReason: string | null;
}

const STATUS = { succeeded: "SUCCEEDED", failed: "FAILED", pending: "PENDING", sending: "SENDING" } as const;

export async function listAttemptedMessages(
  organizationId: string,
  endpointId: string,
  filters: AttemptedMessagesFilters,
): Promise<Page<AttemptedMessageRow>> {
  const { cursor, limit } = filters;
  const page = keysetClauses(Prisma.sql`d."createdAt"`, Prisma.sql`d.id`, cursor, limit);
  const status = filters.status ? Prisma.sql`AND d.status = ${STATUS[filters.status]}::"DeliveryStatus"` : Prisma.empty;
  const rows = await db.$queryRaw<AttemptedMessageRow[]>`
    SELECT d.id AS "deliveryId", d."messageId", m."eventType", m."eventId", d."createdAt", d.status, d."attemptCount",
           d."lastAttemptAt", d."nextAttemptAt", d."failureReason"
      FROM (SELECT * FROM "Delivery" d
             WHERE d."endpointId" = ${endpointId} AND d."organizationId" = ${organizationId} ${status} ${page.where}
             ${page.order} ${page.limit}) d
      JOIN "Message" m ON m.id = d."messageId"
     ${page.order}`;
  return toPage(rows, (r) => ({ at: r.createdAt, id: r.deliveryId }), cursor, limit);
}
