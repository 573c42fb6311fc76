import http from "node:http";
import type { AddressInfo } from "node:net";
import { chooseOption, expect, signIn, test } from "./fixtures";
import type { Page } from "@playwright/test";

const webhooks = (org: string) => `/${org}/settings/integrations/webhooks`;

/** A receiver on loopback that fails every delivery with a JSON body. */
async function failingReceiver(): Promise<{ url: string; close: () => Promise<void> }> {
  const server = http.createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      res.writeHead(500, { "content-type": "application/json", "x-receiver": "e2e" });
      res.end(JSON.stringify({ error: "database unavailable", retry: true }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/hooks`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

async function sendEvent(page: Page, org: string, eventId: string): Promise<string> {
  await page.goto(`/platform/send-event?org=${org}`);
  await chooseOption(page, "Event type", "contract.created");
  await page.getByLabel("Event id (optional)").fill(eventId);
  await page.getByRole("button", { name: "Send event" }).click();
  const result = page.getByTestId("send-event-result");
  await expect(result).toContainText("Event recorded");
  return (await result.locator("code").textContent())!;
}

test.describe("message logs", () => {
  // Each test waits for real deliveries (a retry 5 s after the first failure) across several pages.
  test.describe.configure({ timeout: 120_000 });

  test("a failing endpoint's attempts, status codes, response bodies and diagnoses are in the message detail", async ({ page, data }) => {
    const receiver = await failingReceiver();
    try {
      const org = await data.createOrg({ webhooksEnabled: true });
      await signIn(page, await data.member(org.slug, "OWNER", { isStaff: true }), `${webhooks(org.slug)}/endpoints/new`);
      await page.getByLabel("Endpoint URL").fill(receiver.url);
      await page.getByRole("checkbox", { name: "Select all" }).click();
      await page.getByRole("button", { name: "Create endpoint" }).click();
      await expect(page.getByRole("heading", { name: receiver.url })).toBeVisible();

      const messageId = await sendEvent(page, org.slug, `e2e-fail-${Date.now()}`);
      await page.getByTestId("send-event-result").getByRole("link", { name: "Open the message" }).click();
      await expect(page.getByRole("heading", { name: "contract.created" })).toBeVisible();
      await expect(page.getByText(messageId).first()).toBeVisible();

      // The schedule retries 5 s after the first failure; the page refreshes itself while pending.
      const delivery = page.getByTestId("delivery");
      await expect(delivery.getByTestId("attempt")).toHaveCount(2, { timeout: 30_000 });
      await expect(delivery.getByRole("link", { name: receiver.url })).toBeVisible();
      await expect(delivery.getByText("Retrying")).toBeVisible();
      await expect(delivery.getByTestId("schedule")).toContainText("Next attempt (#3)");

      const [first, second] = [delivery.getByTestId("attempt").nth(0), delivery.getByTestId("attempt").nth(1)];
      // The newest attempt is open; the older one opens from the keyboard.
      await expect(second.getByTestId("diagnosis")).toHaveText("HTTP 500 Internal Server Error");
      await expect(second.getByTestId("status-code")).toHaveText("500");
      await expect(second.getByLabel("Response body of attempt 2")).toContainText('"error": "database unavailable"');
      await expect(second).toContainText("x-receiver");
      await expect(first.getByTestId("diagnosis")).toBeHidden();
      await first.locator("summary").focus();
      await page.keyboard.press("Enter");
      await expect(first.getByTestId("diagnosis")).toHaveText("HTTP 500 Internal Server Error");
      await expect(first).toContainText(receiver.url);
      await expect(first).toContainText("scheduled");

      // The list says the same in one line.
      await page.getByRole("link", { name: "Message logs" }).first().click();
      await expect(page.getByTestId("message-row").filter({ hasText: messageId })).toContainText(/Retrying 1 endpoint, next attempt/);
    } finally {
      await receiver.close();
    }
  });

  test("a message no endpoint subscribes to is listed; a shared filtered URL shows the same view; unknown ids answer 404", async ({ page, browser, data }) => {
    const org = await data.createOrg({ webhooksEnabled: true });
    const staff = await data.member(org.slug, "OWNER", { isStaff: true });
    await signIn(page, staff, `${webhooks(org.slug)}/messages`);
    await expect(page.getByText("No messages yet")).toBeVisible();
    await expect(page.getByTestId("retention")).toHaveText("History is kept 90 days.");
    const lonely = await sendEvent(page, org.slug, `e2e-none-${Date.now()}`);
    const other = await sendEvent(page, org.slug, `e2e-other-${Date.now()}`);

    await page.goto(`${webhooks(org.slug)}/messages`);
    await expect(page.getByTestId("message-row")).toHaveCount(2);
    await expect(page.getByTestId("message-row").filter({ hasText: lonely })).toContainText("No endpoint subscribed");

    await page.getByLabel("Delivery status").selectOption("none");
    await expect(page).toHaveURL(/status=none/);
    await page.getByLabel("Time").selectOption("24h");
    await expect(page).toHaveURL(/since=24h/);
    await page.getByLabel("Message id or event id").fill(lonely);
    await page.getByRole("button", { name: "Search" }).click();
    await expect(page).toHaveURL(new RegExp(`id=${lonely}`));
    await expect(page.getByTestId("message-row")).toHaveCount(1);
    await expect(page.getByTestId("message-row")).toContainText(lonely);

    // Someone else opening the link sees the same rows and the same filters.
    const shared = page.url();
    const context = await browser.newContext();
    const second = await context.newPage();
    await signIn(second, await data.member(org.slug, "VIEWER"), shared);
    await expect(second).toHaveURL(shared);
    await expect(second.getByTestId("message-row")).toHaveCount(1);
    await expect(second.getByTestId("message-row")).toContainText(lonely);
    await expect(second.getByTestId("message-row")).not.toContainText(other);
    await expect(second.getByLabel("Delivery status")).toHaveValue("none");
    await expect(second.getByLabel("Message id or event id")).toHaveValue(lonely);

    // Invalid JSON in the payload search is explained beside the field.
    await second.getByText("Search inside payloads").click();
    await second.getByLabel("Payload contains (JSON)").fill("{nope");
    await second.getByRole("button", { name: "Search" }).click();
    await expect(second.getByText(/^Not valid JSON/)).toBeVisible();
    await context.close();

    await page.getByTestId("message-row").getByRole("link", { name: "contract.created" }).click();
    await expect(page.getByTestId("no-deliveries")).toContainText("No endpoint subscribed");

    expect((await page.goto(`${webhooks(org.slug)}/messages/msg_doesnotexist`))?.status()).toBe(404);
    await expect(page.getByRole("heading", { name: "Page not found" })).toBeVisible();
  });
});
