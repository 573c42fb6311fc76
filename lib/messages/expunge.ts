import { expungeKeptAnswers } from "@/lib/api/v1/idempotency";
import { recordAudit, type Actor } from "@/lib/audit/record";
import { db } from "@/lib/db";
import { EXPUNGED_PAYLOAD, expungeAttemptResponse, expungeMessage, findMessage, lockMessage } from "@/lib/delivery/store/expunge";
import type { OrganizationId } from "@/lib/ids";
import { expungeReceivedCopies } from "@/lib/test-receiver/receivers";

/**
 * Content expunge (Svix's `message.expunge-content` and `message-attempt.expunge-content`, and the
 * message detail's Expunge): the payload, or the receivers' answers, overwritten in the database
 * before retention would delete them, for personal data that must go now. The delivery store
 * overwrites the message and its attempts (lib/delivery/store/expunge.ts); this also overwrites
 * the other copies of the payload the product kept (the API's idempotency answers, the test
 * receivers' requests) and writes the audit entry, all in one transaction. Repeating either is
 * harmless: it changes nothing and records nothing.
 */

export type ExpungeFailure = { ok: false; code: "not_found"; message: string };

export interface MessageExpunged {
  ok: true;
  expungedAt: Date;
  /** Deliveries stopped with attempts left. */
  stopped: number;
  /** Attempts whose answers this call expunged. */
  responses: number;
}

/** Expunges a message's payload and, with `responses`, every answer its attempts recorded. */
export async function expungeMessageContent(
  organizationId: OrganizationId,
  messageId: string,
  { responses }: { responses: boolean },
  actor: Actor,
  now = new Date(),
): Promise<MessageExpunged | ExpungeFailure> {
  return db.$transaction(async (tx) => {
    const message = await lockMessage(tx, organizationId, messageId);
    if (!message) return { ok: false, code: "not_found", message: `No message ${messageId} in this organization.` };
    const done = await expungeMessage(tx, message, { responses }, now);
    if (done.payload) {
      await expungeKeptAnswers(tx, message, EXPUNGED_PAYLOAD);
      await expungeReceivedCopies(tx, message.id, EXPUNGED_PAYLOAD);
    }
    if (done.payload || done.responses > 0) {
      await recordAudit(tx, {
        actor,
        action: "message.content_expunged",
        organizationId,
        changes: { messageId: message.id, payload: done.payload, responses: done.responses, stoppedDeliveries: done.stopped },
      });
    }
    return { ok: true, expungedAt: done.expungedAt, stopped: done.stopped, responses: done.responses };
  });
}

export interface AttemptExpunged {
  ok: true;
  responseExpungedAt: Date;
}

/** Expunges what the receiver answered to one attempt of the message. */
export async function expungeAttemptContent(organizationId: OrganizationId, messageId: string, attemptId: string, actor: Actor, now = new Date()): Promise<AttemptExpunged | ExpungeFailure> {
  return db.$transaction(async (tx) => {
    const message = await findMessage(tx, organizationId, messageId);
    if (!message) return { ok: false, code: "not_found", message: `No message ${messageId} in this organization.` };
    const done = await expungeAttemptResponse(tx, message, attemptId, now);
    if (!done) return { ok: false, code: "not_found", message: `No attempt ${attemptId} of message ${message.id}.` };
    if (done.changed) {
      await recordAudit(tx, { actor, action: "attempt.response_expunged", organizationId, endpointId: done.endpointId, changes: { messageId: message.id, attemptId } });
    }
    return { ok: true, responseExpungedAt: done.responseExpungedAt };
  });
}
