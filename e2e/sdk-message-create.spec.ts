import { randomUUID } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { Svix, Webhook } from "svix";
import { SEED_CATALOG } from "../lib/catalog/seed-catalog";
import { expect, signIn, test } from "./fixtures";
import { apiFailure, createKey, serverUrl, startReceiver } from "./sdk";

/**
 * Svix's `MessageIn` beyond the basics, with the official SDK and its default retries: `deliverAt`
 * (scheduled, shown Scheduled in the dashboard, delivered at its time) and `application` (the
 * application created with its first message).
 */

const payload = SEED_CATALOG.find((t) => t.name === "contract.created")!.examples[0]!.payload as Record<string, unknown>;
/** Long enough to sign in and look at the logs before it is due. */
const DELAY_MS = 40_000;

const client = (key: string, url = serverUrl()) => new Svix(key, { serverUrl: url });

/**
 * A proxy on loopback in front of the app that lets the first message.create through and then
 * answers the client 502 instead of the app's answer: the message was recorded, the client saw a
 * server error (a load balancer's timeout, a lost answer).
 */
async function losingFirstAnswer() {
  const state = { lost: 0, forwarded: 0 };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      void (async () => {
        const headers = Object.fromEntries(Object.entries(req.headers).flatMap(([k, v]) => (v === undefined || k === "host" || k === "content-length" ? [] : [[k, String(v)]])));
        const answer = await fetch(serverUrl() + req.url, { method: req.method, headers, body: req.method === "GET" ? undefined : Buffer.concat(chunks) });
        state.forwarded++;
        const body = Buffer.from(await answer.arrayBuffer());
        if (req.method === "POST" && new URL(req.url ?? "/", serverUrl()).pathname.endsWith("/msg") && state.lost === 0) {
          state.lost++;
          return void res.writeHead(502, { "content-type": "application/json" }).end('{"code":"bad_gateway","detail":"upstream answer lost"}');
        }
        res.writeHead(answer.status, { "content-type": answer.headers.get("content-type") ?? "application/json" }).end(body);
      })();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, state, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

test.describe("message.create through the svix SDK", () => {
  test("deliverAt: recorded at once, shown Scheduled in the logs and the detail, delivered at its time, not before", async ({ page, data }) => {
    test.setTimeout(DELAY_MS + 120_000);
    const receiver = await startReceiver();
    try {
      const org = await data.createOrg({ webhooksEnabled: true });
      const svix = client(await createKey(data, org.id));
      const endpoint = await svix.endpoint.create(org.slug, { url: receiver.url, eventTypes: ["contract.created"] });
      const { key: secret } = await svix.endpoint.getSecret(org.slug, endpoint.id);
      await signIn(page, await data.member(org.slug, "ADMIN"), `/${org.slug}/settings/integrations/webhooks/messages`);
      await expect(page.getByRole("heading", { name: "Message logs" })).toBeVisible();

      const tooEarly = await apiFailure(svix.message.create(org.slug, { eventType: "contract.created", payload, deliverAt: new Date(Date.now() - 60_000) }));
      expect(tooEarly.code).toBe(422);
      expect(tooEarly.body.detail).toEqual([expect.objectContaining({ loc: ["body", "deliverAt"] })]);

      const deliverAt = new Date(Date.now() + DELAY_MS);
      const message = await svix.message.create(org.slug, { eventType: "contract.created", payload, deliverAt });
      expect(message.deliverAt).toEqual(deliverAt);
      expect((await svix.message.get(org.slug, message.id)).deliverAt).toEqual(deliverAt);

      await page.reload();
      const row = page.getByTestId("message-row").filter({ hasText: message.id });
      await expect(row.getByTestId("scheduled").filter({ visible: true })).toContainText(/Scheduled, due (just now|in 1 min)/);
      await row.getByRole("link", { name: "contract.created" }).click();
      await expect(page.getByTestId("scheduled-message")).toHaveText("Scheduled", { timeout: 20_000 });
      await expect(page.getByTestId("deliver-at")).toBeVisible();
      const delivery = page.getByTestId("delivery");
      await expect(delivery.getByText("Scheduled", { exact: true })).toBeVisible();
      await expect(delivery.getByTestId("resend-message")).toBeDisabled();
      expect(receiver.of(message.id)).toHaveLength(0);

      await expect.poll(() => receiver.of(message.id).length, { timeout: DELAY_MS + 30_000 }).toBe(1);
      expect(Date.now()).toBeGreaterThanOrEqual(deliverAt.getTime());
      const [delivered] = receiver.of(message.id);
      expect(() => new Webhook(secret).verify(delivered!.body, delivered!.headers)).not.toThrow();
      expect(JSON.parse(delivered!.body)).toEqual(payload);
      // The detail refreshes itself while the delivery is pending: it now reads as delivered.
      await expect(delivery.getByText("Succeeded", { exact: true })).toBeVisible({ timeout: 15_000 });
      await expect(page.getByTestId("scheduled-message")).toBeHidden();
    } finally {
      await receiver.close();
    }
  });

  test("a 5xx answer to a message.create that was recorded: the SDK's retry (same idempotency key) gets the message, and there is one", async ({ data }) => {
    const receiver = await startReceiver();
    const proxy = await losingFirstAnswer();
    try {
      const org = await data.createOrg({ webhooksEnabled: true });
      const key = await createKey(data, org.id);
      await client(key).endpoint.create(org.slug, { url: receiver.url, eventTypes: ["contract.created"] });
      const message = await client(key, proxy.url).message.create(org.slug, { eventType: "contract.created", eventId: `retried-${randomUUID().slice(0, 8)}`, payload });
      expect(proxy.state).toEqual({ lost: 1, forwarded: 2 });
      expect((await client(key).message.list(org.slug)).data.map((m) => m.id)).toEqual([message.id]);
      await expect.poll(() => receiver.of(message.id).length, { timeout: 30_000 }).toBe(1);
      // Barrier: a marker message sent after it is delivered, so a second delivery of the first,
      // queued before the marker, would have come by then.
      const marker = await client(key).message.create(org.slug, { eventType: "contract.created", payload });
      await expect.poll(() => receiver.of(marker.id).length, { timeout: 30_000 }).toBe(1);
      expect(receiver.of(message.id)).toHaveLength(1);
      expect(receiver.received).toHaveLength(2);
    } finally {
      await proxy.close();
      await receiver.close();
    }
  });

  test("application: a platform key creates the application with its first message; an organization key cannot", async ({ data }) => {
    const platform = client(await createKey(data, null));
    const uid = `inline-${randomUUID().slice(0, 8)}`;
    const message = await platform.message.create(uid, { eventType: "contract.created", payload, application: { name: "Inline Ltd", uid } });
    expect(message.eventType).toBe("contract.created");
    expect(await platform.application.get(uid)).toMatchObject({ uid, name: "Inline Ltd" });
    expect((await platform.message.list(uid)).data.map((m) => m.id)).toEqual([message.id]);

    const mismatch = await apiFailure(platform.message.create(`${uid}-x`, { eventType: "contract.created", payload, application: { name: "Other", uid } }));
    expect(mismatch.code).toBe(422);
    expect(mismatch.body.detail).toEqual([expect.objectContaining({ loc: ["body", "application", "uid"], type: "application_uid_mismatch" })]);

    const own = await data.createOrg({ webhooksEnabled: true });
    const refused = await apiFailure(client(await createKey(data, own.id)).message.create(`${uid}-org`, { eventType: "contract.created", payload, application: { name: "Mine", uid: `${uid}-org` } }));
    expect([refused.code, refused.body.code]).toEqual([403, "forbidden"]);
    expect((await apiFailure(platform.application.get(`${uid}-org`))).code).toBe(404);
  });
});
