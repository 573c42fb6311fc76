import http from "node:http";
import type { AddressInfo } from "node:net";
import { Svix } from "svix";
import { SEED_CATALOG } from "../lib/catalog/seed-catalog";
import { expect, signIn, test } from "./fixtures";
import { createKey, serverUrl } from "./sdk";

/** Expunge from the message detail: owners and admins confirm it; viewers never see the control. */

const payload = SEED_CATALOG.find((t) => t.name === "contract.created")!.examples[0]!.payload as Record<string, unknown>;
const messagePath = (org: string, id: string) => `/${org}/settings/integrations/webhooks/messages/${id}`;

test("an owner expunges a delivered message from its detail, after confirming; the page then says it is expunged", async ({ page, browser, data }) => {
  test.setTimeout(90_000);
  const server = http.createServer((req, res) => {
    req.resume();
    req.on("end", () => res.writeHead(200, { "content-type": "application/json", "set-cookie": "session=jane" }).end(JSON.stringify({ customer: "jane.answer@example.test" })));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  try {
    const org = await data.createOrg({ webhooksEnabled: true });
    const client = new Svix(await createKey(data, org.id), { serverUrl: serverUrl() });
    await client.endpoint.create(org.slug, { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`, eventTypes: ["contract.created"] });
    const message = await client.message.create(org.slug, { eventType: "contract.created", payload: { ...payload, email: "jane.payload@example.test" } });
    await expect.poll(async () => (await client.messageAttempt.listByMsg(org.slug, message.id)).data.length, { timeout: 30_000 }).toBe(1);

    // A viewer sees the payload but no Expunge.
    const viewerContext = await browser.newContext();
    const viewer = await viewerContext.newPage();
    await signIn(viewer, await data.member(org.slug, "VIEWER"), messagePath(org.slug, message.id));
    await expect(viewer.getByRole("region", { name: "Payload" })).toContainText("jane.payload@example.test");
    await expect(viewer.getByTestId("expunge-message")).toHaveCount(0);
    await viewerContext.close();

    await signIn(page, await data.member(org.slug, "OWNER"), messagePath(org.slug, message.id));
    await expect(page.getByRole("region", { name: "Payload" })).toContainText("jane.payload@example.test");
    await expect(page.getByLabel("Response body of attempt 1")).toContainText("jane.answer@example.test");
    await page.getByTestId("expunge-message").click();
    const dialog = page.getByRole("alertdialog");
    await expect(dialog.getByRole("heading", { name: "Expunge this message's content?" })).toBeVisible();
    await expect(dialog).toContainText("This cannot be undone.");
    await expect(dialog.getByRole("checkbox", { name: /Also expunge the receivers' answers .* to its 1 attempt$/ })).toBeChecked();
    // Cancel has the focus: Enter on the fresh dialog never expunges.
    await expect(dialog.getByRole("button", { name: "Cancel" })).toBeFocused();
    await dialog.getByRole("button", { name: "Expunge", exact: true }).click();
    await expect(dialog).toBeHidden();
    await expect(page.getByText("Message content expunged")).toBeVisible();

    await expect(page.getByTestId("expunged-message")).toHaveText("Content expunged");
    await expect(page.getByTestId("expunged-at")).toBeVisible();
    await expect(page.getByTestId("payload-expunged")).toContainText("Expunged");
    await expect(page.getByTestId("response-expunged")).toContainText("Expunged");
    await expect(page.getByText("jane.payload@example.test")).toHaveCount(0);
    await expect(page.getByText("jane.answer@example.test")).toHaveCount(0);
    await expect(page.getByText("This message's content was expunged: it cannot be resent.")).toBeVisible();
    await expect(page.getByTestId("resend-message")).toHaveCount(0);
    // Nothing is left to expunge: the control is gone. The message logs mark the row.
    await expect(page.getByTestId("expunge-message")).toHaveCount(0);
    await page.goto(`/${org.slug}/settings/integrations/webhooks/messages`);
    await expect(page.getByTestId("message-row").filter({ hasText: message.id }).getByTestId("expunged-message")).toBeVisible();
  } finally {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
});
