import { afterAll, beforeAll } from "vitest";
import { createApiKey } from "@/lib/api-keys/manage";
import { db } from "@/lib/db";
import { sendEvent } from "@/lib/messages/send-event";
import { contractCreated, orgWithEndpoint, PIPELINE_EXECUTOR, startDeliveryPipeline, type DeliveryPipeline } from "@/tests/helpers/delivery-harness";
import { waitFor } from "@/tests/helpers/executor-harness";
import { startReceiver, type Receiver } from "@/tests/helpers/receiver";

/**
 * The API's recovery tests (recover, replay-missing, resend, background tasks) on the whole
 * delivery pipeline: fast retries, small recovery batches, real receivers on 127.0.0.1.
 */

const WAIT_MS = 500;
const ATTEMPT_TIMEOUT_MS = 3_000;
/** How long a round of deliveries may take on a loaded machine. */
export const RECOVERY_BOUND_MS = 6 * (WAIT_MS + PIPELINE_EXECUTOR.pollMs + ATTEMPT_TIMEOUT_MS);

/** Starts the pipeline before the file's tests and closes it, with every receiver, after them. */
export function startRecoveryPipeline() {
  let pipeline: DeliveryPipeline | undefined;
  const receivers: Receiver[] = [];
  beforeAll(async () => {
    pipeline = await startDeliveryPipeline({ WEBHOOK_RETRY_SCHEDULE: `${WAIT_MS}ms`, WEBHOOK_ATTEMPT_TIMEOUT_MS: String(ATTEMPT_TIMEOUT_MS), RECOVERY_BATCH_SIZE: "2", RECOVERY_PARALLEL: "1" });
  }, 60_000);
  afterAll(async () => {
    await Promise.all(receivers.map((r) => r.close()));
    await pipeline?.close();
  });

  /** An organization with an API key ("ops"), an endpoint whose receiver was down for `failedCount` messages (eventIds `evt-1`…), and is up again. */
  async function orgWithFailedDeliveries(failedCount = 2) {
    const r = await startReceiver({ mode: { kind: "status", status: 503 } });
    receivers.push(r);
    const { org, endpointId, actor } = await orgWithEndpoint(`${r.url}/hook`);
    const { key } = await createApiKey({ name: "ops", scope: "ORGANIZATION", organizationId: org.id, createdById: actor.id });
    const failed: string[] = [];
    for (let i = 0; i < failedCount; i++) {
      const sent = await sendEvent({ id: org.id, webhooksEnabled: true }, { ...contractCreated(i + 1), eventId: `evt-${i + 1}` });
      if (!sent.ok) throw new Error(sent.message);
      failed.push(sent.message.id);
    }
    await waitFor("deliveries to fail", async () => ((await db.delivery.count({ where: { messageId: { in: failed }, status: "FAILED" } })) === failedCount ? true : undefined), RECOVERY_BOUND_MS);
    r.setMode({ kind: "status", status: 200 });
    r.reset();
    return { r, org, endpointId, actor, key, failed };
  }

  return { orgWithFailedDeliveries };
}
