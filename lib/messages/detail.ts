import { z } from "zod";
import { db } from "@/lib/db";
import { deliveryConfig } from "@/lib/delivery/config";
import { diagnose, type Diagnosis } from "@/lib/delivery/diagnosis";
import { allowedCustomHeaders, USER_AGENT } from "@/lib/delivery/headers";
import { remainingAttempts, type PlannedAttempt, type RetrySchedule } from "@/lib/delivery/schedule";
import type { Prisma } from "@/lib/generated/prisma/client";

/**
 * One message as its detail page shows it: the payload, the headers it is sent with, and per
 * endpoint the delivery's state, what remains of its schedule and every attempt with the
 * receiver's answer. Signatures and custom header values are never part of it: they are secrets
 * (or may be), and the page is readable by every member.
 */

export interface SentHeader {
  name: string;
  /** Null when the value is not shown: a signature or a custom header's value. */
  value: string | null;
  note: string | null;
}

const attemptSelect = {
  id: true,
  deliveryId: true,
  attemptNumber: true,
  trigger: true,
  url: true,
  startedAt: true,
  durationMs: true,
  succeeded: true,
  statusCode: true,
  responseHeaders: true,
  responseBody: true,
  responseBodyTruncated: true,
  errorKind: true,
  errorMessage: true,
  responseExpungedAt: true,
} satisfies Prisma.AttemptSelect;

type AttemptRow = Prisma.AttemptGetPayload<{ select: typeof attemptSelect }>;

export type AttemptDetail = Omit<AttemptRow, "responseHeaders" | "deliveryId"> & {
  responseHeaders: Record<string, string>;
  /** The body pretty-printed when it is complete JSON, else as received. */
  responseBodyDisplay: string;
  responseBodyIsJson: boolean;
  diagnosis: Diagnosis;
};

const deliverySelect = {
  id: true,
  status: true,
  attemptCount: true,
  nextAttemptAt: true,
  lastAttemptAt: true,
  failureReason: true,
  createdAt: true,
  endpoint: { select: { id: true, url: true, description: true, disabled: true, deletedAt: true, headers: true } },
} satisfies Prisma.DeliverySelect;

type DeliveryRow = Prisma.DeliveryGetPayload<{ select: typeof deliverySelect }>;

export type DeliveryDetail = Omit<DeliveryRow, "endpoint"> & {
  endpoint: Omit<DeliveryRow["endpoint"], "headers"> & { customHeaderNames: string[] };
  /** The headers this endpoint receives, values of secrets left out. */
  headers: SentHeader[];
  /** Pending deliveries only: the attempts still to come and when. */
  remaining: PlannedAttempt[];
  attempts: AttemptDetail[];
};

export interface MessageDetail {
  id: string;
  eventType: string;
  eventId: string | null;
  /** Sent from an endpoint's Testing tab, to that endpoint only. */
  test: boolean;
  createdAt: Date;
  /** When its content was expunged; `body` then holds no payload. */
  expungedAt: Date | null;
  /** Svix's `deliverAt`: when a scheduled message's deliveries are due. */
  deliverAt: Date | null;
  /** Still waiting for `deliverAt`: nothing attempted or stopped yet. */
  scheduled: boolean;
  /** `deliverAt` while it is ahead: nothing may send the message before then (a resend included). */
  notBefore: Date | null;
  /** The exact text signed and sent. */
  body: string;
  /** The body pretty-printed; empty once expunged. */
  payloadDisplay: string;
  /** Attempts whose answers are still stored (what an expunge of the responses would remove). */
  storedResponses: number;
  deliveries: DeliveryDetail[];
}

const storedHeaders = z.array(z.object({ name: z.string(), value: z.string() })).catch([]);

const responseHeaders = z.record(z.string(), z.string()).catch({});

