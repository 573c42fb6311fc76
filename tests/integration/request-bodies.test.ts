import { describe, expect, it } from "vitest";
import { POST as receive } from "@/app/test-receiver/[token]/route";
import { POST as createMessage } from "@/app/api/v1/app/[app_id]/msg/route";
import { createApiKey } from "@/lib/api-keys/manage";
import { createTestReceiver, listTestReceiverRequests, MAX_BODY_BYTES, testReceiverPath } from "@/lib/test-receiver/receivers";
import { MAX_MESSAGE_BYTES } from "@/lib/validations/message";
import { createOrg, createUser } from "@/tests/helpers/factories";
import { setTestEncryptionKey } from "@/tests/helpers/webhooks-factories";

setTestEncryptionKey();

const CHUNK = 64 * 1024;

/**
 * A request body produced on demand, as a slow client's upload arrives: `pulled` says how much
 * of it the server asked for. A reader that buffers the whole body pulls all of it.
 */
function upload(totalBytes: number) {
  const state = { pulled: 0 };
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (state.pulled >= totalBytes) return controller.close();
      const size = Math.min(CHUNK, totalBytes - state.pulled);
      state.pulled += size;
      controller.enqueue(new Uint8Array(size).fill(0x61));
    },
    // Nothing is produced ahead of a read.
  }, { highWaterMark: 0 });
  return { body, state };
}

describe("request bodies are read with a cap", () => {
  it("a 50 MB POST to a test receiver is answered after reading only the part it shows", async () => {
    const org = await createOrg();
    const receiver = await createTestReceiver(org.id, "big bodies");
    const { body, state } = upload(50 * 1024 * 1024);
    const request = new Request(`http://127.0.0.1${testReceiverPath(receiver.token)}`, { method: "POST", body, duplex: "half" } as RequestInit);
    const response = await receive(request, { params: Promise.resolve({ token: receiver.token }) });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ received: true, signature: "invalid" });
    // The cap and the one chunk that crossed it: nowhere near the 50 MB sent.
    expect(state.pulled).toBeLessThanOrEqual(MAX_BODY_BYTES + CHUNK);
    const [stored] = await listTestReceiverRequests(receiver.id);
    expect(stored).toMatchObject({ bodyTruncated: true });
    expect(stored!.body).toBe("a".repeat(MAX_BODY_BYTES));
  });

  it("the message API answers 413 to a Content-Length above the cap without reading the body", async () => {
    const org = await createOrg({ webhooksEnabled: true });
    const user = await createUser();
    const { key } = await createApiKey({ name: "big", scope: "ORGANIZATION", organizationId: org.id, createdById: user.id });
    const { body, state } = upload(MAX_MESSAGE_BYTES + 1);
    const request = new Request(`http://127.0.0.1/api/v1/app/${org.slug}/msg`, {
      method: "POST",
      body,
      duplex: "half",
      headers: { authorization: `Bearer ${key}`, "content-type": "application/json", "content-length": String(MAX_MESSAGE_BYTES + 1) },
    } as RequestInit);
    const response = await createMessage(request, { params: Promise.resolve({ app: org.slug }) });
    expect(response.status).toBe(413);
    expect(await response.json()).toMatchObject({ code: "payload_too_large", limitBytes: MAX_MESSAGE_BYTES });
    expect(state.pulled).toBe(0);
  });

  it("the message API stops reading a body without Content-Length as soon as it passes the cap", async () => {
    const org = await createOrg({ webhooksEnabled: true });
    const user = await createUser();
    const { key } = await createApiKey({ name: "big", scope: "ORGANIZATION", organizationId: org.id, createdById: user.id });
    const { body, state } = upload(50 * 1024 * 1024);
    const request = new Request(`http://127.0.0.1/api/v1/app/${org.slug}/msg`, {
      method: "POST",
      body,
      duplex: "half",
      headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
    } as RequestInit);
    const response = await createMessage(request, { params: Promise.resolve({ app: org.slug }) });
    expect(response.status).toBe(413);
    expect(state.pulled).toBeLessThanOrEqual(MAX_MESSAGE_BYTES + CHUNK);
  });
});
