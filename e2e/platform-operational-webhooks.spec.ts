import { expect, signIn, test } from "./fixtures";
import { createKey, startReceiver, svix } from "./sdk";

const PAGE = "/platform/operational-webhooks";

test.describe("Platform → Operational webhooks", () => {
  test("staff add an operator endpoint, see an operational event in its log, and delete it; others get a 404", async ({ browser, page, data }) => {
    const receiver = await startReceiver();
    try {
      await signIn(page, await data.createAccount({ isStaff: true }), PAGE);
      await expect(page.getByRole("heading", { name: "Operational webhooks", level: 1 })).toBeVisible();

      await page.getByRole("button", { name: "Add operator endpoint" }).first().click();
      const dialog = page.getByRole("dialog");
      await dialog.getByLabel("URL").fill("not a url");
      await dialog.getByLabel("Every operational event").click();
      await dialog.getByRole("button", { name: "Add operator endpoint" }).click();
      await expect(dialog.locator("#op-url-error")).toContainText("full URL");
      await expect(dialog.locator("#op-eventTypes-error")).toContainText("Choose at least one event");

      await dialog.getByLabel("URL").fill(receiver.url);
      await dialog.getByLabel("Description").fill("On-call");
      await dialog.getByRole("checkbox", { name: /endpoint\.created/ }).click();
      await dialog.getByRole("button", { name: "Add operator endpoint" }).click();
      await expect(page.getByRole("heading", { name: receiver.url, level: 1 })).toBeVisible();
      await expect(page.getByTestId("operator-endpoint-config")).toContainText("endpoint.created");

      // A customer's new endpoint: the event shows up in the operator endpoint's log, delivered.
      const org = await data.createOrg({ webhooksEnabled: true });
      const customer = await svix(await createKey(data, org.id)).endpoint.create(org.slug, { url: `${receiver.url}/customer`, eventTypes: ["contract.created"] });
      await expect.poll(() => receiver.received.filter((r) => r.body.includes(customer.id)).length, { timeout: 30_000 }).toBe(1);
      // Other specs' endpoints are in this log too while it exists: the row is found by its message.
      const { rows } = await data.query<{ id: string }>(`SELECT id FROM "Message" WHERE "organizationId" = '_platform' AND body LIKE $1`, [`%${customer.id}%`]);
      await page.reload();
      const row = page.getByTestId("operational-log-row").filter({ has: page.locator(`a[href$="/messages/${rows[0]!.id}"]`) });
      await expect(row).toContainText("endpoint.created");
      await expect(row).toContainText("Succeeded");
      await row.getByRole("link", { name: "endpoint.created" }).click();
      await expect(page.getByTestId("operational-delivery")).toContainText("Succeeded");
      await expect(page.getByRole("region", { name: "Payload" })).toContainText(customer.id);
      await page.getByRole("link", { name: receiver.url }).click();

      await page.getByRole("button", { name: "Delete" }).click();
      await expect(page.getByTestId("delete-operator-endpoint-url")).toHaveText(receiver.url);
      await page.getByRole("button", { name: "Delete endpoint" }).click();
      await expect(page.getByRole("heading", { name: "Operational webhooks", level: 1 })).toBeVisible();
      await expect(page.getByTestId("operator-endpoint-row").filter({ hasText: receiver.url })).toHaveCount(0);

      // Another browser: the staff session's last answers could set its cookie again after a clear.
      const memberContext = await browser.newContext();
      const memberPage = await memberContext.newPage();
      await signIn(memberPage, await data.member(org.slug, "OWNER"), PAGE);
      await expect(memberPage.getByRole("heading", { name: "Page not found" })).toBeVisible();
      await expect(memberPage.getByRole("heading", { name: "Operational webhooks" })).toHaveCount(0);
      await memberContext.close();
    } finally {
      await receiver.close();
    }
  });
});
