import { formatPayloadErrors, validatePayload, type PayloadError } from "@/lib/catalog/ajv";
import { cachedEventType } from "@/lib/messages/event-type-cache";
import { db } from "@/lib/db";
import { recordMessage, type NewMessage } from "@/lib/delivery/store";
import { countMessageAccepted } from "@/lib/observability/metrics";
import { ids, type MessageId, type OrganizationId } from "@/lib/ids";
import { validatorFor } from "@/lib/messages/payload-validator";
import { IDEMPOTENCY_WINDOW_MS, type SendEventInput } from "@/lib/validations/message";

export interface MessageView {
  id: MessageId;
  eventType: string;
  payload: Record<string, unknown>;
  eventId: string | null;
  timestamp: string;
  /** When its deliveries are due, for a scheduled message. */
  deliverAt: string | null;
}

export type SendEventFailure =
  | { ok: false; code: "webhooks_disabled" | "unknown_event_type" | "archived_event_type"; message: string }
  | { ok: false; code: "invalid_payload"; message: string; details: PayloadError[] };

export type SendEventResult =
  | {
      ok: true;
      message: MessageView;
      created: boolean;
      /** Deliveries created, each scheduled by the same statement (lib/outbox). */
      deliveries: number;
    }
  | SendEventFailure;

function toView(row: MessageRow): MessageView {
  return {
    id: ids.message.of(row.id),
    eventType: row.eventType,
    payload: JSON.parse(row.body) as Record<string, unknown>,
    eventId: row.eventId,
    timestamp: row.createdAt.toISOString(),
    deliverAt: row.deliverAt?.toISOString() ?? null,
  };
}

/**
 * Whether an event could be recorded, whatever the organization: its type exists and is not
 * archived, and the payload matches the type's schema (validators cached per type version).
 */
export async function checkEvent(input: Pick<SendEventInput, "eventType" | "payload">): Promise<{ ok: true; eventType: string } | Exclude<SendEventFailure, { code: "webhooks_disabled" }>> {
  const type = await cachedEventType(input.eventType);
  if (!type) return { ok: false, code: "unknown_event_type", message: `Unknown event type "${input.eventType}". See the event catalog for the available types.` };
  if (type.archived) return { ok: false, code: "archived_event_type", message: `Event type "${input.eventType}" is archived and no longer accepts events.` };
  const validate = validatorFor(type);
  if ("error" in validate) throw new Error(`Schema of ${type.name} does not compile: ${validate.error}`);
  const errors = validatePayload(validate, input.payload);
  if (errors.length > 0) {
    return { ok: false, code: "invalid_payload", message: `The payload does not match the schema of ${type.name}: ${formatPayloadErrors(errors)}`, details: errors };
  }
  return { ok: true, eventType: type.name };
}

/** What to record: Svix's `MessageIn`, `deliverAt` checked by the caller's schema (deliverAtProblem). */
export type SendEventRequest = SendEventInput & { deliverAt?: Date | null };

/**
 * Records an event of an organization and fans it out: one delivery per enabled endpoint whose
 * filter has the event type, each scheduled in the same statement (the delivery store publishes
 * its event); with `deliverAt` the deliveries wait until then. With webhooks disabled nothing is
 * stored. The same `eventId` within 24 hours records nothing and returns the original message
 * (`created: false`).
 */
export async function sendEvent(
  organization: { id: string; webhooksEnabled: boolean },
  input: SendEventRequest,
  now: Date = new Date(),
): Promise<SendEventResult> {
  if (!organization.webhooksEnabled) {
    return { ok: false, code: "webhooks_disabled", message: "Webhooks are disabled for this organization: the event was not recorded. Enable them in Settings → Integrations → Webhooks." };
  }
  const checked = await checkEvent(input);
  if (!checked.ok) return checked;

  const organizationId = ids.organization.of(organization.id);
  const outcome = input.eventId
    ? await recordIdempotent(organizationId, checked.eventType, input, now)
    : await insertMessage(organizationId, newMessage(checked.eventType, input, now));
  if (outcome.created) countMessageAccepted();
  return { ok: true, message: toView(outcome.message), created: outcome.created, deliveries: outcome.deliveries };
}

type MessageRow = { id: string; eventType: string; body: string; eventId: string | null; createdAt: Date; deliverAt?: Date | null };
type Recorded = { message: MessageRow; created: boolean; deliveries: number };

async function insertMessage(organizationId: OrganizationId, message: NewMessage, tx?: Parameters<typeof recordMessage>[2]): Promise<Recorded> {
  const deliveries = await recordMessage(organizationId, message, tx);
  return { message, created: true, deliveries: deliveries.length };
}

const newMessage = (eventType: string, input: SendEventRequest, now: Date): NewMessage => ({
  id: ids.message.generate(),
  eventType,
  body: JSON.stringify(input.payload),
  eventId: input.eventId ?? null,
  createdAt: now,
  // Checked when the request was read: a time that passed since (by milliseconds) means at once.
  deliverAt: input.deliverAt && input.deliverAt > now ? input.deliverAt : null,
});

/** With an `eventId`: concurrent sends of one id are serialised, so exactly one creates the message. */
async function recordIdempotent(organizationId: OrganizationId, eventType: string, input: SendEventRequest, now: Date): Promise<Recorded> {
  return db.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`message:${organizationId}:${input.eventId}`}))`;
    const existing = await tx.message.findFirst({
      where: { organizationId, eventId: input.eventId, createdAt: { gt: new Date(now.getTime() - IDEMPOTENCY_WINDOW_MS) } },
      orderBy: { createdAt: "desc" },
    });
    if (existing) return { message: existing, created: false, deliveries: 0 };
    return insertMessage(organizationId, newMessage(eventType, input, now), tx);
  });
}
