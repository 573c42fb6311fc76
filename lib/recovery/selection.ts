import { db } from "@/lib/db";
import { Prisma } from "@/lib/generated/prisma/client";
import { selectionConditions, type MessageSelection } from "@/lib/messages/list";

/**
 * Which messages a recovery sends, as one query per kind: the confirmation dialog counts it and the
 * task snapshots exactly the same rows (oldest first) when it starts, so the count shown is the
 * number of sends. A message still scheduled (`deliverAt` ahead) is left out of every kind: it is
 * never sent before its time. Every query starts from an index: Delivery (endpointId, status, createdAt, id)
 * for resends, Message (organizationId, eventType, createdAt, id) for replays (docs/recovery.md
 * has the plans).
 */

export type RecoverySelection =
  /** Deliveries to the endpoint that ended failed, created in the window (a message's delivery is created with it). */
  | { kind: "RESEND_FAILED"; endpointId: string; since: Date; until: Date }
  /** Messages of the window the endpoint subscribes to now and never had a delivery for. */
  | { kind: "REPLAY_MISSING"; endpointId: string; eventTypes: string[]; since: Date; until: Date }
  /** Finished deliveries of the messages a message-log filter selects, to one endpoint or every enabled one. */
  | { kind: "BULK_RESEND"; endpointId: string | null; filter: MessageSelection; includeDelivered: boolean };

/** JSON form of a selection, as a task stores it in `params` (times as ISO text). */
export function storeSelection(selection: RecoverySelection) {
  return JSON.parse(JSON.stringify(selection)) as Record<string, unknown>;
}

/** The stored form back: dates revived (the filter's `from`/`to` too). */
export function loadSelection(params: unknown): RecoverySelection {
  const raw = params as Record<string, unknown>;
  const date = (v: unknown) => new Date(v as string);
  if (raw.kind === "BULK_RESEND") {
    const filter = raw.filter as Record<string, unknown>;
    return {
      kind: "BULK_RESEND",
      endpointId: (raw.endpointId as string | null) ?? null,
      includeDelivered: raw.includeDelivered === true,
      filter: { ...(filter as MessageSelection), from: filter.from ? date(filter.from) : undefined, to: filter.to ? date(filter.to) : undefined },
    };
  }
  const base = { endpointId: raw.endpointId as string, since: date(raw.since), until: date(raw.until) };
  return raw.kind === "REPLAY_MISSING" ? { kind: "REPLAY_MISSING", eventTypes: raw.eventTypes as string[], ...base } : { kind: "RESEND_FAILED", ...base };
}

/**
 * Messages whose content was expunged cannot be sent: a selection leaves them out (`kept`), and
 * the preview counts them apart (`expunged`) to say so.
 */
type Content = "kept" | "expunged";

const contentIs = (content: Content, expungedAt: Prisma.Sql) => (content === "kept" ? Prisma.sql`${expungedAt} IS NULL` : Prisma.sql`${expungedAt} IS NOT NULL`);

/** Whether the message `m` is still scheduled: its `deliverAt` is ahead of the database's clock. */
const SCHEDULED = Prisma.sql`coalesce(m."deliverAt" > now() AT TIME ZONE 'UTC', false)`;

