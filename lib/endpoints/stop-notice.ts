import { publishEndpointStopped } from "@/lib/domain-events";

/**
 * Publishes `endpoint/disabled` or `endpoint/deleted` after the change is committed. A failure to
 * publish does not undo the change (the endpoint IS disabled or deleted, and every delivery attempt
 * re-checks the endpoint before sending), but it is logged and returned so the user is told that
 * already-scheduled attempts may still wake up and be skipped later rather than cancelled now.
 */
export async function announceEndpointStopped(
  kind: "disabled" | "deleted",
  ref: { organizationId: string; endpointId: string },
): Promise<{ published: true } | { published: false; warning: string }> {
  try {
    await publishEndpointStopped(kind, ref);
    return { published: true };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    console.error(`endpoint/${kind} event for ${ref.endpointId} could not be published: ${reason}`);
    return {
      published: false,
      warning: `The endpoint was ${kind}, but pending deliveries could not be cancelled right away (${reason}). They will be skipped when they come due.`,
    };
  }
}
