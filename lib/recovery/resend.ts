import { db } from "@/lib/db";
import { recordAudit, type Actor } from "@/lib/audit/record";
import { claimForManual } from "@/lib/delivery/store";
import { ids } from "@/lib/ids";
import { sendManualAttempts, type ManualResult } from "@/lib/recovery/manual-attempt";
import { recoverableEndpoint } from "@/lib/recovery/tasks";
import { retentionConfig } from "@/lib/retention/config";

/**
 * Resend one message to one endpoint: one manual attempt now, recorded like any other, never
 * retried. Refused, each with its reason, while the message is scheduled (`deliverAt` ahead: it
 * is never sent before its time), while the delivery is under way, when it already succeeded
 * (unless confirmed), when the message aged out of retention or its content was expunged, and
 * when the endpoint is disabled.
 */

export type ResendFailureCode =
  | "not_found"
  | "aged_out"
  | "missing_payload"
  | "endpoint_disabled"
  | "webhooks_disabled"
  | "not_attempted"
  | "attempt_in_flight"
  | "delivery_in_progress"
  | "already_delivered"
  | "scheduled";

export type ResendResult = { ok: true; attempt: ManualResult } | { ok: false; code: ResendFailureCode; message: string };

const DAY_MS = 86_400_000;

function retentionText(): string {
  const days = Math.round(retentionConfig().messagesMs / DAY_MS);
  return days >= 1 ? `${days} day${days === 1 ? "" : "s"}` : `${Math.round(retentionConfig().messagesMs / 1000)} seconds`;
}

/** Svix's code and status (400 `missing_payload`) for a message whose payload is gone. */
export function expungedRefusal(messageId: string, expungedAt: Date): { ok: false; code: "missing_payload"; message: string } {
  return { ok: false, code: "missing_payload", message: `The content of message ${messageId} was expunged on ${expungedAt.toISOString()}: it cannot be resent or replayed.` };
}

export async function resendMessage(
  organization: { id: string; webhooksEnabled: boolean },
  endpointId: string,
  messageId: string,
  { confirmDelivered = false }: { confirmDelivered?: boolean },
  actor: Actor,
  now = new Date(),
): Promise<ResendResult> {
  const endpoint = await recoverableEndpoint(organization, endpointId);
  if (!endpoint.ok) return endpoint;
  const message = await db.message.findFirst({ where: { id: messageId, organizationId: organization.id }, select: { id: true, createdAt: true, expungedAt: true, deliverAt: true } });
  if (!message) {
    return { ok: false, code: "not_found", message: `No message ${messageId} in this organization. History is kept ${retentionText()}: an older message has aged out of retention and cannot be resent.` };
  }
  if (now.getTime() - message.createdAt.getTime() > retentionConfig().messagesMs) {
    return { ok: false, code: "aged_out", message: `Message ${messageId} is older than the retention period (${retentionText()}): its history is being deleted and it cannot be resent.` };
  }
  if (message.expungedAt) return expungedRefusal(messageId, message.expungedAt);
  const delivery = await db.delivery.findUnique({ where: { messageId_endpointId: { messageId, endpointId } }, select: { id: true, status: true, nextAttemptAt: true } });
  if (message.deliverAt && message.deliverAt > now) {
    const when = message.deliverAt.toISOString();
    const then = delivery?.status === "PENDING" ? "its delivery waits for that time" : `it can be resent from then on`;
    return { ok: false, code: "scheduled", message: `This message is scheduled for ${when} (deliverAt) and is never sent before then: ${then}.` };
  }
  if (!delivery) {
    return { ok: false, code: "not_attempted", message: "This message was never sent to this endpoint: use Replay missing messages to send the messages it missed." };
  }
  if (delivery.status === "SENDING") return { ok: false, code: "attempt_in_flight", message: "An attempt of this delivery is in flight: wait for its answer, then resend." };
  if (delivery.status === "PENDING") {
    const when = delivery.nextAttemptAt ? ` (next attempt at ${delivery.nextAttemptAt.toISOString()})` : "";
    return { ok: false, code: "delivery_in_progress", message: `This delivery is still being retried on its schedule${when}: resend it once it has ended.` };
  }
  if (delivery.status === "SUCCEEDED" && !confirmDelivered) {
    return { ok: false, code: "already_delivered", message: "This message was already delivered to this endpoint. Confirm to send it again." };
  }

  const claims = await claimForManual([ids.delivery.of(delivery.id)], confirmDelivered ? ["FAILED", "SUCCEEDED"] : ["FAILED"]);
  if (claims.length === 0) return { ok: false, code: "attempt_in_flight", message: "Another attempt of this delivery started just now: wait for its answer, then resend." };
  const { results, expunged } = await sendManualAttempts(claims);
  if (expunged.length > 0) return expungedRefusal(messageId, (await db.message.findUnique({ where: { id: messageId }, select: { expungedAt: true } }))?.expungedAt ?? now);
  const attempt = results[0];
  if (!attempt) return { ok: false, code: "not_found", message: `Message ${messageId} was deleted (aged out of retention) before it could be resent.` };
  await recordAudit(db, {
    actor,
    action: "message.resent",
    organizationId: organization.id,
    endpointId,
    changes: { messageId, attemptId: attempt.attemptId, succeeded: attempt.ok, statusCode: attempt.statusCode, wasDelivered: claims[0]!.prior === "SUCCEEDED" },
  });
  return { ok: true, attempt };
}
