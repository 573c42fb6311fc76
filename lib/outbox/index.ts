import { executorConfig } from "@/inngest/executor/config";
import { eventsFromRowsSql, insertEventsSql, releaseExpiredIdsSql, sqlLiteral } from "@/inngest/executor/ingest";
import { deliveryRequested, deliveryRetryDue, endpointDeleted, endpointDisabled, recoveryRequested } from "@/inngest/events";
import { Prisma } from "@/lib/generated/prisma/client";
import type { DeliveryId, EndpointId, MessageId, OrganizationId, TaskId } from "@/lib/ids";

/**
 * The one door from the domain (`lib/`) to the durable engine: a transactional outbox. Domain
 * functions publish what happened *inside their own transaction*, so an event exists if and only
 * if the change that caused it committed: no caller can forget to publish, and no crash between
 * the commit and a send can lose one. How it reaches the engine depends on the mode:
 *
 * - embedded executor: the event is written straight into the executor's `executor_events` table
 *   (the executor's SQL, `inngest/executor/ingest.ts`), and its NOTIFY wakes the workers when the
 *   transaction commits. Nothing to relay.
 * - Inngest: the event is written to `OutboxEvent`; the relay (`lib/outbox/relay.ts`) sends it
 *   with `inngest.send()`, marks it sent, and retries with backoff while Inngest is unreachable.
 *
 * Nothing else in `lib/` imports `inngest/`.
 */

/** An event as stored: `id` is the publisher's own id, where a second publication must start nothing. */
export interface DomainEvent {
  name: string;
  data: Record<string, unknown>;
  id?: string;
}

const plain = (event: { name: string; data: unknown; id?: string }): DomainEvent => ({
  name: event.name,
  data: event.data as Record<string, unknown>,
  ...(event.id ? { id: event.id } : {}),
});

/** The domain's events. Ids are typed per kind, so an endpoint id cannot stand for a message id. */
export const events = {
  /** An endpoint was disabled or deleted: its pending delivery runs are cancelled. */
  endpointStopped(kind: "disabled" | "deleted", ref: { organizationId: OrganizationId; endpointId: EndpointId }): DomainEvent {
    return plain((kind === "disabled" ? endpointDisabled : endpointDeleted).create(ref));
  },
  /** One message is due for one endpoint: its first attempt is made (in a batch with others). */
  deliveryRequested(
    ref: { deliveryId: DeliveryId; organizationId: OrganizationId; endpointId: EndpointId; messageId: MessageId; trigger?: "SCHEDULED" | "TEST" },
    options: { id?: string } = {},
  ): DomainEvent {
    return plain(deliveryRequested.create(ref, options.id ? { id: options.id } : undefined));
  },
  /** A recovery task was recorded: its background function starts sending. */
  recoveryRequested(ref: { taskId: TaskId; organizationId: OrganizationId }): DomainEvent {
    return plain(recoveryRequested.create(ref));
  },
};

/** NOTIFY channel of the relay (Inngest mode): a commit that published wakes it at once. */
export const OUTBOX_CHANNEL = "hookrelay_outbox";

/** What `publish` needs of a transaction (or of the client, for a change that is one statement). */
export type PublishClient = Pick<Prisma.TransactionClient, "$executeRaw">;

const embedded = () => executorConfig().mode === "embedded";

/**
 * Publishes events as part of the caller's transaction: they reach the engine once it commits,
 * and never if it rolls back. An event with an `id` already published (within 24 hours, in
 * embedded mode) is dropped.
 */
export async function publish(tx: PublishClient, published: DomainEvent[], now: Date = new Date()): Promise<void> {
  if (published.length === 0) return;
  const senderIds = published.flatMap((e) => (e.id ? [e.id] : []));
  if (embedded()) {
    if (senderIds.length > 0) await tx.$executeRaw(releaseExpiredIdsSql(senderIds, now));
    await tx.$executeRaw(insertEventsSql(published.map((e) => ({ name: e.name, data: e.data, ts: now.getTime(), id: e.id })), now));
    return;
  }
  await tx.$executeRaw`
    WITH inserted AS (
      INSERT INTO "OutboxEvent" (id, name, data, ts, "createdAt", "nextAttemptAt")
      SELECT coalesce(id, gen_random_uuid()::text), name, data, ${now.getTime()}::bigint, ${now}::timestamptz, ${now}::timestamptz
        FROM unnest(${published.map((e) => e.id ?? null)}::text[], ${published.map((e) => e.name)}::text[], ${published.map((e) => JSON.stringify(e.data))}::jsonb[])
             WITH ORDINALITY AS t(id, name, data, n)
       ORDER BY n
      ON CONFLICT (id) DO NOTHING
    )
    SELECT pg_notify(${OUTBOX_CHANNEL}, '')`;
}

