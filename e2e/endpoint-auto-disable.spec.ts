import { SEED_CATALOG } from "../lib/catalog/seed-catalog";
import { expect, signIn, test } from "./fixtures";
import { createKey, startReceiver, svix } from "./sdk";

const payload = SEED_CATALOG.find((t) => t.name === "contract.created")!.examples[0]!.payload as Record<string, unknown>;

test.describe("an endpoint disabled automatically", () => {
  test("shows why on its page and in the endpoints list, and an admin enables it again", async ({ page, data }) => {
    const receiver = await startReceiver();
    receiver.state.status = 503;
    try {
      const org = await data.createOrg({ webhooksEnabled: true });
      const client = svix(await createKey(data, org.id));
      const endpoint = await client.endpoint.create(org.slug, { url: receiver.url, eventTypes: ["contract.created"], description: "Billing system" });
      // The server runs with the real period (5 days): this endpoint has been failing for longer.
      await data.query(`UPDATE "Endpoint" SET "failingSince" = (now() AT TIME ZONE 'UTC') - interval '5 days 1 minute' WHERE id = $1`, [endpoint.id]);

      await client.message.create(org.slug, { eventType: "contract.created", payload });
      await expect.poll(() => receiver.received.length, { timeout: 30_000 }).toBe(1);
      await expect
        .poll(async () => (await data.query<{ disabled: boolean }>(`SELECT disabled FROM "Endpoint" WHERE id = $1`, [endpoint.id])).rows[0]?.disabled, { timeout: 30_000 })
        .toBe(true);

      await signIn(page, await data.member(org.slug, "ADMIN"), `/${org.slug}/settings/integrations/webhooks/endpoints/${endpoint.id}`);
      const notice = page.getByTestId("automatic-disable-notice");
      await expect(notice).toContainText(/Disabled automatically on \d{2} \w{3} \d{4}, \d{2}:\d{2}:\d{2} .+ after 1 failure/);
      await expect(notice).toContainText("Last error: HTTP 503");
      await expect(page.getByTestId("endpoint-status")).toHaveText("Disabled");

      await page.getByRole("link", { name: "Endpoints" }).click();
      const row = page.getByTestId("endpoint-row");
      await expect(row.getByTestId("automatic-disable-summary")).toContainText(/Disabled automatically on .+ after 1 failure/);
      await expect(row.getByTestId("automatic-disable-summary")).toContainText("Last error: HTTP 503");

      await row.getByRole("link", { name: receiver.url }).click();
      await page.getByRole("button", { name: "Enable endpoint" }).click();
      // Enabled again; its one recent attempt failed, so its status says so (the list's one status).
      await expect(page.getByTestId("failing-badge")).toHaveText("Failing");
      await expect(page.getByTestId("failing-badge")).toHaveAttribute("title", "Enabled, and its last attempt failed");
      await expect(page.getByTestId("endpoint-status")).toHaveCount(0);
      await expect(notice).toHaveCount(0);
    } finally {
      await receiver.close();
    }
  });
});
