import { listAttemptedMessages, type AttemptedMessageRow } from "@/lib/endpoints/attempted-messages";
import { getEndpoint, listEndpoints, type EndpointView } from "@/lib/endpoints/endpoints";
import { rotationInProgress } from "@/lib/endpoints/secrets";
import type { Cursor, Page } from "@/lib/db/keyset";
import { getMessageDetail, type MessageDetail } from "@/lib/messages/detail";
import { PLATFORM_ORGANIZATION_ID } from "@/lib/operational/platform";

/**
 * What the staff pages read of operator endpoints: the platform organization's endpoints and the
 * deliveries of its messages, through the same queries as a customer's endpoints and logs.
 */

export const OPERATIONAL_LOG_PAGE_SIZE = 25;

export function listOperatorEndpoints(): Promise<EndpointView[]> {
  return listEndpoints(PLATFORM_ORGANIZATION_ID);
}

export async function operatorEndpoint(endpointId: string): Promise<(EndpointView & { previousSecretValidUntil: Date | null }) | null> {
  const endpoint = await getEndpoint(PLATFORM_ORGANIZATION_ID, endpointId);
  if (!endpoint) return null;
  return { ...endpoint, previousSecretValidUntil: await rotationInProgress(endpoint.id) };
}

/** The operator endpoint's log: every operational event sent (or to be sent) to it, newest first, with its delivery's state. */
export function operationalLog(endpointId: string, cursor: Cursor | undefined): Promise<Page<AttemptedMessageRow>> {
  return listAttemptedMessages(PLATFORM_ORGANIZATION_ID, endpointId, { cursor, limit: OPERATIONAL_LOG_PAGE_SIZE });
}

/** One operational event with its delivery to this operator endpoint and every attempt. */
export async function operationalMessage(endpointId: string, messageId: string): Promise<MessageDetail | null> {
  const message = await getMessageDetail(PLATFORM_ORGANIZATION_ID, messageId);
  if (!message) return null;
  return { ...message, deliveries: message.deliveries.filter((d) => d.endpoint.id === endpointId) };
}
