import http from "node:http";
import type { AddressInfo } from "node:net";
import { Webhook } from "standardwebhooks";
import { SEED_CATALOG } from "../lib/catalog/seed-catalog";
import { expect, signIn, test } from "./fixtures";

interface Received {
  headers: Record<string, string>;
  body: string;
  /** Epoch milliseconds when the request had arrived. */
  at: number;
}

/** A receiver on 127.0.0.1 that records each request and answers 503 to the first `failFirst`, then 204. */
async function startReceiver(failFirst = 0) {
  const received: Received[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)]));
      received.push({ headers, body: Buffer.concat(chunks).toString("utf8"), at: Date.now() });
      res.writeHead(received.length <= failFirst ? 503 : 204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const payload = SEED_CATALOG.find((t) => t.name === "contract.created")!.examples[0]!.payload;

test.describe("the message API over HTTP", () => {
  test("an API call through the running app (proxy included) ends in a delivery the endpoint's secret verifies, after a retry", async ({ page, data, request }) => {
    // Two dashboard flows (endpoint, key) and a delivery with one retry: more than the default budget of one flow.
    test.setTimeout(120_000);
    // The first attempt fails: the retry goes through the app's real hand-off from the batch of
    // first attempts to the retry function (an event the executor process sends itself).
    const receiver = await startReceiver(1);
    try {
      const org = await data.createOrg({ webhooksEnabled: true });
      await signIn(page, await data.member(org.slug, "ADMIN"), `/${org.slug}/settings/integrations/webhooks/endpoints/new`);
      await page.getByLabel("Endpoint URL").fill(receiver.url);
      await page.getByRole("checkbox", { name: "contract.created", exact: true }).click();
      await page.getByRole("button", { name: "Create endpoint" }).click();
      await expect(page.getByRole("heading", { name: receiver.url })).toBeVisible();
      await page.getByRole("button", { name: "Reveal" }).click();
      const secretText = page.getByTestId("signing-secret");
      await expect(secretText).toHaveText(/^whsec_[A-Za-z0-9+/]+=*$/);
      const secret = (await secretText.textContent())!;

      await page.goto(`/${org.slug}/settings/api-keys`);
      await page.getByTestId("api-keys-organization").getByRole("button", { name: "New organization key" }).click();
      await page.getByLabel("Name").fill("e2e client");
      await page.getByRole("button", { name: "Create key" }).click();
      const key = await page.getByTestId("new-api-key").inputValue();
      expect(key).toMatch(/^hr_org_/);

      const response = await request.post(`/api/v1/app/${org.slug}/msg`, {
        headers: { authorization: `Bearer ${key}` },
        data: { eventType: "contract.created", payload },
      });
      expect(response.status()).toBe(202);
      const message = (await response.json()) as { id: string; deliveries: unknown };
      expect(message.deliveries).toEqual({ total: 1, scheduled: 1, failed: 0 });

      // The default schedule retries 5 s after the first failure: not sooner, and not one entry
      // later (5 minutes) either; the upper bound leaves room for a loaded machine.
      await expect.poll(() => receiver.received.length, { timeout: 40_000 }).toBe(2);
      const gap = receiver.received[1]!.at - receiver.received[0]!.at;
      expect(gap).toBeGreaterThanOrEqual(5_000 - 50);
      expect(gap).toBeLessThan(15_000);
      for (const delivered of receiver.received) {
        expect(delivered.headers["webhook-id"]).toBe(message.id);
        expect(new Webhook(secret).verify(delivered.body, delivered.headers)).toEqual(payload);
      }

      // Without the key, the same call is refused before anything is recorded.
      const anonymous = await request.post(`/api/v1/app/${org.slug}/msg`, { data: { eventType: "contract.created", payload } });
      expect(anonymous.status()).toBe(401);
      expect(await anonymous.json()).toMatchObject({ code: "unauthorized" });
    } finally {
      await receiver.close();
    }
  });
});