/**
 * Event data with the `traceparent` of the call that published it (text, or NULL for none): given
 * only by statements composed while tracing is on, so the untraced statement stays as it was.
 */
function withTraceparent(data: Prisma.Sql, traceparent: Prisma.Sql | undefined): Prisma.Sql {
  return traceparent ? Prisma.sql`jsonb_strip_nulls(${data} || jsonb_build_object('traceparent', ${traceparent}))` : data;
}

/**
 * For a statement that inserts rows and must publish one `delivery/requested` per row in the same
 * round trip (a message's fan-out, a replay): a CTE to add to the statement, over the CTE `source`
 * with the columns `id` (the delivery), `endpointId` and `messageId`, and a select-list expression
 * `wake` that notifies the engine's side once. The event data is `events.deliveryRequested`'s.
 * The references are SQL expressions (values or a prepared statement's parameters): the
 * organization's id as text, the publication time in ms (bigint) and as a timestamptz, and, when
 * tracing is on, the publishing call's `traceparent` (text or NULL).
 */
export function deliveriesRequestedFromRows(
  source: string,
  refs: { organizationId: Prisma.Sql; ts: Prisma.Sql; at: Prisma.Sql; traceparent?: Prisma.Sql },
): { cte: Prisma.Sql; wake: Prisma.Sql } {
  const data = withTraceparent(Prisma.sql`jsonb_build_object('deliveryId', s.id, 'organizationId', ${refs.organizationId}, 'endpointId', s."endpointId", 'messageId', s."messageId")`, refs.traceparent);
  const { ts, at } = refs;
  if (embedded()) return eventsFromRowsSql({ source, name: deliveryRequested.name, data, ts, receivedAt: at });
  return {
    cte: Prisma.sql`INSERT INTO "OutboxEvent" (id, name, data, ts, "createdAt", "nextAttemptAt")
          SELECT gen_random_uuid()::text, ${sqlLiteral(deliveryRequested.name)}, ${data}, ${ts}, ${at}, ${at} FROM ${Prisma.raw(source)} s`,
    wake: Prisma.sql`(SELECT true FROM pg_notify(${sqlLiteral(OUTBOX_CHANNEL)}, ''))`,
  };
}

/**
 * `deliveriesRequestedFromRows` for deliveries that wait (a message's `deliverAt`): one
 * `delivery/retry.due` per row, attempt 1 due at `dueAt` (an ISO 8601 text expression). The retry
 * function sleeps until then, durably (across restarts, cancelled with the endpoint), and makes the
 * first attempt; the batch of first attempts never sees these deliveries.
 */
export function deliveriesDueFromRows(
  source: string,
  refs: { organizationId: Prisma.Sql; ts: Prisma.Sql; at: Prisma.Sql; dueAt: Prisma.Sql; traceparent?: Prisma.Sql },
): { cte: Prisma.Sql; wake: Prisma.Sql } {
  const data = withTraceparent(
    Prisma.sql`jsonb_build_object('deliveryId', s.id, 'organizationId', ${refs.organizationId}, 'endpointId', s."endpointId", 'messageId', s."messageId", 'attempt', 1, 'at', ${refs.dueAt})`,
    refs.traceparent,
  );
  const { ts, at } = refs;
  if (embedded()) return eventsFromRowsSql({ source, name: deliveryRetryDue.name, data, ts, receivedAt: at });
  return {
    cte: Prisma.sql`INSERT INTO "OutboxEvent" (id, name, data, ts, "createdAt", "nextAttemptAt")
          SELECT gen_random_uuid()::text, ${sqlLiteral(deliveryRetryDue.name)}, ${data}, ${ts}, ${at}, ${at} FROM ${Prisma.raw(source)} s`,
    wake: Prisma.sql`(SELECT true FROM pg_notify(${sqlLiteral(OUTBOX_CHANNEL)}, ''))`,
  };
}
