import { formatPayloadErrors, validatePayload, type PayloadError } from "@/lib/catalog/ajv";
import { db } from "@/lib/db";
import { deliveryConfig } from "@/lib/delivery/config";
import { recordTestMessage } from "@/lib/delivery/store";
import { diagnose, type Diagnosis } from "@/lib/delivery/diagnosis";
import { displayBody } from "@/lib/messages/detail";
import { cachedEventType } from "@/lib/messages/event-type-cache";
import { validatorFor } from "@/lib/messages/payload-validator";
import type { DeliveryStatus } from "@/lib/generated/prisma/client";
import { ids, type DeliveryId, type MessageId } from "@/lib/ids";

/**
 * The endpoint Testing tab: a real message of the organization, delivered to one endpoint only
 * (whatever its subscriptions say, and never to any other endpoint), through the normal delivery
 * path, its attempts recorded with trigger TEST.
 */

export type TestPayloadCheck = { ok: true } | { ok: false; code: "unknown_event_type" | "archived_event_type"; message: string } | { ok: false; code: "invalid_payload"; message: string; details: PayloadError[] };

export type SendTestResult =
  | { ok: true; messageId: MessageId; deliveryId: DeliveryId }
  | TestPayloadCheck & { ok: false }
  | { ok: false; code: "not_found" | "endpoint_disabled" | "webhooks_disabled"; message: string };

/** The payload against the type's schema, as the browser cannot compile schemas under the CSP. */
export async function checkTestPayload(eventType: string, payload: Record<string, unknown>): Promise<TestPayloadCheck> {
  const type = await cachedEventType(eventType);
  if (!type) return { ok: false, code: "unknown_event_type", message: `Unknown event type "${eventType}".` };
  if (type.archived) return { ok: false, code: "archived_event_type", message: `Event type "${eventType}" is archived and no longer accepts events.` };
  const validate = validatorFor(type);
  if ("error" in validate) throw new Error(`Schema of ${type.name} does not compile: ${validate.error}`);
  const errors = validatePayload(validate, payload);
  if (errors.length > 0) return { ok: false, code: "invalid_payload", message: `The payload does not match the schema of ${type.name}: ${formatPayloadErrors(errors)}`, details: errors };
  return { ok: true };
}

export async function sendTestMessage(
  organization: { id: string; webhooksEnabled: boolean },
  endpointId: string,
  input: { eventType: string; payload: Record<string, unknown> },
  now: Date = new Date(),
): Promise<SendTestResult> {
  const endpoint = await db.endpoint.findFirst({ where: { id: endpointId, organizationId: organization.id, deletedAt: null }, select: { id: true, disabled: true } });
  if (!endpoint) return { ok: false, code: "not_found", message: "This endpoint does not exist or was deleted." };
  if (endpoint.disabled) return { ok: false, code: "endpoint_disabled", message: "This endpoint is disabled: enable it to send a test." };
  if (!organization.webhooksEnabled) {
    return { ok: false, code: "webhooks_disabled", message: "Webhooks are disabled for this organization: enable them in Settings → Integrations → Webhooks to send a test." };
  }
  const check = await checkTestPayload(input.eventType, input.payload);
  if (!check.ok) return check;

  const messageId = ids.message.generate();
  const deliveryId = ids.delivery.generate();
  await recordTestMessage(
    ids.organization.of(organization.id),
    ids.endpoint.of(endpoint.id),
    { id: messageId, eventType: input.eventType, body: JSON.stringify(input.payload), createdAt: now },
    deliveryId,
  );
  return { ok: true, messageId, deliveryId };
}

export type SendExampleResult =
  | { ok: true; messageId: MessageId; payload: Record<string, unknown>; createdAt: Date }
  | { ok: false; code: "no_example"; message: string }
  | Exclude<SendTestResult, { ok: true }>;

/**
 * Svix's send-example: the catalog's example `exampleIndex` of `eventType`, sent as a test to this
 * endpoint only (the same path as the Testing tab).
 */
export async function sendExampleMessage(
  organization: { id: string; webhooksEnabled: boolean },
  endpointId: string,
  eventType: string,
  exampleIndex: number,
  now: Date = new Date(),
): Promise<SendExampleResult> {
  const type = await cachedEventType(eventType);
  if (!type) return { ok: false, code: "unknown_event_type", message: `Unknown event type "${eventType}".` };
  const example = type.examples[exampleIndex];
  if (!example) {
    const has = type.examples.length === 0 ? "has no example" : `has ${type.examples.length} example${type.examples.length === 1 ? "" : "s"} (exampleIndex 0 to ${type.examples.length - 1})`;
    return { ok: false, code: "no_example", message: `Event type "${eventType}" ${has}.` };
  }
  const sent = await sendTestMessage(organization, endpointId, { eventType, payload: example.payload }, now);
  if (!sent.ok) return sent;
  return { ok: true, messageId: sent.messageId, payload: example.payload, createdAt: now };
}

export interface TestDeliveryState {
  status: DeliveryStatus;
  failureReason: string | null;
  nextAttemptAt: Date | null;
  attempt: {
    startedAt: Date;
    statusCode: number | null;
    durationMs: number;
    succeeded: boolean;
    diagnosis: Diagnosis;
    responseBody: { text: string; isJson: boolean; truncated: boolean };
  } | null;
}

/** A test delivery's state and its latest attempt, for the Testing tab to poll. */
export async function testDeliveryState(organizationId: string, endpointId: string, deliveryId: string): Promise<TestDeliveryState | null> {
  const delivery = await db.delivery.findFirst({
    where: { id: deliveryId, organizationId, endpointId },
    select: {
      status: true,
      failureReason: true,
      nextAttemptAt: true,
      attempts: {
        orderBy: [{ startedAt: "desc" }, { id: "desc" }],
        take: 1,
        select: { startedAt: true, statusCode: true, durationMs: true, succeeded: true, errorKind: true, errorMessage: true, responseHeaders: true, responseBody: true, responseBodyTruncated: true },
      },
    },
  });
  if (!delivery) return null;
  const last = delivery.attempts[0];
  const headers = last?.responseHeaders && typeof last.responseHeaders === "object" && !Array.isArray(last.responseHeaders) ? last.responseHeaders : null;
  return {
    status: delivery.status,
    failureReason: delivery.failureReason,
    nextAttemptAt: delivery.nextAttemptAt,
    attempt: last
      ? {
          startedAt: last.startedAt,
          statusCode: last.statusCode,
          durationMs: last.durationMs,
          succeeded: last.succeeded,
          diagnosis: diagnose({ ...last, responseHeaders: headers }, { timeoutMs: deliveryConfig().attemptTimeoutMs }),
          responseBody: { ...displayBody(last.responseBody, last.responseBodyTruncated), truncated: last.responseBodyTruncated },
        }
      : null,
  };
}
