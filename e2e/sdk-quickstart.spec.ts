import { randomUUID } from "node:crypto";
import { Svix, Webhook } from "svix";
import { SEED_CATALOG } from "../lib/catalog/seed-catalog";
import { ADMIN, DEMO_ORG, expect, signIn, test } from "./fixtures";
import { apiFailure, serverUrl, startReceiver } from "./sdk";

const payload = SEED_CATALOG.find((t) => t.name === "contract.created")!.examples[0]!.payload as Record<string, unknown>;

/**
 * Svix's basic flow as a new platform team runs it, with nothing prepared in the database: the
 * platform key comes from the dashboard (the seeded staff admin), the application from
 * `application.create`, and the SDK keeps its default retries. No SQL, no factory.
 */
test("application.create → endpoint.create → message.create delivers to a receiver that verifies the signature", async ({ page }) => {
  test.setTimeout(120_000);
  await signIn(page, ADMIN, `/${DEMO_ORG}/settings/api-keys`);
  await page.getByTestId("api-keys-platform").getByRole("button", { name: "New platform key" }).click();
  await page.getByLabel("Name").fill("e2e quickstart");
  await page.getByRole("button", { name: "Create key" }).click();
  const key = await page.getByTestId("new-api-key").inputValue();
  expect(key).toMatch(/^hr_plat_/);

  const receiver = await startReceiver();
  try {
    const svix = new Svix(key, { serverUrl: serverUrl() });
    const uid = `quickstart-${randomUUID().slice(0, 8)}`;
    const app = await svix.application.create({ name: "Quickstart Inc", uid });
    expect(app).toMatchObject({ uid, name: "Quickstart Inc" });

    const endpoint = await svix.endpoint.create(uid, { url: receiver.url, eventTypes: ["contract.created"] });
    const { key: secret } = await svix.endpoint.getSecret(uid, endpoint.id);

    // An explicit idempotency key: the same call again is answered with the first message.
    const idempotencyKey = `quickstart-${randomUUID()}`;
    const eventId = `evt-${randomUUID().slice(0, 8)}`;
    const message = await svix.message.create(uid, { eventType: "contract.created", eventId, payload }, { idempotencyKey });
    expect(message).toMatchObject({ eventType: "contract.created", eventId });
    expect((await svix.message.create(uid, { eventType: "contract.created", eventId, payload }, { idempotencyKey })).id).toBe(message.id);
    // The same eventId under another idempotency key: Svix's 409.
    const repeated = await apiFailure(svix.message.create(uid, { eventType: "contract.created", eventId, payload }));
    expect([repeated.code, repeated.body.code]).toEqual([409, "conflict"]);

    await expect.poll(() => receiver.of(message.id).length, { timeout: 30_000 }).toBe(1);
    const [delivered] = receiver.of(message.id);
    expect(() => new Webhook(secret).verify(delivered!.body, delivered!.headers)).not.toThrow();
    expect(JSON.parse(delivered!.body)).toEqual(payload);
    const attempts = await svix.messageAttempt.listByMsg(uid, message.id);
    expect(attempts.data.map((a) => a.responseStatusCode)).toEqual([200]);
  } finally {
    await receiver.close();
  }
});
