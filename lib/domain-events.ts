import { inngest } from "@/inngest/client";
import { endpointDeleted, endpointDisabled } from "@/inngest/events";

/** Publishes that an endpoint stopped receiving: delivery functions cancel their pending attempts. */
export async function publishEndpointStopped(kind: "disabled" | "deleted", ref: { organizationId: string; endpointId: string }) {
  const event = kind === "disabled" ? endpointDisabled.create(ref) : endpointDeleted.create(ref);
  await inngest.send(event);
}
