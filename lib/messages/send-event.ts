import { formatPayloadErrors, validatePayload, type PayloadError } from "@/lib/catalog/ajv";
import { cachedEventType } from "@/lib/messages/event-type-cache";
import { db } from "@/lib/db";
import { sqlPool } from "@/lib/db/pool";
import { deliveryRequestedSql, publishDeliveriesRequested } from "@/lib/domain-events";
import { publicId } from "@/lib/ids";
import { failDeliveries } from "@/lib/delivery/deliveries";
import { validatorFor } from "@/lib/messages/payload-validator";
import type { Prisma } from "@/lib/generated/prisma/client";
import { IDEMPOTENCY_WINDOW_MS, type SendEventInput } from "@/lib/validations/message";

export interface MessageView {
  id: string;
  eventType: string;
  payload: Record<string, unknown>;
  eventId: string | null;
  timestamp: string;
}

export type SendEventFailure =
  | { ok: false; code: "webhooks_disabled" | "unknown_event_type" | "archived_event_type"; message: string }
  | { ok: false; code: "invalid_payload"; message: string; details: PayloadError[] };

export type SendEventResult =
  | {
      ok: true;
      message: MessageView;
      created: boolean;
      deliveries: number;
      /** Why the deliveries could not be scheduled (they were ended FAILED with it), or null. */
      notScheduled: string | null;
    }
  | SendEventFailure;

function toView(row: MessageRow): MessageView {
  return {
    id: row.id,
    eventType: row.eventType,
    payload: JSON.parse(row.body) as Record<string, unknown>,
    eventId: row.eventId,
    timestamp: row.createdAt.toISOString(),
  };
}

/**
 * Records an event of an organization and fans it out: one delivery per enabled endpoint whose
 * filter has the event type, each driven by its own Inngest run. With webhooks disabled nothing is
 * stored. The same `eventId` within 24 hours returns the original message.
 */
export async function sendEvent(
  organization: { id: string; webhooksEnabled: boolean },
  input: SendEventInput,
  now: Date = new Date(),
): Promise<SendEventResult> {
  if (!organization.webhooksEnabled) {
    return { ok: false, code: "webhooks_disabled", message: "Webhooks are disabled for this organization: the event was not recorded. Enable them in Settings → Integrations → Webhooks." };
  }
  const type = await cachedEventType(input.eventType);
  if (!type) return { ok: false, code: "unknown_event_type", message: `Unknown event type "${input.eventType}". See the event catalog for the available types.` };
  if (type.archived) return { ok: false, code: "archived_event_type", message: `Event type "${input.eventType}" is archived and no longer accepts events.` };
  const validate = validatorFor(type);
  if ("error" in validate) throw new Error(`Schema of ${type.name} does not compile: ${validate.error}`);
  const errors = validatePayload(validate, input.payload);
  if (errors.length > 0) {
    return { ok: false, code: "invalid_payload", message: `The payload does not match the schema of ${type.name}: ${formatPayloadErrors(errors)}`, details: errors };
  }

  const outcome = input.eventId ? await recordIdempotent(organization.id, type.name, input, now) : await insertMessage(organization.id, newMessage(type.name, input, now));

  let notScheduled: string | null = null;
  if (outcome.deliveries.length > 0 && !outcome.scheduled) {
    try {
      await publishDeliveriesRequested(
        outcome.deliveries.map((d) => ({ deliveryId: d.id, organizationId: organization.id, endpointId: d.endpointId, messageId: outcome.message.id })),
      );
    } catch (error) {
      // The message is recorded; its deliveries end visibly failed (and can be resent) rather than silently pending.
      const reason = `could not be scheduled: ${error instanceof Error ? error.message : String(error)}`;
      console.error(`message ${outcome.message.id}: deliveries ${reason}`);
      await failDeliveries({ ids: outcome.deliveries.map((d) => d.id) }, reason);
      notScheduled = reason;
    }
  }
  return { ok: true, message: toView(outcome.message), created: outcome.created, deliveries: outcome.deliveries.length, notScheduled };
}

