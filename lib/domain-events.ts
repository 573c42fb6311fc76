import { inngest } from "@/inngest/client";
import { executorConfig } from "@/inngest/executor/config";
import { eventsFromRowsSql } from "@/inngest/executor/ingest";
import { deliveryRequested, endpointDeleted, endpointDisabled, recoveryRequested } from "@/inngest/events";

/**
 * The one door from the domain (`lib/`) to the durable engine: domain code publishes what happened
 * here, and Inngest functions react. Nothing else in `lib/` imports `inngest/`.
 */

/** Publishes that an endpoint stopped receiving: delivery functions cancel their pending attempts. */
export async function publishEndpointStopped(kind: "disabled" | "deleted", ref: { organizationId: string; endpointId: string }) {
  const event = kind === "disabled" ? endpointDisabled.create(ref) : endpointDeleted.create(ref);
  await inngest.send(event);
}

/**
 * Publishes that deliveries are due: one delivery run starts per delivery. With an `eventId`, a
 * second publication of the same delivery (a recovery batch re-run after a crash) is dropped.
 */
export async function publishDeliveriesRequested(
  deliveries: { deliveryId: string; organizationId: string; endpointId: string; messageId: string; trigger?: "SCHEDULED" | "TEST"; eventId?: string }[],
) {
  if (deliveries.length === 0) return;
  await inngest.send(deliveries.map(({ eventId, ...d }) => deliveryRequested.create(d, eventId ? { id: eventId } : undefined)));
}

/** Publishes that a recovery task was recorded: its function starts sending. */
export async function publishRecoveryRequested(ref: { taskId: string; organizationId: string }) {
  await inngest.send(recoveryRequested.create(ref));
}

/**
 * In the app's server process with the embedded executor (`npm start`), the statement that creates
 * a message's deliveries also stores their `delivery/requested` events: one round trip instead of
 * two, and no message whose deliveries were recorded but never scheduled. Returns the parts to
 * splice into that statement (see `eventsFromRowsSql`) for a CTE `source` with the columns `id`
 * and `endpointId`, or null where events go through `publishDeliveriesRequested` (Inngest, or a
 * process that does not own the executor's ingest). The event data is `deliveryRequested`'s.
 */
export function deliveryRequestedSql(source: string, refs: { organizationId: string; messageId: string; ts: string; receivedAt: string }) {
  const config = executorConfig();
  if (config.mode !== "embedded" || !config.ingestInProcess) return null;
  return eventsFromRowsSql({
    source,
    name: deliveryRequested.name,
    data: `jsonb_build_object('deliveryId', s.id, 'organizationId', ${refs.organizationId}::text, 'endpointId', s."endpointId", 'messageId', ${refs.messageId}::text)`,
    ts: refs.ts,
    receivedAt: refs.receivedAt,
  });
}
