import http from "node:http";
import type { AddressInfo } from "node:net";
import { Svix } from "svix";
import { SEED_CATALOG } from "../lib/catalog/seed-catalog";
import { expect, test } from "./fixtures";
import { apiFailure, createKey, serverUrl } from "./sdk";

/**
 * Content expunge with the official svix SDK as the only client, its default retries on (a DELETE
 * repeated by a retry is harmless: expunging twice changes nothing).
 */

const payload = SEED_CATALOG.find((t) => t.name === "contract.created")!.examples[0]!.payload as Record<string, unknown>;

/** A receiver that answers 200 with personal data in its body. */
async function answeringReceiver() {
  const server = http.createServer((req, res) => {
    req.resume();
    req.on("end", () => res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ customer: "jane.doe@example.test" })));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

test.describe("content expunge through the svix SDK", () => {
  test("message.expungeContent and messageAttempt.expungeContent remove the payload and the answer, as Svix shows them, and refuse other organizations", async ({ data }) => {
    test.setTimeout(60_000);
    const receiver = await answeringReceiver();
    try {
      const org = await data.createOrg({ webhooksEnabled: true });
      const client = new Svix(await createKey(data, org.id), { serverUrl: serverUrl() });
      const stranger = new Svix(await createKey(data, (await data.createOrg({ webhooksEnabled: true })).id), { serverUrl: serverUrl() });
      const endpoint = await client.endpoint.create(org.slug, { url: receiver.url, eventTypes: ["contract.created"] });
      const message = await client.message.create(org.slug, { eventType: "contract.created", payload: { ...payload, email: "jane.doe@example.test" } });
      await expect.poll(async () => (await client.messageAttempt.listByMsg(org.slug, message.id, { withContent: true })).data.length, { timeout: 30_000 }).toBe(1);
      const [attempt] = (await client.messageAttempt.listByMsg(org.slug, message.id, { withContent: true })).data;
      expect(attempt!.response).toContain("jane.doe@example.test");

      // Another organization's key is refused, and nothing changes.
      expect((await apiFailure(stranger.message.expungeContent(org.slug, message.id))).code).toBe(403);
      expect((await apiFailure(stranger.messageAttempt.expungeContent(org.slug, message.id, attempt!.id))).code).toBe(403);
      expect((await client.message.get(org.slug, message.id, { withContent: true })).payload).toMatchObject({ email: "jane.doe@example.test" });

      // The attempt's answer: Svix's `EXPUNGED`; twice is the same.
      await client.messageAttempt.expungeContent(org.slug, message.id, attempt!.id);
      await client.messageAttempt.expungeContent(org.slug, message.id, attempt!.id);
      expect(await client.messageAttempt.get(org.slug, message.id, attempt!.id)).toMatchObject({ response: "EXPUNGED", responseStatusCode: 200 });

      // The payload: Svix's `{"expired":true}`, by id and by the list; twice is the same.
      await client.message.expungeContent(org.slug, message.id);
      await client.message.expungeContent(org.slug, message.id);
      expect((await client.message.get(org.slug, message.id, { withContent: true })).payload).toEqual({ expired: true });
      expect((await client.message.list(org.slug, { withContent: true })).data.map((m) => m.payload)).toEqual([{ expired: true }]);

      // Resending it is refused with Svix's code.
      const refused = await apiFailure(client.messageAttempt.resend(org.slug, message.id, endpoint.id));
      expect(refused.code).toBe(400);
      expect(refused.body).toMatchObject({ code: "missing_payload", detail: expect.stringContaining("expunged") });

      // Unknown and malformed ids: 404 in Svix's { code, detail } shape.
      const unknown = await apiFailure(client.message.expungeContent(org.slug, "msg_0000000000000000000000"));
      expect([unknown.code, unknown.body.code]).toEqual([404, "not_found"]);
      const malformed = await apiFailure(client.messageAttempt.expungeContent(org.slug, message.id, "atmpt_not-an-attempt"));
      expect([malformed.code, malformed.body.code]).toEqual([404, "not_found"]);
    } finally {
      await receiver.close();
    }
  });
});
