import { Prisma } from "@/lib/generated/prisma/client";
import type { EndpointId, MessageId, OrganizationId } from "@/lib/ids";

/**
 * Content expunge, as Svix has it (`message.expunge-content`, `message-attempt.expunge-content`):
 * the payload and the receivers' answers are overwritten in place, never just hidden. What is
 * left is what Svix itself answers for them, so every reader (the API's message and attempt
 * calls among them) shows Svix's values without knowing about expunges:
 *
 * - a message's body becomes `{"expired":true}`, the payload Svix returns for a message whose
 *   content is gone; `expungedAt` says when, and that it can no longer be sent;
 * - an attempt's response body becomes `EXPUNGED` (Svix stores exactly that), its response headers
 *   are dropped (Set-Cookie, a Location, headers echoing the request may all carry personal data,
 *   and nothing tells which do), and a redirect's target leaves its error text and its delivery's
 *   failure reason; the status code, duration and kind of error stay: they describe the delivery,
 *   not the data.
 *
 * The message's pending deliveries stop (FAILED, `EXPUNGED_REASON`): there is nothing left
 * to send. An attempt already on the wire finishes; the statements that record attempts read the
 * message under FOR SHARE (`ANSWER_VALUES` in index.ts), which `lockMessage` conflicts with, so
 * an answer recorded during or after an expunge keeps no response either.
 */

type Sql = Pick<Prisma.TransactionClient, "$queryRaw">;

/** What Svix's `MessageOut.payload` is for a message without content. */
export const EXPUNGED_PAYLOAD = '{"expired":true}';
/** What Svix stores as an expunged attempt's `response`. */
export const EXPUNGED_RESPONSE = "EXPUNGED";

/** Why the deliveries of an expunged message ended before their schedule did (`STOP_REASON.expunged`). */
export const EXPUNGED_REASON = "message content expunged";

/** A redirect's target in an attempt's error text and in a delivery's failure reason (lib/delivery/attempt.ts, diagnosis.ts). */
const REDIRECT_TARGET = " redirect to .* not followed";
const REDIRECT_WITHOUT_TARGET = " redirect not followed";

/** `text` without a redirect's target. */
export function withoutRedirectTarget(text: Prisma.Sql): Prisma.Sql {
  return Prisma.sql`regexp_replace(${text}, ${REDIRECT_TARGET}, ${REDIRECT_WITHOUT_TARGET})`;
}

export interface LockedMessage {
  id: MessageId;
  createdAt: Date;
  expungedAt: Date | null;
}

/** The organization's message, unlocked: an attempt's answer is expunged without holding it. */
export async function findMessage(tx: Sql, organizationId: OrganizationId, messageId: string): Promise<Pick<LockedMessage, "id"> | null> {
  const [row] = await tx.$queryRaw<Pick<LockedMessage, "id">[]>`SELECT id FROM "Message" WHERE id = ${messageId} AND "organizationId" = ${organizationId}`;
  return row ?? null;
}

/**
 * The message, locked FOR UPDATE until the transaction ends: attempts being recorded for it wait
 * (they lock it FOR SHARE) and then see the expunge; those recorded before are visible to the
 * statements that follow in this transaction. Null when the organization has no such message.
 */
export async function lockMessage(tx: Sql, organizationId: OrganizationId, messageId: string): Promise<LockedMessage | null> {
  const [row] = await tx.$queryRaw<LockedMessage[]>`
    SELECT id, "createdAt", "expungedAt" FROM "Message" WHERE id = ${messageId} AND "organizationId" = ${organizationId} FOR UPDATE`;
  return row ?? null;
}

/** The SET list that overwrites an attempt's answer (alias `a`). */
const ATTEMPT_OVERWRITE = (now: Date) => Prisma.sql`
  "responseBody" = ${EXPUNGED_RESPONSE}, "responseHeaders" = NULL, "responseBodyTruncated" = false,
  "errorMessage" = CASE WHEN a."errorKind" = 'redirect' THEN ${withoutRedirectTarget(Prisma.sql`a."errorMessage"`)} ELSE a."errorMessage" END,
  "responseExpungedAt" = ${now}`;

