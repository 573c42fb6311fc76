import { Prisma } from "@/lib/generated/prisma/client";
import { ids, NEW_ID_SQL, type DeliveryId, type MessageId } from "@/lib/ids";
import type { AttemptEventType, OperationalEventType } from "@/lib/operational/events";
import { PLATFORM_ORGANIZATION_ID } from "@/lib/operational/platform";
import { deliveriesRequestedFromRows } from "@/lib/outbox";

/**
 * Operational events (lib/operational) become messages of the platform organization, delivered
 * to its endpoints (the operator endpoints) by the same engine as every message: a delivery per
 * enabled operator endpoint subscribed to the type (one with no types takes every type) and its
 * `delivery/requested`, in the statement of the change that caused the event. An event no
 * operator endpoint subscribes to is not stored at all.
 */

const PLATFORM = Prisma.sql`${PLATFORM_ORGANIZATION_ID}::text`;

/**
 * The CTEs, over the CTE `source` with the columns id (a new message id), "eventType" and body
 * (the JSON text to sign and send). `wake` goes in the statement's select list: it notifies the
 * engine once, when the statement returns a row.
 */
function operationalCtes(source: string, now: Date): { ctes: Prisma.Sql; wake: Prisma.Sql } {
  const at = now.toISOString();
  const published = deliveriesRequestedFromRows("op_deliveries", {
    organizationId: PLATFORM,
    ts: Prisma.sql`${now.getTime()}::bigint`,
    at: Prisma.sql`(${at}::timestamp AT TIME ZONE 'UTC')`,
  });
  const src = Prisma.raw(source);
  return {
    ctes: Prisma.sql`
    op_targets AS (
      SELECT s.id AS "messageId", e.id AS "endpointId"
        FROM ${src} s JOIN "Endpoint" e
          ON e."organizationId" = ${PLATFORM} AND NOT e.disabled AND e."deletedAt" IS NULL
         AND (cardinality(e."eventTypes") = 0 OR s."eventType" = ANY (e."eventTypes"))
    ),
    op_messages AS (
      INSERT INTO "Message" (id, "organizationId", "eventType", body, "createdAt")
      SELECT s.id, ${PLATFORM}, s."eventType", s.body, ${at}::timestamp FROM ${src} s WHERE s.id IN (SELECT "messageId" FROM op_targets)
    ),
    op_deliveries AS (
      INSERT INTO "Delivery" (id, "organizationId", "messageId", "endpointId", status, "attemptCount", "nextAttemptAt", "createdAt", "updatedAt")
      SELECT ${Prisma.raw(NEW_ID_SQL.delivery)}, ${PLATFORM}, t."messageId", t."endpointId", 'PENDING', 0, ${at}::timestamp, ${at}::timestamp, ${at}::timestamp
        FROM op_targets t
      RETURNING id, "endpointId", "messageId"
    ),
    op_events AS (${published.cte})`,
    wake: published.wake,
  };
}

export interface OperationalMessage {
  eventType: OperationalEventType;
  /** `{ "type": ..., "data": ... }` as JSON text, exactly as it is signed and sent. */
  body: string;
}

/** Records operational events in the caller's transaction (an endpoint's change and its event commit together). */
export async function recordOperationalEvents(tx: Pick<Prisma.TransactionClient, "$queryRaw">, events: OperationalMessage[], now: Date = new Date()): Promise<void> {
  if (events.length === 0) return;
  const { ctes, wake } = operationalCtes("op_source", now);
  await tx.$queryRaw`
    WITH op_source AS (
      SELECT * FROM unnest(${events.map(() => ids.message.generate())}::text[], ${events.map((e) => e.eventType)}::text[], ${events.map((e) => e.body)}::text[])
          AS t(id, "eventType", body)
    ),
    ${ctes}
    SELECT ${wake} AS woke FROM op_deliveries LIMIT 1`;
}

/** A recorded scheduled attempt that causes an operational event (lib/operational/events.ts, `attemptEventOf`). */
export interface AttemptEvent {
  deliveryId: DeliveryId;
  type: AttemptEventType;
}

/**
 * For the statement that records scheduled attempts (`recordScheduledAttempts`): CTEs, after its
 * `input` and `recorded` (the attempts inserted: id, "deliveryId"), that build Svix's
 * `MessageAttemptEvent` payload of each event in SQL, from the message, its organization and the
 * attempt just recorded (an attempt recorded earlier, by a run before a crash, causes nothing
 * twice), and record them. Deliveries of the platform organization itself cause none, so an
 * operator endpoint's failures never feed back into its own events.
 */
export function attemptEventCtes(events: AttemptEvent[], now: Date): { ctes: Prisma.Sql; wake: Prisma.Sql } {
  const messageIds: MessageId[] = events.map(() => ids.message.generate());
  const { ctes, wake } = operationalCtes("op_source", now);
  return {
    ctes: Prisma.sql`
    op_input AS (
      SELECT * FROM unnest(${events.map((e) => e.deliveryId)}::text[], ${events.map((e) => e.type)}::text[], ${messageIds}::text[]) AS t("deliveryId", "eventType", id)
    ),
    op_source AS (
      SELECT o.id, o."eventType",
             json_build_object('type', o."eventType", 'data', json_build_object(
               'appId', org.id, 'appUid', org.slug, 'msgId', m.id, 'msgEventId', m."eventId", 'endpointId', i."endpointId",
               'lastAttempt', json_build_object('id', a.id, 'responseStatusCode', coalesce(i."statusCode", 0),
                                                'timestamp', to_char(i."startedAt", 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))))::text AS body
        FROM op_input o
        JOIN input i ON i."deliveryId" = o."deliveryId"
        JOIN recorded a ON a."deliveryId" = o."deliveryId"
        JOIN "Message" m ON m.id = i."messageId"
        JOIN "Organization" org ON org.id = m."organizationId"
       WHERE m."organizationId" <> ${PLATFORM}
    ),
    ${ctes}`,
    wake,
  };
}
