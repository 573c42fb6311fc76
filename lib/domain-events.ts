import { inngest } from "@/inngest/client";
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
