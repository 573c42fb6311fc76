import { inngest } from "@/inngest/client";
import { deliveryRequested, endpointDeleted, endpointDisabled } from "@/inngest/events";

/**
 * The one door from the domain (`lib/`) to the durable engine: domain code publishes what happened
 * here, and Inngest functions react. Nothing else in `lib/` imports `inngest/`.
 */

/** Publishes that an endpoint stopped receiving: delivery functions cancel their pending attempts. */
export async function publishEndpointStopped(kind: "disabled" | "deleted", ref: { organizationId: string; endpointId: string }) {
  const event = kind === "disabled" ? endpointDisabled.create(ref) : endpointDeleted.create(ref);
  await inngest.send(event);
}

/** Publishes that deliveries are due: one delivery run starts per delivery. */
export async function publishDeliveriesRequested(
  deliveries: { deliveryId: string; organizationId: string; endpointId: string; messageId: string; trigger?: "SCHEDULED" | "TEST" }[],
) {
  if (deliveries.length === 0) return;
  await inngest.send(deliveries.map((d) => deliveryRequested.create(d)));
}