type MessageRow = { id: string; eventType: string; body: string; eventId: string | null; createdAt: Date };
type Recorded = { message: MessageRow; created: boolean; deliveries: { id: string; endpointId: string }[]; scheduled: boolean };

/**
 * The message and one delivery per subscribed, enabled endpoint, in one statement: the one place
 * that says which endpoints receive a message, and the hot path of ingestion (one round trip).
 * Where the executor is embedded in this process, the same statement stores the deliveries'
 * events (`scheduled`); otherwise the caller publishes them.
 */
function insertMessageStatement(organizationId: string, message: MessageRow) {
  const events = deliveryRequestedSql("deliveries", { organizationId: "$2", messageId: "$1", ts: "$7::bigint", receivedAt: `($6::timestamp AT TIME ZONE 'UTC')` });
  const text = `WITH message AS (
      INSERT INTO "Message" (id, "organizationId", "eventType", "eventId", body, "createdAt")
      VALUES ($1, $2, $3, $4, $5, $6)
      RETURNING id
    ), deliveries AS (
      INSERT INTO "Delivery" (id, "organizationId", "messageId", "endpointId", status, "attemptCount", "nextAttemptAt", "createdAt", "updatedAt")
      SELECT 'dlv_' || replace(gen_random_uuid()::text, '-', ''), $2, message.id, e.id, 'PENDING', 0, $6, $6, $6
      FROM message, "Endpoint" e
      WHERE e."organizationId" = $2 AND NOT e.disabled AND e."deletedAt" IS NULL AND $3 = ANY (e."eventTypes")
      RETURNING id, "endpointId"
    )${events ? `, events AS (${events.cte})` : ""}
    SELECT id, "endpointId"${events ? `, ${events.wake} AS woke` : ""} FROM deliveries`;
  // The columns are timestamps without time zone holding UTC (as Prisma writes them): an ISO time
  // in UTC is stored as is, whatever the session's time zone.
  const values: unknown[] = [message.id, organizationId, message.eventType, message.eventId, message.body, message.createdAt.toISOString()];
  if (events) values.push(message.createdAt.getTime());
  return { text, values, scheduled: events !== null };
}

async function insertMessage(organizationId: string, message: MessageRow, tx?: Pick<Prisma.TransactionClient, "$queryRawUnsafe">): Promise<Recorded> {
  const statement = insertMessageStatement(organizationId, message);
  const rows = tx
    ? await tx.$queryRawUnsafe<{ id: string; endpointId: string }[]>(statement.text, ...statement.values)
    : (await sqlPool().query<{ id: string; endpointId: string }>({ name: statement.scheduled ? "insert-message-scheduled" : "insert-message", text: statement.text, values: statement.values })).rows;
  return { message, created: true, deliveries: rows.map(({ id, endpointId }) => ({ id, endpointId })), scheduled: statement.scheduled };
}

const newMessage = (eventType: string, input: SendEventInput, now: Date): MessageRow => ({
  id: publicId("msg"),
  eventType,
  body: JSON.stringify(input.payload),
  eventId: input.eventId ?? null,
  createdAt: now,
});

/** With an `eventId`: concurrent sends of one id are serialised, so exactly one creates the message. */
async function recordIdempotent(organizationId: string, eventType: string, input: SendEventInput, now: Date): Promise<Recorded> {
  return db.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`message:${organizationId}:${input.eventId}`}))`;
    const existing = await tx.message.findFirst({
      where: { organizationId, eventId: input.eventId, createdAt: { gt: new Date(now.getTime() - IDEMPOTENCY_WINDOW_MS) } },
      orderBy: { createdAt: "desc" },
    });
    if (existing) return { message: existing, created: false, deliveries: [], scheduled: false };
    return insertMessage(organizationId, newMessage(eventType, input, now), tx);
  });
}
