import { describe, expect, it } from "vitest";
import { GET, POST } from "@/app/test-receiver/[token]/route";
import { db } from "@/lib/db";
import { signatureHeaders, unixSeconds } from "@/lib/delivery/sign";
import { activeSigningSecrets } from "@/lib/endpoints/secrets";
import { createTestReceiver, listTestReceiverRequests, testReceiverPath } from "@/lib/test-receiver/receivers";
import { orgWithEndpoint } from "@/tests/helpers/delivery-harness";
import { setTestEncryptionKey } from "@/tests/helpers/webhooks-factories";

setTestEncryptionKey();

async function receiverWithEndpoint() {
  const { org, endpointId } = await orgWithEndpoint("http://127.0.0.1:3000/placeholder");
  const receiver = await createTestReceiver(org.id, "Test receiver");
  await db.endpoint.update({ where: { id: endpointId }, data: { url: `http://127.0.0.1:3000${testReceiverPath(receiver.token)}` } });
  return { receiver, secrets: await activeSigningSecrets(endpointId) };
}

function post(token: string, body: string, headers: Readonly<Record<string, string>> | object) {
  return POST(new Request(`http://127.0.0.1:3000${testReceiverPath(token)}`, { method: "POST", body, headers: { "content-type": "application/json", ...(headers as Record<string, string>) } }), {
    params: Promise.resolve({ token }),
  });
}

describe("built-in test receiver", () => {
  it("accepts a signed webhook, verifies it with the pointing endpoint's secret and records it", async () => {
    const { receiver, secrets } = await receiverWithEndpoint();
    const body = JSON.stringify({ hello: "world" });
    const headers = signatureHeaders({ messageId: "msg_test1", timestamp: unixSeconds(), body: new TextEncoder().encode(body), secrets });
    const response = await post(receiver.token, body, headers);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ received: true, signature: "verified" });
    const [stored] = await listTestReceiverRequests(receiver.id);
    expect(stored).toMatchObject({ webhookId: "msg_test1", body, signatureStatus: "verified", bodyTruncated: false });
  });

  it("flags a forged signature and an unsigned request", async () => {
    const { receiver } = await receiverWithEndpoint();
    const body = "{}";
    const forged = signatureHeaders({ messageId: "msg_x", timestamp: unixSeconds(), body: new TextEncoder().encode(body), secrets: ["whsec_" + Buffer.alloc(32, 7).toString("base64")] });
    expect(await (await post(receiver.token, body, forged)).json()).toMatchObject({ signature: "invalid" });
    expect(await (await post(receiver.token, body, {})).json()).toMatchObject({ signature: "unsigned" });
  });

  it("answers 404 for an unknown address and 405 for anything but POST", async () => {
    expect((await post("no-such-token", "{}", {})).status).toBe(404);
    expect(GET().status).toBe(405);
  });
});
