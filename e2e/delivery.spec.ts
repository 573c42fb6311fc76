import { ADMIN, chooseOption, DEMO_ORG, expect, signIn, test } from "./fixtures";

const sendEvent = `/platform/send-event?org=${DEMO_ORG}`;

test.describe("deliver events", () => {
  test("staff send an event from the form and see it arrive, signature verified, in the built-in receiver", async ({ page, context }) => {
    await context.grantPermissions(["clipboard-read", "clipboard-write"]);
    await signIn(page, ADMIN, sendEvent);
    await expect(page.getByRole("heading", { name: "Send event", level: 1 })).toBeVisible();
    await chooseOption(page, "Event type", "contract.created");
    await expect(page.getByLabel("Payload (JSON)")).toHaveValue(/"contract"/);
    const eventId = `e2e-${Date.now()}`;
    await page.getByLabel("Event id (optional)").fill(eventId);
    await page.getByRole("button", { name: "Send event" }).click();
    const result = page.getByTestId("send-event-result");
    await expect(result).toContainText("Event recorded");
    // One whole sentence, then the message id on its own line with a copy button.
    await expect(result.getByText("1 delivery scheduled for Acme Cloud.", { exact: true })).toBeVisible();
    const messageId = (await result.locator("code").textContent())!;
    expect(messageId).toMatch(/^msg_/);
    await result.getByRole("button", { name: "Copy id" }).click();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(messageId);

    await result.getByRole("link", { name: "Open the test receiver" }).click();
    await expect(page.getByRole("heading", { name: "Received requests" })).toBeVisible();
    const arrived = page.getByTestId("received-requests").locator("li").filter({ hasText: messageId });
    await expect(arrived).toContainText("contract.created", { timeout: 20_000 });
    await expect(arrived).toContainText("Signature verified");

    // The same event id again returns the original message instead of a second one.
    await page.goto(sendEvent);
    await chooseOption(page, "Event type", "contract.created");
    await page.getByLabel("Event id (optional)").fill(eventId);
    await page.getByRole("button", { name: "Send event" }).click();
    await expect(page.getByTestId("send-event-result")).toContainText("Already recorded");
    await expect(page.getByTestId("send-event-result").locator("code")).toHaveText(messageId);
  });

  test("a payload that breaks the schema is refused with the failing paths", async ({ page }) => {
    await signIn(page, ADMIN, sendEvent);
    await chooseOption(page, "Event type", "contract.created");
    await page.getByLabel("Payload (JSON)").fill(JSON.stringify({ marketplace: "ebay" }));
    await page.getByRole("button", { name: "Send event" }).click();
    await expect(page.getByTestId("send-event-error")).toContainText("does not match the schema of contract.created");
    await expect(page.locator("#payload-errors")).toContainText("/marketplace must be one of");
    await expect(page.locator("#payload-errors")).toContainText("/contract is required");
  });

  test("the Send event page is for platform staff only", async ({ page, data }) => {
    const owner = await data.member(DEMO_ORG, "OWNER");
    await signIn(page, owner, `/${DEMO_ORG}`);
    await expect(page.getByRole("heading", { name: "Webhooks", level: 1 })).toBeVisible();
    expect((await page.goto(sendEvent))?.status()).toBe(404);
    await expect(page.getByRole("heading", { name: "Page not found" })).toBeVisible();
  });
});
