import { Webhook, type Svix } from "svix";
import { SEED_CATALOG } from "../lib/catalog/seed-catalog";
import { expect, test } from "./fixtures";
import { apiFailure, createKey, startReceiver, svix, type ReceivedWebhook } from "./sdk";

/**
 * The Endpoint calls driven by the official svix SDK only, against the running app and a real
 * receiver on 127.0.0.1: configuration, headers, signed deliveries across a secret rotation,
 * stats, send-example, recover and replay-missing, and every refusal as the SDK's ApiException.
 */

const EVENT_TYPE = "contract.created";
const payload = SEED_CATALOG.find((t) => t.name === EVENT_TYPE)!.examples[0]!.payload;
const DELIVERY_MS = 30_000;

/** Sends an event and waits until the receiver has it; returns the message id. */
async function send(client: Svix, app: string) {
  const message = await client.message.create(app, { eventType: EVENT_TYPE, payload });
  return message.id;
}

const verifies = (secret: string, request: ReceivedWebhook) => {
  try {
    new Webhook(secret).verify(request.body, request.headers);
    return true;
  } catch {
    return false;
  }
};

test.describe("endpoints through the svix SDK", () => {
  test("configuration by id and uid, headers, signed deliveries across a secret rotation, stats and send-example", async ({ data }) => {
    test.setTimeout(120_000);
    const receiver = await startReceiver();
    try {
      const org = await data.createOrg({ webhooksEnabled: true });
      const client = svix(await createKey(data, org.id));

      const created = await client.endpoint.create(org.slug, {
        url: receiver.url,
        uid: "billing",
        description: "billing",
        eventTypes: [EVENT_TYPE],
        metadata: { team: "billing" },
        headers: { "X-Team": "billing" },
      });
      expect(created).toMatchObject({ uid: "billing", url: receiver.url, description: "billing", eventTypes: [EVENT_TYPE], metadata: { team: "billing" }, disabled: false, throttleRate: null });
      expect(created.id).toMatch(/^ep_/);
      expect(created.createdAt).toBeInstanceOf(Date);
      expect((await client.endpoint.get(org.slug, "billing")).id).toBe(created.id);
      expect((await client.endpoint.list(org.slug)).data.map((e) => e.id)).toEqual([created.id]);

      const upserted = await client.endpoint.upsert(org.slug, "billing", { url: receiver.url, description: "billing v2", eventTypes: [EVENT_TYPE, "offer.accepted"] });
      expect(upserted).toMatchObject({ id: created.id, description: "billing v2", eventTypes: [EVENT_TYPE, "offer.accepted"], metadata: { team: "billing" } });
      const patched = await client.endpoint.patch(org.slug, created.id, { throttleRate: 50, eventTypes: [EVENT_TYPE] });
      expect(patched).toMatchObject({ throttleRate: 50, eventTypes: [EVENT_TYPE], description: "billing v2", uid: "billing" });

      expect(await client.endpoint.getHeaders(org.slug, "billing")).toEqual({ headers: { "X-Team": "billing" }, sensitive: [] });
      await client.endpoint.setHeaders(org.slug, "billing", { headers: { "X-Team": "payments", "X-Env": "e2e" } });
      await client.endpoint.patchHeaders(org.slug, "billing", { headers: { "X-Trace": "on" }, deleteHeaders: ["x-env"] });
      expect((await client.endpoint.getHeaders(org.slug, "billing")).headers).toEqual({ "X-Team": "payments", "X-Trace": "on" });

      // A delivery verifies with the secret the SDK reads, and carries the custom headers.
      const { key: firstSecret } = await client.endpoint.getSecret(org.slug, "billing");
      expect(firstSecret).toMatch(/^whsec_/);
      const first = await send(client, org.slug);
      await expect.poll(() => receiver.of(first).length, { timeout: DELIVERY_MS }).toBe(1);
      const firstRequest = receiver.of(first)[0]!;
      expect(firstRequest.headers["x-team"]).toBe("payments");
      expect(verifies(firstSecret, firstRequest)).toBe(true);

      // Rotated: the new secret verifies, and the old one still does during the grace period (both signatures are sent).
      await client.endpoint.rotateSecret(org.slug, created.id, {});
      const { key: secondSecret } = await client.endpoint.getSecret(org.slug, created.id);
      expect(secondSecret).not.toBe(firstSecret);
      const second = await send(client, org.slug);
      await expect.poll(() => receiver.of(second).length, { timeout: DELIVERY_MS }).toBe(1);
      const secondRequest = receiver.of(second)[0]!;
      expect(secondRequest.headers["webhook-signature"]!.split(" ")).toHaveLength(2);
      expect(verifies(secondSecret, secondRequest)).toBe(true);
      expect(verifies(firstSecret, secondRequest)).toBe(true);
      expect(verifies(`whsec_${Buffer.alloc(32, 9).toString("base64")}`, secondRequest)).toBe(false);

      // A secret the client chooses.
      const chosen = `whsec_${Buffer.alloc(32, 5).toString("base64")}`;
      await client.endpoint.rotateSecret(org.slug, created.id, { key: chosen });
      expect((await client.endpoint.getSecret(org.slug, created.id)).key).toBe(chosen);

      await expect.poll(async () => (await client.endpoint.getStats(org.slug, "billing")).success, { timeout: DELIVERY_MS }).toBe(2);
      expect(await client.endpoint.getStats(org.slug, "billing", { since: new Date(Date.now() + 60_000) })).toEqual({ success: 0, pending: 0, sending: 0, fail: 0, canceled: 0 });

      // send-example: the catalog's example, to this endpoint only, signed with the current secret.
      const example = await client.endpoint.sendExample(org.slug, "billing", { eventType: EVENT_TYPE });
      expect(example).toMatchObject({ eventType: EVENT_TYPE, payload });
      await expect.poll(() => receiver.of(example.id).length, { timeout: DELIVERY_MS }).toBe(1);
      expect(verifies(chosen, receiver.of(example.id)[0]!)).toBe(true);
      expect(JSON.parse(receiver.of(example.id)[0]!.body)).toEqual(payload);

      const attempted = await client.messageAttempt.listAttemptedMessages(org.slug, "billing", { withContent: true });
      expect(attempted.data.map((m) => m.id)).toEqual([example.id, second, first]);
      expect(attempted.data[1]).toMatchObject({ statusText: "success", eventType: EVENT_TYPE, payload });

      await client.endpoint.delete(org.slug, "billing");
      expect((await apiFailure(client.endpoint.get(org.slug, created.id))).code).toBe(404);
    } finally {
      await receiver.close();
    }
  });

  test("recover and replay-missing run as background tasks", async ({ data }) => {
    test.setTimeout(150_000);
    const receiver = await startReceiver();
    try {
      const org = await data.createOrg({ webhooksEnabled: true });
      const client = svix(await createKey(data, org.id));
      const endpoint = await client.endpoint.create(org.slug, { url: receiver.url, eventTypes: [EVENT_TYPE], uid: "ops" });
      const since = new Date(Date.now() - 60_000);

      // The receiver is down; disabling the endpoint ends the deliveries failed.
      receiver.state.status = 500;
      const failed = [await send(client, org.slug), await send(client, org.slug)];
      await expect.poll(() => failed.every((id) => receiver.of(id).length >= 1), { timeout: DELIVERY_MS }).toBe(true);
      await client.endpoint.patch(org.slug, "ops", { disabled: true });
      expect((await apiFailure(client.endpoint.recover(org.slug, "ops", { since }))).code).toBe(409);
      // Sent while disabled: never attempted for it.
      const missed = await send(client, org.slug);
      await client.endpoint.patch(org.slug, "ops", { disabled: false });
      receiver.state.status = 200;
      await expect.poll(async () => (await client.endpoint.getStats(org.slug, "ops")).fail, { timeout: DELIVERY_MS }).toBe(2);

      const before = failed.map((id) => receiver.of(id).length);
      const recovering = await client.endpoint.recover(org.slug, endpoint.id, { since });
      expect(recovering).toMatchObject({ status: "running", task: "endpoint.recover" });
      expect(recovering.id).toMatch(/^qtask_/);
      await expect.poll(async () => (await client.backgroundTask.get(recovering.id)).status, { timeout: DELIVERY_MS }).toBe("finished");
      expect(failed.map((id) => receiver.of(id).length)).toEqual(before.map((n) => n + 1));
      expect(receiver.of(missed)).toHaveLength(0);

      const replaying = await client.endpoint.replayMissing(org.slug, "ops", { since, until: new Date(Date.now() + 1_000) });
      expect(replaying).toMatchObject({ status: "running", task: "endpoint.replay" });
      await expect.poll(async () => (await client.backgroundTask.get(replaying.id)).status, { timeout: DELIVERY_MS }).toBe("finished");
      // A replayed message is delivered by its new delivery's normal schedule, after the task ends.
      await expect.poll(() => receiver.of(missed).length, { timeout: DELIVERY_MS }).toBe(1);
      const { key: secret } = await client.endpoint.getSecret(org.slug, "ops");
      expect(verifies(secret, receiver.of(missed)[0]!)).toBe(true);
    } finally {
      await receiver.close();
    }
  });

  test("every refusal is an ApiException with the right status and code", async ({ data }) => {
    const org = await data.createOrg({ webhooksEnabled: true });
    const other = await data.createOrg({ webhooksEnabled: true });
    const client = svix(await createKey(data, org.id));
    const otherClient = svix(await createKey(data, other.id));
    const mine = await client.endpoint.create(org.slug, { url: "http://127.0.0.1:9/hook", eventTypes: [EVENT_TYPE], uid: "mine" });
    const theirs = await otherClient.endpoint.create(other.slug, { url: "http://127.0.0.1:9/hook", eventTypes: [EVENT_TYPE], uid: "theirs" });

    const noFilter = await apiFailure(client.endpoint.create(org.slug, { url: "http://127.0.0.1:9/x" }));
    expect(noFilter.code).toBe(422);
    expect(noFilter.body).toMatchObject({ code: "invalid_body", detail: [{ loc: ["body", "eventTypes"], msg: expect.stringMatching(/Choose at least one event type/) }] });
    const badUrl = await apiFailure(client.endpoint.create(org.slug, { url: "ftp://127.0.0.1/x", eventTypes: [EVENT_TYPE] }));
    expect([badUrl.code, badUrl.body.code]).toEqual([422, "invalid_body"]);
    const unknownType = await apiFailure(client.endpoint.create(org.slug, { url: "http://127.0.0.1:9/x", eventTypes: ["no.such.type"] }));
    expect([unknownType.code, unknownType.body.code]).toEqual([422, "unknown_event_types"]);
    const taken = await apiFailure(client.endpoint.create(org.slug, { url: "http://127.0.0.1:9/x", eventTypes: [EVENT_TYPE], uid: "mine" }));
    expect([taken.code, taken.body.code]).toEqual([409, "conflict"]);
    const badSecret = await apiFailure(client.endpoint.create(org.slug, { url: "http://127.0.0.1:9/x", eventTypes: [EVENT_TYPE], secret: "whsec_tooshort" }));
    expect(badSecret.code).toBe(422);
    const reserved = await apiFailure(client.endpoint.patchHeaders(org.slug, "mine", { headers: { "webhook-signature": "forged" } }));
    expect(reserved.code).toBe(422);
    expect(reserved.body.detail).toEqual([expect.objectContaining({ loc: ["body", "headers", "webhook-signature"] })]);
    expect((await apiFailure(client.endpoint.rotateSecret(org.slug, "mine", { key: "not base64!" }))).code).toBe(422);
    expect((await apiFailure(client.endpoint.patch(org.slug, "mine", { eventTypes: [] }))).code).toBe(422);
    const badExample = await apiFailure(client.endpoint.sendExample(org.slug, "mine", { eventType: "no.such.type" }));
    expect([badExample.code, badExample.body.code]).toEqual([422, "unknown_event_type"]);
    const badWindow = await apiFailure(client.endpoint.recover(org.slug, "mine", { since: new Date(Date.now() + 3_600_000) }));
    expect([badWindow.code, badWindow.body.code]).toEqual([422, "invalid_body"]);

    // Another organization: its key is refused here (403); its endpoints do not exist through this organization (404).
    expect((await apiFailure(otherClient.endpoint.get(org.slug, mine.id))).code).toBe(403);
    expect((await apiFailure(otherClient.endpoint.delete(org.slug, "mine"))).code).toBe(403);
    for (const ref of [theirs.id, "theirs"]) {
      const missing = await apiFailure(client.endpoint.get(org.slug, ref));
      expect([missing.code, missing.body.code]).toEqual([404, "not_found"]);
      expect((await apiFailure(client.endpoint.getSecret(org.slug, ref))).code).toBe(404);
      expect((await apiFailure(client.endpoint.patch(org.slug, ref, { description: "mine now" }))).code).toBe(404);
      expect((await apiFailure(client.endpoint.getStats(org.slug, ref))).code).toBe(404);
    }
    expect((await otherClient.endpoint.get(other.slug, "theirs")).description).toBe("");
  });
});
