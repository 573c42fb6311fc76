import { randomBytes } from "node:crypto";
import { db } from "@/lib/db";
import type { Prisma } from "@/lib/generated/prisma/client";
import type { SignatureCheck } from "@/lib/play/verify";

/** Requests kept per receiver: it is a trying-out tool, not an archive. */
export const KEEP_REQUESTS = 200;
/** Bytes of a body kept for display. */
export const MAX_BODY_BYTES = 256 * 1024;

export function newPlayToken(): string {
  return randomBytes(16).toString("base64url");
}

export function playPath(token: string): string {
  return `/play/${token}`;
}

export async function createPlayReceiver(organizationId: string, name: string) {
  return db.playReceiver.create({ data: { organizationId, name, token: newPlayToken() } });
}

export async function findReceiverByToken(token: string) {
  return db.playReceiver.findUnique({ where: { token } });
}

export async function listReceivers(organizationId: string) {
  return db.playReceiver.findMany({ where: { organizationId }, orderBy: { createdAt: "asc" } });
}

export async function recordPlayRequest(
  receiverId: string,
  request: { headers: Record<string, string>; body: string; bodyTruncated: boolean },
  signature: SignatureCheck,
) {
  const saved = await db.playRequest.create({
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
  const stale = await db.playRequest.findMany({
    where: { receiverId },
    orderBy: { receivedAt: "desc" },
    skip: KEEP_REQUESTS,
    select: { id: true },
  });
  if (stale.length) await db.playRequest.deleteMany({ where: { id: { in: stale.map((r) => r.id) } } });
  return saved;
}

/** The event type of the message a request delivered, from its `webhook-id`. */
async function eventTypeOfMessage(webhookId: string | undefined): Promise<string | null> {
  if (!webhookId) return null;
  const message = await db.message.findUnique({ where: { id: webhookId }, select: { eventType: true } });
  return message?.eventType ?? null;
}

export async function listPlayRequests(receiverId: string, limit = 50) {
  return db.playRequest.findMany({ where: { receiverId }, orderBy: { receivedAt: "desc" }, take: limit });
}
