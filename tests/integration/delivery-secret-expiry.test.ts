import { Webhook, WebhookVerificationError } from "svix";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { rotateEndpointSecret } from "@/lib/endpoints/endpoints";
import { activeSigningSecrets } from "@/lib/endpoints/secrets";
import { sendEvent } from "@/lib/messages/send-event";
import { contractCreated, orgWithEndpoint, PIPELINE_EXECUTOR, startDeliveryPipeline, type DeliveryPipeline } from "@/tests/helpers/delivery-harness";
import { waitFor } from "@/tests/helpers/executor-harness";
import { startReceiver, type ReceivedRequest, type Receiver } from "@/tests/helpers/receiver";

/**
 * A rotated-out secret stops signing when its grace period ends, on real deliveries: the secrets an
 * attempt signs with are chosen by the delivery path's own query at the attempt's time. The grace
 * (24 h) is ended by moving the stored expiry of the previous secret into the past, the state the
 * product reaches when the grace runs out; nothing in the product's clock is replaced. Receivers
 * verify with Svix's own library.
 */

const WAIT_MS = 1_000;
const ATTEMPT_TIMEOUT_MS = 10_000;
/** The longest one attempt can take to come due, be claimed and be answered. */
const ATTEMPT_BOUND_MS = WAIT_MS + PIPELINE_EXECUTOR.pollMs + ATTEMPT_TIMEOUT_MS;

let pipeline: DeliveryPipeline;
let receiver: Receiver;

beforeAll(async () => {
  pipeline = await startDeliveryPipeline({ WEBHOOK_RETRY_SCHEDULE: `${WAIT_MS}ms`, WEBHOOK_ATTEMPT_TIMEOUT_MS: String(ATTEMPT_TIMEOUT_MS) });
}, 60_000);
afterAll(async () => {
  await receiver?.close();
  await pipeline?.close();
});

const headersOf = (request: ReceivedRequest) => Object.fromEntries(Object.entries(request.headers).map(([k, v]) => [k, String(v)]));

function verifies(secret: string, request: ReceivedRequest): boolean {
  try {
    new Webhook(secret).verify(request.body.toString("utf8"), headersOf(request));
    return true;
  } catch (error) {
    if (error instanceof WebhookVerificationError) return false;
    throw error;
  }
}

async function send(org: { id: string }, n: number) {
  const sent = await sendEvent({ id: org.id, webhooksEnabled: true }, contractCreated(n));
  if (!sent.ok) throw new Error(sent.message);
  return sent.message.id;
}

describe("a rotated secret on the wire", () => {
  it("signs alongside the new one during the grace period and stops at its end, even for a message already in flight", async () => {
    // The first request is held open until the grace has ended, then answered 500: its retry is
    // made after the end, so the same message shows both sides of it.
    receiver = await startReceiver({ mode: { kind: "sequence", modes: [{ kind: "hold" }, { kind: "status", status: 200 }] } });
    const { org, endpointId, actor } = await orgWithEndpoint(`${receiver.url}/hook`);
    const [oldSecret] = await activeSigningSecrets(endpointId);
    const rotated = await rotateEndpointSecret(org.id, endpointId, actor);
    if (!rotated.ok) throw new Error(rotated.message);
    const [newSecret] = await activeSigningSecrets(endpointId);
    expect(newSecret).not.toBe(oldSecret);

    const inFlight = await send(org, 1);
    const [during] = await receiver.waitForRequests(1, ATTEMPT_BOUND_MS);
    expect(during!.headers["webhook-id"]).toBe(inFlight);
    expect(String(during!.headers["webhook-signature"]).split(" ")).toHaveLength(2);
    expect({ old: verifies(oldSecret!, during!), new: verifies(newSecret!, during!) }).toEqual({ old: true, new: true });

    // The grace ends now, between the first attempt and its retry: the previous secret's stored
    // expiry, set by the rotation, is moved to this moment. After the message was created, so a
    // retry choosing secrets by the message's time instead of its own would still sign with it.
    const end = new Date();
    const message = await db.message.findUniqueOrThrow({ where: { id: inFlight }, select: { createdAt: true } });
    expect(end.getTime()).toBeGreaterThan(message.createdAt.getTime());
    const ended = await db.endpointSecret.updateMany({ where: { endpointId, expiresAt: rotated.previousExpiresAt }, data: { expiresAt: end } });
    expect(ended.count).toBe(1);
    expect(receiver.release({ kind: "status", status: 500 })).toBe(1);

    const [, retry] = await receiver.waitForRequests(2, ATTEMPT_BOUND_MS);
    expect(retry!.headers["webhook-id"]).toBe(inFlight);
    expect(String(retry!.headers["webhook-signature"]).split(" ")).toHaveLength(1);
    expect({ old: verifies(oldSecret!, retry!), new: verifies(newSecret!, retry!) }).toEqual({ old: false, new: true });

    // A message sent after the end is signed by the new secret alone from its first attempt.
    const after = await send(org, 2);
    const [, , fresh] = await receiver.waitForRequests(3, ATTEMPT_BOUND_MS);
    expect(fresh!.headers["webhook-id"]).toBe(after);
    expect(String(fresh!.headers["webhook-signature"]).split(" ")).toHaveLength(1);
    expect({ old: verifies(oldSecret!, fresh!), new: verifies(newSecret!, fresh!) }).toEqual({ old: false, new: true });

    const finished = (messageId: string) => async () => {
      const d = await db.delivery.findFirstOrThrow({ where: { messageId } });
      return d.status === "SUCCEEDED" ? d : undefined;
    };
    await waitFor("the in-flight message to succeed", finished(inFlight), ATTEMPT_BOUND_MS);
    await waitFor("the later message to succeed", finished(after), ATTEMPT_BOUND_MS);
  });
});
