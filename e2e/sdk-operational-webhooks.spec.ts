import { Webhook } from "svix";
import { expect, test } from "./fixtures";
import { apiFailure, createKey, startReceiver, svix } from "./sdk";

/**
 * Operational webhook endpoints through the official svix SDK (`svix.operationalWebhook.endpoint`),
 * with a platform key, and one operational event received and verified as a Svix customer would.
 * The operator endpoint listens to endpoint.created only and is deleted at the end: while it
 * exists it hears about every spec's endpoints.
 */
test.describe("operational webhooks through the svix SDK", () => {
  test("manages an operator endpoint and receives a signed endpoint.created about a customer's endpoint", async ({ data }) => {
    const receiver = await startReceiver();
    const client = svix(await createKey(data, null));
    const endpoints = client.operationalWebhook.endpoint;
    let id: string | null = null;
    try {
      const created = await endpoints.create({ url: receiver.url, uid: `ops-${Date.now()}`, description: "SDK operator", eventTypes: ["endpoint.created"], metadata: { team: "sre" } });
      id = created.id;
      expect(created).toMatchObject({ url: receiver.url, description: "SDK operator", eventTypes: ["endpoint.created"], disabled: false, metadata: { team: "sre" } });
      expect(created.createdAt).toBeInstanceOf(Date);
      expect((await endpoints.get(created.uid!)).id).toBe(id);
      expect((await endpoints.list({ limit: 250 })).data.map((e) => e.id)).toContain(id);

      const upserted = await endpoints.upsert(id, { url: receiver.url, description: "SDK operator, renamed", eventTypes: ["endpoint.created"] });
      expect(upserted).toMatchObject({ id, description: "SDK operator, renamed", uid: created.uid });
      await endpoints.setHeaders(id, { headers: { "X-Team": "sre" } });
      expect(await endpoints.getHeaders(id)).toEqual({ headers: { "X-Team": "sre" }, sensitive: [] });
      const before = (await endpoints.getSecret(id)).key;
      await endpoints.rotateSecret(id, {});
      const secret = (await endpoints.getSecret(id)).key;
      expect(secret).not.toBe(before);

      // A customer's new endpoint: the operator endpoint is told, signed with its own secret.
      const org = await data.createOrg({ webhooksEnabled: true });
      const customer = await svix(await createKey(data, org.id)).endpoint.create(org.slug, { url: `${receiver.url}/customer`, eventTypes: ["contract.created"] });
      await expect
        .poll(() => receiver.received.filter((r) => r.body.includes(customer.id)).length, { timeout: 30_000 })
        .toBe(1);
      const request = receiver.received.find((r) => r.body.includes(customer.id))!;
      expect(request.headers["x-team"]).toBe("sre");
      expect(() => new Webhook(secret).verify(request.body, request.headers)).not.toThrow();
      expect(() => new Webhook(before).verify(request.body, request.headers)).not.toThrow();
      expect(JSON.parse(request.body)).toEqual({
        type: "endpoint.created",
        data: { appId: org.id, appUid: org.slug, endpointId: customer.id, endpointUid: null },
      });

      const orgKeyFailure = await apiFailure(svix(await createKey(data, org.id)).operationalWebhook.endpoint.list());
      expect(orgKeyFailure.code).toBe(403);
      const invalid = await apiFailure(endpoints.create({ url: "not a url", eventTypes: ["contract.created"] }));
      expect(invalid.code).toBe(422);
      expect(invalid.body.detail).toEqual(expect.arrayContaining([expect.objectContaining({ loc: ["body", "url"] }), expect.objectContaining({ loc: ["body", "eventTypes", 0] })]));

      await endpoints.delete(id);
      id = null;
      expect((await apiFailure(endpoints.get(created.id))).code).toBe(404);
    } finally {
      if (id) await endpoints.delete(id).catch(() => {});
      await receiver.close();
    }
  });
});