export interface MessageExpunge {
  /** When the payload was expunged: the first expunge's time, kept by the ones that repeat it. */
  expungedAt: Date;
  /** Whether this call changed the payload (false when it was already expunged). */
  payload: boolean;
  /** Deliveries stopped because nothing is left to send. */
  stopped: number;
  /** Attempts whose answers this call expunged. */
  responses: number;
}

/**
 * Expunges a message locked by `lockMessage`: its payload, its pending deliveries, and with
 * `responses` every answer its attempts recorded, in one statement. Repeating it changes nothing.
 * It changes no SENDING delivery: the statements recording attempts lock those before they wait
 * for the message, so touching one here could deadlock with them.
 */
export async function expungeMessage(tx: Sql, message: LockedMessage, { responses }: { responses: boolean }, now: Date): Promise<MessageExpunge> {
  const [row] = await tx.$queryRaw<{ expungedAt: Date; stopped: number; responses: number }[]>`
    WITH message AS (
      UPDATE "Message" SET body = ${EXPUNGED_PAYLOAD}, "expungedAt" = coalesce("expungedAt", ${now})
       WHERE id = ${message.id}
      RETURNING id, "expungedAt"
    ), stopped AS (
      UPDATE "Delivery" d SET status = 'FAILED', "failureReason" = ${EXPUNGED_REASON}, "nextAttemptAt" = NULL, "updatedAt" = ${now}
       WHERE d."messageId" = ${message.id} AND d.status = 'PENDING'
      RETURNING d.id
    ), answers AS (
      UPDATE "Attempt" a SET ${ATTEMPT_OVERWRITE(now)}
       WHERE ${responses} AND a."messageId" = ${message.id} AND a."responseExpungedAt" IS NULL
      RETURNING a."deliveryId"
    ), reasons AS (
      UPDATE "Delivery" d SET "failureReason" = ${withoutRedirectTarget(Prisma.sql`d."failureReason"`)}
       WHERE ${responses} AND d."messageId" = ${message.id} AND d.status = 'FAILED' AND d."failureReason" ~ ${REDIRECT_TARGET}
    )
    SELECT message."expungedAt", (SELECT count(*)::int FROM stopped) AS stopped, (SELECT count(*)::int FROM answers) AS responses FROM message`;
  if (!row) throw new Error(`message ${message.id} was locked but not found`);
  return { expungedAt: row.expungedAt, payload: message.expungedAt === null, stopped: row.stopped, responses: row.responses };
}

export interface AttemptExpunge {
  endpointId: EndpointId;
  responseExpungedAt: Date;
  /** False when the answer was already expunged. */
  changed: boolean;
}

/**
 * Expunges one attempt's answer (and a redirect's target in its delivery's failure reason, once
 * the delivery has failed: a SENDING one is the attempt recorders'), in one statement; null when
 * the message has no such attempt. Repeating it changes nothing.
 */
export async function expungeAttemptResponse(tx: Sql, message: Pick<LockedMessage, "id">, attemptId: string, now: Date): Promise<AttemptExpunge | null> {
  const [row] = await tx.$queryRaw<{ endpointId: EndpointId; responseExpungedAt: Date; changed: boolean }[]>`
    WITH attempt AS (
      SELECT id, "deliveryId", "endpointId", "responseExpungedAt" FROM "Attempt" WHERE id = ${attemptId} AND "messageId" = ${message.id}
    ), answer AS (
      UPDATE "Attempt" a SET ${ATTEMPT_OVERWRITE(now)}
        FROM attempt WHERE a.id = attempt.id AND a."responseExpungedAt" IS NULL
      RETURNING a.id
    ), reason AS (
      UPDATE "Delivery" d SET "failureReason" = ${withoutRedirectTarget(Prisma.sql`d."failureReason"`)}
        FROM attempt WHERE d.id = attempt."deliveryId" AND d.status = 'FAILED' AND d."failureReason" ~ ${REDIRECT_TARGET}
    )
    SELECT attempt."endpointId", coalesce(attempt."responseExpungedAt", ${now}) AS "responseExpungedAt", EXISTS (SELECT 1 FROM answer) AS changed FROM attempt`;
  return row ?? null;
}
