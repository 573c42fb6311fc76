import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { sendEvent } from "@/lib/messages/send-event";
import { waitFor } from "@/tests/helpers/executor-harness";
import { contractCreated, orgWithEndpoint, PIPELINE_EXECUTOR, startDeliveryPipeline, type DeliveryPipeline } from "@/tests/helpers/delivery-harness";
import { startReceiver, type Receiver } from "@/tests/helpers/receiver";

/**
 * Retries follow the schedule entry by entry. The waits are unequal (1 s, 3 s, 2 s), so a wrong
 * index into the schedule (the next entry, the previous one, the first or the last for all) gives
 * gaps at the receiver at least a second off. A gap is never shorter than its entry (the wait
 * starts from the failed attempt); the upper bound leaves
 * room for the executor's poll and a loaded machine, and stays under the smallest difference
 * between two neighbouring entries plus that room.
 */
const WAITS_MS = [1_000, 3_000, 2_000];
/** Poll, the recording of the failure, and a loaded CI machine. */
const LATE_MS = PIPELINE_EXECUTOR.pollMs + 1_300;
/** Two timestamps of the same moment taken a little apart (the receiver's clock reading, the request's travel). */
const EARLY_MS = 50;

let pipeline: DeliveryPipeline;
let receiver: Receiver;

beforeAll(async () => {
  pipeline = await startDeliveryPipeline({ WEBHOOK_RETRY_SCHEDULE: WAITS_MS.map((ms) => `${ms}ms`).join(","), WEBHOOK_ATTEMPT_TIMEOUT_MS: "2000" });
  receiver = await startReceiver({ mode: { kind: "status", status: 503, body: "down" } });
}, 60_000);
afterAll(async () => {
  await receiver?.close();
  await pipeline?.close();
});

describe("retry timing with an unequal schedule", () => {
  it("waits each entry of WEBHOOK_RETRY_SCHEDULE in turn between the attempts the receiver sees, then stops", async () => {
    const { org } = await orgWithEndpoint(`${receiver.url}/hook`);
    const sent = await sendEvent({ id: org.id, webhooksEnabled: true }, contractCreated());
    if (!sent.ok) throw new Error(sent.message);
    const messageId = sent.message.id;

    const delivery = await waitFor(
      "the delivery to fail for good",
      async () => {
        const d = await db.delivery.findFirstOrThrow({ where: { messageId } });
        return d.status === "FAILED" ? d : undefined;
      },
      60_000,
    );
    expect(delivery.nextAttemptAt).toBeNull();
    const mine = receiver.requests.filter((r) => r.headers["webhook-id"] === messageId);
    expect(mine).toHaveLength(WAITS_MS.length + 1);

    const gaps = mine.slice(1).map((r, i) => Math.round(r.receivedAt - mine[i]!.receivedAt));
    gaps.forEach((gap, i) => {
      const wait = WAITS_MS[i]!;
      expect(gap, `gap before attempt ${i + 2} (schedule entry ${wait} ms; gaps ${gaps.join(", ")} ms)`).toBeGreaterThanOrEqual(wait - EARLY_MS);
      expect(gap, `gap before attempt ${i + 2} (schedule entry ${wait} ms; gaps ${gaps.join(", ")} ms)`).toBeLessThan(wait + LATE_MS);
    });

    // The attempts recorded say the same: each next attempt was planned one entry after the failure.
    const attempts = await db.attempt.findMany({ where: { messageId }, orderBy: { attemptNumber: "asc" } });
    expect(attempts.map((a) => a.attemptNumber)).toEqual([1, 2, 3, 4]);
    attempts.slice(1).forEach((a, i) => {
      expect(a.startedAt.getTime() - attempts[i]!.startedAt.getTime()).toBeGreaterThanOrEqual(WAITS_MS[i]! - EARLY_MS);
    });
  }, 90_000);
});
