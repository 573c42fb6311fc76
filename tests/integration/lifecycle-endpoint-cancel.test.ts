import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as endpointRoute from "@/app/api/v1/app/[app_id]/endpoint/[endpoint_id]/route";
import * as messagesRoute from "@/app/api/v1/app/[app_id]/msg/route";
import { db } from "@/lib/db";
import { callRoute, organizationKey } from "@/tests/helpers/api-v1";
import { contractCreated, orgWithEndpoint, PIPELINE_EXECUTOR, startDeliveryPipeline, type DeliveryPipeline } from "@/tests/helpers/delivery-harness";
import { waitFor } from "@/tests/helpers/executor-harness";
import { startReceiver, type Receiver } from "@/tests/helpers/receiver";
import { createEndpoint } from "@/lib/endpoints/endpoints";
import { endpointConfigSchema } from "@/lib/validations/endpoint";

/**
 * Disabling or deleting an endpoint through the API while one of its deliveries waits on the retry
 * schedule, with the real embedded executor driving the real deliver-message function (no
 * stand-in): the run ends CANCELLED in the executor's own table and the receiver never hears again.
 */

/** Long enough that the API call surely lands inside the wait on a loaded machine. */
const RETRY_WAIT_MS = 5_000;
const ATTEMPT_TIMEOUT_MS = 3_000;
const ATTEMPT_BOUND_MS = RETRY_WAIT_MS + PIPELINE_EXECUTOR.pollMs + ATTEMPT_TIMEOUT_MS;

let pipeline: DeliveryPipeline;
const receivers: Receiver[] = [];

beforeAll(async () => {
  pipeline = await startDeliveryPipeline({
    WEBHOOK_RETRY_SCHEDULE: `${RETRY_WAIT_MS}ms,${RETRY_WAIT_MS}ms`,
    WEBHOOK_ATTEMPT_TIMEOUT_MS: String(ATTEMPT_TIMEOUT_MS),
  });
}, 60_000);
afterAll(async () => {
  await Promise.all(receivers.map((r) => r.close()));
  await pipeline?.close();
});

async function receiver(status: number) {
  const r = await startReceiver({ mode: { kind: "status", status } });
  receivers.push(r);
  return r;
}

interface DeliveryRun {
  id: string;
  status: string;
  wake_at: Date | null;
}

/** The executor's deliver-message run for one message (its event carries the message id). */
async function runOf(messageId: string): Promise<DeliveryRun | undefined> {
  const { rows } = await pipeline.database.pool.query<DeliveryRun>(
    `SELECT r.id, r.status, r.wake_at FROM executor_runs r JOIN executor_events e ON e.id = r.event_id
      WHERE r.function_id LIKE '%deliver-message' AND e.data->>'messageId' = $1`,
    [messageId],
  );
  if (rows.length > 1) throw new Error(`${rows.length} delivery runs for one message`);
  return rows[0];
}

async function sendThroughApi(slug: string, key: string, n: number): Promise<string> {
  const response = await callRoute(messagesRoute, "POST", `/api/v1/app/${slug}/msg`, key, contractCreated(n));
  expect(response.status).toBe(202);
  return ((await response.json()) as { id: string }).id;
}

const stops = [
  {
    name: "PATCH disabled: true",
    reason: "endpoint disabled",
    call: (slug: string, id: string, key: string) => callRoute(endpointRoute, "PATCH", `/api/v1/app/${slug}/endpoint/${id}`, key, { disabled: true }),
    status: 200,
  },
  {
    name: "DELETE",
    reason: "endpoint deleted",
    call: (slug: string, id: string, key: string) => callRoute(endpointRoute, "DELETE", `/api/v1/app/${slug}/endpoint/${id}`, key),
    status: 204,
  },
] as const;

describe("an endpoint stopped through the API while a delivery waits to retry", () => {
  it.each(stops)(
    "$name: the executor's run ends CANCELLED and the receiver gets nothing more, past the attempt's due time",
    async ({ call, status, reason }) => {
      const failing = await receiver(503);
      const marker = await receiver(200);
      const { org, endpointId, actor } = await orgWithEndpoint(`${failing.url}/hook`);
      // A second endpoint of the same organization: the barrier's message goes there.
      const other = await createEndpoint(org.id, endpointConfigSchema.parse({ url: `${marker.url}/hook`, eventTypes: ["contract.created"], rateLimit: "" }), actor);
      if (!other.ok) throw new Error(other.message);
      const key = await organizationKey(org.id);

      const messageId = await sendThroughApi(org.slug, key, 1);
      await failing.waitForRequests(1, ATTEMPT_BOUND_MS);
      // Attempt 1 is recorded and the run sleeps on the schedule: the delivery is pending, not in flight.
      const sleeping = await waitFor("the run to sleep until attempt 2", async () => {
        const run = await runOf(messageId);
        return run?.status === "SLEEPING" && run.wake_at ? run : undefined;
      }, ATTEMPT_BOUND_MS);
      expect(await db.delivery.findFirstOrThrow({ where: { messageId, endpointId } })).toMatchObject({ status: "PENDING", attemptCount: 1 });
      expect(failing.total).toBe(1);
      expect(sleeping.wake_at!.getTime()).toBeGreaterThan(Date.now());

      const response = await call(org.slug, endpointId, key);
      expect(response.status).toBe(status);

      const cancelled = await waitFor("the run to end", async () => {
        const run = await runOf(messageId);
        return run && ["COMPLETED", "FAILED", "CANCELLED"].includes(run.status) ? run : undefined;
      }, ATTEMPT_BOUND_MS);
      expect(cancelled.status).toBe("CANCELLED");
      expect(await db.delivery.findFirstOrThrow({ where: { messageId, endpointId } })).toMatchObject({ status: "FAILED", failureReason: reason, nextAttemptAt: null });

      // Barrier: once attempt 2's due time has passed, a message sent to the other endpoint
      // arrives only after the executor's passes that would have made attempt 2.
      await waitFor("attempt 2's due time to pass", async () => Date.now() > sleeping.wake_at!.getTime() + PIPELINE_EXECUTOR.pollMs, ATTEMPT_BOUND_MS, 50);
      const markerId = await sendThroughApi(org.slug, key, 2);
      await waitFor("the marker to arrive", async () => marker.requests.some((q) => q.headers["webhook-id"] === markerId), ATTEMPT_BOUND_MS, 50);

      expect(failing.total).toBe(1);
      expect(await db.attempt.count({ where: { messageId, endpointId } })).toBe(1);
      // The stopped endpoint got no delivery of the marker either.
      expect(await db.delivery.count({ where: { messageId: markerId, endpointId } })).toBe(0);
      expect((await runOf(messageId))?.status).toBe("CANCELLED");
    },
    60_000,
  );
});
