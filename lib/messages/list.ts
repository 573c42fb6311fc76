import { db } from "@/lib/db";
import { keysetClauses, toPage, type Page } from "@/lib/db/keyset";
import { Prisma } from "@/lib/generated/prisma/client";
import type { DeliveryCounts } from "@/lib/messages/summary";
import { keyPathDocuments, TIME_PRESETS, type MessageLogFilters } from "@/lib/validations/message-logs";

/**
 * The message logs: every message of an organization, newest first, including those no endpoint
 * received, each with its deliveries counted per state in the same statement. Every filter is a
 * condition on an index walked newest first (docs/benchmarks.md, "Message logs", has the plans),
 * so a page costs the same with ten thousand messages or ten million.
 */

export interface MessageLogRow {
  id: string;
  eventType: string;
  eventId: string | null;
  /** Sent from an endpoint's Testing tab. */
  test: boolean;
  createdAt: Date;
  /** When its content was expunged. */
  expungedAt: Date | null;
  /** Svix's `deliverAt`: when a scheduled message's deliveries are due. */
  deliverAt: Date | null;
  deliveries: DeliveryCounts;
}

/** The filters that select messages; pagination is separate so exports can walk every page. */
export type MessageSelection = Omit<MessageLogFilters, "limit" | "cursor">;

type RawRow = Omit<MessageLogRow, "deliveries"> & Omit<DeliveryCounts, "nextAttemptAt"> & { nextAttemptAt: Date | null };

const STATUS = { succeeded: "SUCCEEDED", failed: "FAILED", pending: "PENDING", sending: "SENDING" } as const;

/** The WHERE conditions after the organization's, for the alias `m`. */
export function selectionConditions(organizationId: string, filters: MessageSelection, now: Date): Prisma.Sql {
  const conditions: Prisma.Sql[] = [];
  const types = filters.eventType;
  // One type keeps the (organizationId, eventType, createdAt, id) index ordered; a list uses ANY.
  if (types.length === 1) conditions.push(Prisma.sql`m."eventType" = ${types[0]}`);
  else if (types.length > 1) conditions.push(Prisma.sql`m."eventType" = ANY (${types}::text[])`);
  const from = filters.since ? new Date(now.getTime() - TIME_PRESETS[filters.since]) : filters.from;
  if (from) conditions.push(Prisma.sql`m."createdAt" >= ${from}`);
  if (filters.to) conditions.push(Prisma.sql`m."createdAt" < ${filters.to}`);
  if (filters.id) conditions.push(Prisma.sql`(m.id = ${filters.id} OR m."eventId" = ${filters.id})`);
  if (filters.status === "none") {
    conditions.push(Prisma.sql`NOT EXISTS (SELECT 1 FROM "Delivery" d WHERE d."messageId" = m.id)`);
  } else if (filters.status) {
    // The organization condition lets the planner start from Delivery (organizationId, status,
    // createdAt) when the state is rare, instead of walking every message looking for one.
    conditions.push(
      Prisma.sql`EXISTS (SELECT 1 FROM "Delivery" d WHERE d."messageId" = m.id AND d."organizationId" = ${organizationId} AND d.status = ${STATUS[filters.status]}::"DeliveryStatus")`,
    );
  }
  if (filters.endpoint) conditions.push(Prisma.sql`EXISTS (SELECT 1 FROM "Delivery" d WHERE d."messageId" = m.id AND d."endpointId" = ${filters.endpoint})`);
  // Written exactly as the GIN index's expression, so the planner can use it. An expunged
  // message's body is Svix's `{"expired":true}`, not its payload: a payload search never finds it.
  if (filters.contains) conditions.push(Prisma.sql`(m.body::jsonb) @> ${JSON.stringify(filters.contains)}::jsonb AND m."expungedAt" IS NULL`);
  if (filters.path && filters.value !== undefined) {
    const alternatives = keyPathDocuments(filters.path, filters.value).map((doc) => Prisma.sql`(m.body::jsonb) @> ${JSON.stringify(doc)}::jsonb`);
    conditions.push(Prisma.sql`(${Prisma.join(alternatives, " OR ")}) AND m."expungedAt" IS NULL`);
  }
  return conditions.length ? Prisma.sql`AND ${Prisma.join(conditions, " AND ")}` : Prisma.empty;
}

/** A message's deliveries counted per state, for the alias `m` (one index probe on Delivery.messageId). */
const COUNTS = Prisma.sql`
       SELECT count(*)::int AS total,
              (count(*) FILTER (WHERE d.status = 'SUCCEEDED'))::int AS succeeded,
              (count(*) FILTER (WHERE d.status = 'FAILED'))::int AS failed,
              (count(*) FILTER (WHERE d.status = 'PENDING' AND d."attemptCount" = 0))::int AS queued,
              (count(*) FILTER (WHERE d.status = 'PENDING' AND d."attemptCount" > 0))::int AS retrying,
              (count(*) FILTER (WHERE d.status = 'SENDING'))::int AS sending,
              min(d."nextAttemptAt") FILTER (WHERE d.status = 'PENDING') AS "nextAttemptAt"
         FROM "Delivery" d
        WHERE d."messageId" = m.id`;

export async function listMessages(organizationId: string, filters: MessageLogFilters, now: Date = new Date()): Promise<Page<MessageLogRow>> {
  const { cursor, limit } = filters;
  const page = keysetClauses(Prisma.sql`m."createdAt"`, Prisma.sql`m.id`, cursor, limit);
  // The page is chosen first and only its rows have their deliveries counted.
  const rows = await db.$queryRaw<RawRow[]>`
    SELECT m.id, m."eventType", m."eventId", m.test, m."createdAt", m."expungedAt", m."deliverAt", s.*
      FROM (SELECT m.id, m."eventType", m."eventId", m.test, m."createdAt", m."expungedAt", m."deliverAt"
              FROM "Message" m
             WHERE m."organizationId" = ${organizationId} ${selectionConditions(organizationId, filters, now)} ${page.where}
             ${page.order} ${page.limit}) m
     CROSS JOIN LATERAL (${COUNTS}) s
     ${page.order}`;
  const items = rows.map(({ id, eventType, eventId, test, createdAt, expungedAt, deliverAt, ...counts }) => ({ id, eventType, eventId, test, createdAt, expungedAt, deliverAt, deliveries: counts }));
  return toPage(items, (r) => ({ at: r.createdAt, id: r.id }), cursor, limit);
}

/**
 * Fresh delivery counts for rows already on screen (pending and retrying rows refresh themselves
 * without reloading the page). Ids of other organizations are left out.
 */
export async function deliveryCountsOf(organizationId: string, messageIds: readonly string[]): Promise<Map<string, DeliveryCounts>> {
  if (messageIds.length === 0) return new Map();
  const rows = await db.$queryRaw<(DeliveryCounts & { id: string })[]>`
    SELECT m.id, s.*
      FROM "Message" m
     CROSS JOIN LATERAL (${COUNTS}) s
     WHERE m.id = ANY (${messageIds as string[]}::text[]) AND m."organizationId" = ${organizationId}`;
  return new Map(rows.map(({ id, ...counts }) => [id, counts]));
}
