import { db } from "@/lib/db";
import { keysetClauses, toPage, type Page } from "@/lib/db/keyset";
import { Prisma, type DeliveryStatus } from "@/lib/generated/prisma/client";
import type { AttemptedMessagesFilters } from "@/lib/validations/message-logs";

/**
 * An endpoint's Attempted messages tab: every message sent (or to be sent) to it, newest first,
 * with its delivery's latest state. Walks Delivery (endpointId[, status], createdAt, id). The API's
 * list of an endpoint's attempted messages (Svix's) adds event types, a time window and payloads.
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
  /** When the message was recorded (a replayed message's delivery is younger than its message). */
  messageCreatedAt: Date;
  /** The payload's JSON text, when asked for (`withContent`). */
  body?: string;
}

/** The API's filters beyond the tab's. */
export interface AttemptedMessagesOptions {
  eventTypes?: string[];
  /** Deliveries created at or after this time. */
  since?: Date;
  /** Deliveries created before this time. */
  until?: Date;
  withContent?: boolean;
}

const STATUS = { succeeded: "SUCCEEDED", failed: "FAILED", pending: "PENDING", sending: "SENDING" } as const;

export async function listAttemptedMessages(
  organizationId: string,
  endpointId: string,
  filters: AttemptedMessagesFilters,
  options: AttemptedMessagesOptions = {},
): Promise<Page<AttemptedMessageRow>> {
  const { cursor, limit } = filters;
  const page = keysetClauses(Prisma.sql`d."createdAt"`, Prisma.sql`d.id`, cursor, limit);
  const status = filters.status ? Prisma.sql`AND d.status = ${STATUS[filters.status]}::"DeliveryStatus"` : Prisma.empty;
  const types = options.eventTypes?.length
    ? Prisma.sql`AND EXISTS (SELECT 1 FROM "Message" t WHERE t.id = d."messageId" AND t."eventType" = ANY(${options.eventTypes}::text[]))`
    : Prisma.empty;
  const since = options.since ? Prisma.sql`AND d."createdAt" >= ${options.since}` : Prisma.empty;
  const until = options.until ? Prisma.sql`AND d."createdAt" < ${options.until}` : Prisma.empty;
  const body = options.withContent ? Prisma.sql`, m.body` : Prisma.empty;
  const rows = await db.$queryRaw<AttemptedMessageRow[]>`
    SELECT d.id AS "deliveryId", d."messageId", m."eventType", m."eventId", d."createdAt", d.status, d."attemptCount",
           d."lastAttemptAt", d."nextAttemptAt", d."failureReason", m."createdAt" AS "messageCreatedAt" ${body}
      FROM (SELECT * FROM "Delivery" d
             WHERE d."endpointId" = ${endpointId} AND d."organizationId" = ${organizationId} ${status} ${types} ${since} ${until} ${page.where}
             ${page.order} ${page.limit}) d
      JOIN "Message" m ON m.id = d."messageId"
     ${page.order}`;
  return toPage(rows, (r) => ({ at: r.createdAt, id: r.deliveryId }), cursor, limit);
}

/** What changes on a row while its delivery runs: the live updates of the tab re-read only this. */
export type AttemptedMessageState = Pick<AttemptedMessageRow, "status" | "attemptCount" | "lastAttemptAt" | "nextAttemptAt" | "failureReason">;

/** The current state of these deliveries of this endpoint; ids of other endpoints or organizations are left out. */
export async function attemptedMessageStates(organizationId: string, endpointId: string, deliveryIds: string[]): Promise<Map<string, AttemptedMessageState>> {
  if (deliveryIds.length === 0) return new Map();
  const rows = await db.delivery.findMany({
    where: { id: { in: deliveryIds }, endpointId, organizationId },
    select: { id: true, status: true, attemptCount: true, lastAttemptAt: true, nextAttemptAt: true, failureReason: true },
  });
  return new Map(rows.map(({ id, ...state }) => [id, state]));
}