/** Complete JSON is indented; anything else (a truncated body, HTML, text) is shown as received. */
export function displayBody(body: string, truncated: boolean): { text: string; isJson: boolean } {
  if (truncated || !body.trim()) return { text: body, isJson: false };
  try {
    return { text: JSON.stringify(JSON.parse(body), null, 2), isJson: true };
  } catch {
    return { text: body, isJson: false };
  }
}

/** The request headers, in the order they are sent (lib/delivery/attempt.ts). */
function sentHeaders(messageId: string, customHeaderNames: string[]): SentHeader[] {
  return [
    ...customHeaderNames.map((name) => ({ name, value: null, note: "custom header of the endpoint; value hidden" })),
    { name: "content-type", value: "application/json", note: null },
    { name: "user-agent", value: USER_AGENT, note: null },
    { name: "webhook-id", value: messageId, note: null },
    { name: "webhook-timestamp", value: null, note: "the time of each attempt, in seconds since 1970" },
    { name: "webhook-signature", value: null, note: "v1 HMAC-SHA256 signature with each valid signing secret; not shown" },
  ];
}

export interface DetailOptions {
  schedule?: RetrySchedule;
  timeoutMs?: number;
  now?: Date;
}

export async function getMessageDetail(organizationId: string, messageId: string, options: DetailOptions = {}): Promise<MessageDetail | null> {
  const schedule = options.schedule ?? deliveryConfig().retrySchedule;
  const timeoutMs = options.timeoutMs ?? deliveryConfig().attemptTimeoutMs;
  const message = await db.message.findFirst({
    where: { id: messageId, organizationId },
    select: {
      id: true,
      eventType: true,
      eventId: true,
      test: true,
      createdAt: true,
      expungedAt: true,
      deliverAt: true,
      body: true,
      deliveries: { select: deliverySelect, orderBy: [{ createdAt: "asc" }, { id: "asc" }] },
      attempts: { select: attemptSelect, orderBy: [{ startedAt: "asc" }, { id: "asc" }] },
    },
  });
  if (!message) return null;
  const { attempts, deliveries, ...rest } = message;
  const waiting = deliveries.every((d) => d.status === "PENDING" && d.attemptCount === 0);
  const notBefore = message.deliverAt && message.deliverAt > (options.now ?? new Date()) ? message.deliverAt : null;
  return {
    ...rest,
    scheduled: waiting && notBefore !== null,
    notBefore,
    payloadDisplay: message.expungedAt ? "" : displayBody(message.body, false).text,
    storedResponses: attempts.filter((a) => !a.responseExpungedAt).length,
    deliveries: deliveries.map(({ endpoint, ...delivery }) => {
      const customHeaderNames = Object.keys(allowedCustomHeaders(Object.fromEntries(storedHeaders.parse(endpoint.headers).map((h) => [h.name, h.value]))));
      return {
        ...delivery,
        endpoint: { id: endpoint.id, url: endpoint.url, description: endpoint.description, disabled: endpoint.disabled, deletedAt: endpoint.deletedAt, customHeaderNames },
        headers: sentHeaders(message.id, customHeaderNames),
        remaining: delivery.status === "PENDING" ? remainingAttempts(schedule, delivery.attemptCount, delivery.nextAttemptAt) : [],
        attempts: attempts
          .filter((a) => a.deliveryId === delivery.id)
          .map(({ deliveryId: _deliveryId, ...a }) => {
            const headers = responseHeaders.parse(a.responseHeaders ?? {});
            const body = displayBody(a.responseBody, a.responseBodyTruncated);
            return {
              ...a,
              responseHeaders: headers,
              responseBodyDisplay: body.text,
              responseBodyIsJson: body.isJson,
              diagnosis: diagnose({ ...a, responseHeaders: headers }, { timeoutMs }),
            };
          }),
      };
    }),
  };
}

/** For the detail route's layout: the 404 check, without loading the deliveries. */
export async function messageExists(organizationId: string, messageId: string): Promise<boolean> {
  return (await db.message.count({ where: { id: messageId, organizationId } })) > 0;
}
