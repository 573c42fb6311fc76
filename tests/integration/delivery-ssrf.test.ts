import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { sendEvent } from "@/lib/messages/send-event";
import { waitFor } from "@/tests/helpers/executor-harness";
import { contractCreated, orgWithEndpoint, startDeliveryPipeline, type DeliveryPipeline } from "@/tests/helpers/delivery-harness";
import { startReceiver, type Receiver } from "@/tests/helpers/receiver";

/**
 * The production setting: no internal address allowed (WEBHOOK_ALLOWED_CIDRS empty). Proven live
 * with loopback only; other ranges are covered by the guard's decision function without connecting.
 */
let pipeline: DeliveryPipeline;
let receiver: Receiver;

beforeAll(async () => {
  pipeline = await startDeliveryPipeline({ WEBHOOK_ALLOWED_CIDRS: "", WEBHOOK_RETRY_SCHEDULE: "1s" });
  receiver = await startReceiver();
}, 60_000);
afterAll(async () => {
  await receiver?.close();
  await pipeline?.close();
});

describe("request-forgery guard in the pipeline", () => {
  it("refuses a loopback target at connection time and records the refusal as the attempt's error", async () => {
    const { org } = await orgWithEndpoint(`${receiver.url}/hook`);
    const sent = await sendEvent({ id: org.id, webhooksEnabled: true }, contractCreated());
    if (!sent.ok) throw new Error(sent.message);
    const delivery = await waitFor(
      "delivery to fail",
      async () => {
        const d = await db.delivery.findFirstOrThrow({ where: { messageId: sent.message.id } });
        return d.status === "FAILED" ? d : undefined;
      },
      15_000,
    );
    expect(delivery.failureReason).toMatch(/Refused: the address is internal \(request-forgery protection\)/);
    const attempts = await db.attempt.findMany({ where: { messageId: sent.message.id }, orderBy: { attemptNumber: "asc" } });
    expect(attempts.map((a) => a.errorKind)).toEqual(["ssrf_blocked", "ssrf_blocked"]);
    expect(receiver.total).toBe(0);
  });
});
