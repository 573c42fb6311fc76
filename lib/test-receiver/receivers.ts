import { randomBytes } from "node:crypto";
import { db } from "@/lib/db";
import type { Prisma } from "@/lib/generated/prisma/client";
import type { SignatureCheck } from "@/lib/test-receiver/verify";

/** Requests kept per receiver: it is a trying-out tool, not an archive. */
export const KEEP_REQUESTS = 200;
/** Bytes of a body kept for display. */
export const MAX_BODY_BYTES = 256 * 1024;

export function newTestReceiverToken(): string {
  return randomBytes(16).toString("base64url");
}

export function testReceiverPath(token: string): string {
  return `/test-receiver/${token}`;
}

/** Receivers created before the rename were reached at /play/<token>; that address still works. */
export function legacyTestReceiverPath(token: string): string {
  return `/play/${token}`;
}

export async function createTestReceiver(organizationId: string, name: string) {
  return db.testReceiver.create({ data: { organizationId, name, token: newTestReceiverToken() } });
}

export async function findReceiverByToken(token: string) {
  return db.testReceiver.findUnique({ where: { token } });
}

export async function listReceivers(organizationId: string) {
  return db.testReceiver.findMany({ where: { organizationId }, orderBy: { createdAt: "asc" } });
}

export async function recordTestReceiverRequest(
  receiverId: string,
  request: { headers: Record<string, string>; body: string; bodyTruncated: boolean },
  signature: SignatureCheck,
) {
  const saved = await db.testReceiverRequest.create({
    data: {
      receiverId,
      webhookId: request.headers["webhook-id"] ?? null,
      eventType: await eventTypeOfMessage(request.headers["webhook-id"]),
      headers: request.headers as Prisma.InputJsonValue,
      body: request.body,
      bodyTruncated: request.bodyTruncated,
      signatureStatus: signature.status,
      signatureDetail: signature.detail,
    },
  });
  const stale = await db.testReceiverRequest.findMany({
    where: { receiverId },
    orderBy: { receivedAt: "desc" },
    skip: KEEP_REQUESTS,
    select: { id: true },
  });
  if (stale.length) await db.testReceiverRequest.deleteMany({ where: { id: { in: stale.map((r) => r.id) } } });
  return saved;
}

/** The event type of the message a request delivered, from its `webhook-id`. */
async function eventTypeOfMessage(webhookId: string | undefined): Promise<string | null> {
  if (!webhookId) return null;
  const message = await db.message.findUnique({ where: { id: webhookId }, select: { eventType: true } });
  return message?.eventType ?? null;
}

export async function listTestReceiverRequests(receiverId: string, limit = 50) {
  return db.testReceiverRequest.findMany({ where: { receiverId }, orderBy: { receivedAt: "desc" }, take: limit });
}

/**
 * A message's content expunged (lib/messages/expunge.ts): what a test receiver kept of it (the
 * request's body is the payload) is overwritten the same way, whichever organization's receiver
 * got it. The receivers keep KEEP_REQUESTS requests each, so the scan stays small.
 */
export async function expungeReceivedCopies(tx: Pick<Prisma.TransactionClient, "testReceiverRequest">, messageId: string, expiredPayload: string): Promise<number> {
  const { count } = await tx.testReceiverRequest.updateMany({ where: { webhookId: messageId }, data: { body: expiredPayload, bodyTruncated: false } });
  return count;
}