/** Rows `(messageId, endpointId, deliveryId, at, tie)`, `at, tie` being the order a task walks. */
function selectionRows(organizationId: string, selection: RecoverySelection, content: Content = "kept"): Prisma.Sql {
  const expungedAt = Prisma.sql`m."expungedAt"`;
  switch (selection.kind) {
    case "RESEND_FAILED":
      return Prisma.sql`
        SELECT d."messageId", d."endpointId", d.id AS "deliveryId", d."createdAt" AS at, d.id AS tie
          FROM "Delivery" d
         WHERE d."endpointId" = ${selection.endpointId} AND d."organizationId" = ${organizationId} AND d.status = 'FAILED'
           AND d."createdAt" >= ${selection.since} AND d."createdAt" < ${selection.until}
           AND EXISTS (SELECT 1 FROM "Message" m WHERE m.id = d."messageId" AND ${contentIs(content, expungedAt)} AND NOT ${SCHEDULED})`;
    case "REPLAY_MISSING":
      if (selection.eventTypes.length === 0) return Prisma.sql`SELECT NULL::text AS "messageId", NULL::text AS "endpointId", NULL::text AS "deliveryId", NULL::timestamp AS at, NULL::text AS tie WHERE false`;
      return Prisma.sql`
        SELECT m.id AS "messageId", ${selection.endpointId}::text AS "endpointId", NULL::text AS "deliveryId", m."createdAt" AS at, m.id AS tie
          FROM "Message" m
         WHERE m."organizationId" = ${organizationId} AND m."eventType" = ANY (${selection.eventTypes}::text[]) AND NOT m.test
           AND m."createdAt" >= ${selection.since} AND m."createdAt" < ${selection.until} AND ${contentIs(content, expungedAt)} AND NOT ${SCHEDULED}
           AND NOT EXISTS (SELECT 1 FROM "Delivery" d WHERE d."messageId" = m.id AND d."endpointId" = ${selection.endpointId})`;
    case "BULK_RESEND": {
      const filter = selection.filter;
      const statuses = filter.status === "succeeded" ? ["SUCCEEDED"] : filter.status === "failed" || !selection.includeDelivered ? ["FAILED"] : ["FAILED", "SUCCEEDED"];
      const impossible = filter.status === "pending" || filter.status === "sending" || filter.status === "none" || (filter.status === "succeeded" && !selection.includeDelivered);
      // The filter's own status condition is replaced by the delivery's (it would ask for another delivery of the message).
      const conditions = selectionConditions(organizationId, { ...filter, status: undefined, endpoint: undefined }, new Date());
      const endpoint = selection.endpointId ? Prisma.sql`AND d."endpointId" = ${selection.endpointId}` : Prisma.empty;
      // A delivery is never created before its message (with it at ingestion, later by a replay):
      // the window's start bounds the deliveries too, so the Delivery (endpointId, status,
      // createdAt) index reads only the window instead of every failed delivery of the history.
      const deliveredFrom = filter.from ? Prisma.sql`AND d."createdAt" >= ${filter.from}` : Prisma.empty;
      return Prisma.sql`
        SELECT d."messageId", d."endpointId", d.id AS "deliveryId", m."createdAt" AS at, d.id AS tie
          FROM "Message" m
          JOIN "Delivery" d ON d."messageId" = m.id
          JOIN "Endpoint" e ON e.id = d."endpointId" AND NOT e.disabled AND e."deletedAt" IS NULL
         WHERE m."organizationId" = ${organizationId} ${conditions} ${endpoint} ${deliveredFrom}
           AND d.status = ANY (${statuses}::"DeliveryStatus"[]) AND NOT ${SCHEDULED} AND ${!impossible} AND ${contentIs(content, expungedAt)}`;
    }
  }
}

/** How many messages the selection sends now: the number the confirmation dialog shows. */
export async function countSelection(organizationId: string, selection: RecoverySelection): Promise<number> {
  const [row] = await db.$queryRaw<{ count: number }[]>`SELECT count(*)::int AS count FROM (${selectionRows(organizationId, selection)}) s`;
  return row?.count ?? 0;
}

/** How many messages the selection would have sent but for their expunged content (the preview says so). */
export async function countExpunged(organizationId: string, selection: RecoverySelection): Promise<number> {
  const [row] = await db.$queryRaw<{ count: number }[]>`SELECT count(*)::int AS count FROM (${selectionRows(organizationId, selection, "expunged")}) s`;
  return row?.count ?? 0;
}

/** A bulk resend's preview also says how many of those messages were already delivered (they need an explicit yes). */
export async function countDelivered(organizationId: string, selection: Extract<RecoverySelection, { kind: "BULK_RESEND" }>): Promise<number> {
  if (selection.filter.status === "failed") return 0;
  const rows = selectionRows(organizationId, { ...selection, includeDelivered: true });
  const [row] = await db.$queryRaw<{ count: number }[]>`
    SELECT count(*)::int AS count FROM (${rows}) s JOIN "Delivery" d ON d.id = s."deliveryId" WHERE d.status = 'SUCCEEDED'`;
  return row?.count ?? 0;
}

/**
 * Writes the task's items, oldest message first, from the selection as it is now, in one statement;
 * a re-run after a crash finds them written and adds nothing. Returns how many items the task has.
 */
export async function snapshotSelection(taskId: string, organizationId: string, selection: RecoverySelection): Promise<number> {
  await db.$executeRaw`
    INSERT INTO "BackgroundTaskItem" ("taskId", seq, "messageId", "endpointId", "deliveryId")
    SELECT ${taskId}, row_number() OVER (ORDER BY s.at, s.tie), s."messageId", s."endpointId", s."deliveryId"
      FROM (${selectionRows(organizationId, selection)}) s
     WHERE NOT EXISTS (SELECT 1 FROM "BackgroundTaskItem" i WHERE i."taskId" = ${taskId})`;
  return db.backgroundTaskItem.count({ where: { taskId } });
}
