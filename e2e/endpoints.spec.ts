import { randomBytes } from "node:crypto";
import { expect, signIn, test, type E2eData } from "./fixtures";

const webhooks = (org: string) => `/${org}/settings/integrations/webhooks`;

async function addEndpoint(page: import("@playwright/test").Page, url: string) {
  await page.getByLabel("Endpoint URL").fill(url);
  await page.getByRole("checkbox", { name: "Select all" }).click();
  await page.getByRole("button", { name: "Create endpoint" }).click();
  await expect(page.getByRole("heading", { name: url })).toBeVisible();
}

async function insertEndpoint(data: E2eData, orgId: string, url: string) {
  const id = `ep_${randomBytes(11).toString("hex")}`;
  await data.query(
    `INSERT INTO "Endpoint" (id, "organizationId", url, description, "eventTypes", "rateLimit", headers, "updatedAt")
     VALUES ($1, $2, $3, 'Inserted for the test', $4, 5, '[{"name":"X-Team","value":"ops"}]', now())`,
    [id, orgId, url, ["contract.created", "offer.accepted"]],
  );
  return id;
}

test.describe("endpoints", () => {
  test("an admin adds an endpoint: blocked until a type is chosen, select all works, headers and rate limit are saved", async ({ page, data }) => {
    const org = await data.createOrg();
    await signIn(page, await data.member(org.slug, "ADMIN"), webhooks(org.slug));
    await expect(page.getByText("No endpoints yet")).toBeVisible();
    await page.getByRole("link", { name: "Add your first endpoint" }).click();

    await page.getByLabel("Endpoint URL").fill("https://user:pw@billing.example.test/hooks");
    await page.getByLabel("Description").fill("Billing system");
    await expect(page.getByTestId("filter-summary")).toHaveText("No event type chosen yet");
    const create = page.getByRole("button", { name: "Create endpoint" });
    await expect(create).toBeDisabled();
    await expect(page.getByTestId("submit-blocked")).toContainText("so new types added later never arrive unexpectedly");

    await page.getByRole("checkbox", { name: "Select all" }).click();
    await expect(page.getByRole("checkbox", { name: "contract.created", exact: true })).toBeChecked();
    await expect(page.getByRole("checkbox", { name: "metering", exact: true })).toBeChecked();
    await expect(page.getByTestId("filter-summary")).toHaveText(/^(\d+) of \1 types selected$/);
    await page.getByRole("checkbox", { name: "metering", exact: true }).click();
    await expect(page.getByRole("checkbox", { name: "metering.usage_failed" })).not.toBeChecked();
    await expect(page.getByRole("checkbox", { name: "Select all" })).toHaveAttribute("aria-checked", "mixed");
    await page.getByRole("checkbox", { name: "Select all" }).click();
    await page.getByRole("checkbox", { name: "Select all" }).click();
    await expect(page.getByTestId("filter-summary")).toHaveText("No event type chosen yet");
    await page.getByRole("checkbox", { name: "contract", exact: true }).click();
    await page.getByRole("checkbox", { name: "offer.accepted" }).click();
    await expect(create).toBeEnabled();

    await page.getByText("Advanced configuration").click();
    await page.getByLabel("Rate limit (messages per second)").fill("20000");
    await page.getByRole("button", { name: "Add header" }).click();
    await page.getByLabel("Header 1 name").fill("Content-Type");
    await page.getByLabel("Header 1 value").fill("text/plain");
    await create.click();
    await expect(page.getByTestId("error-url-error")).toContainText("must not contain a user name or password");
    await expect(page.getByTestId("error-rateLimit-error")).toContainText("whole number from 1 to 10,000");
    await expect(page.getByTestId("error-headers.0.name-error")).toContainText("Content-Type is set by HookRelay");

    await page.getByLabel("Endpoint URL").fill("https://billing.example.test/hooks");
    await page.getByLabel("Rate limit (messages per second)").fill("50");
    await page.getByLabel("Header 1 name").fill("X-Api-Key");
    await page.getByLabel("Header 1 value").fill("k-123");
    await page.getByRole("button", { name: "Add header" }).click();
    await page.getByLabel("Header 2 name").fill("X-Team");
    await page.getByLabel("Header 2 value").fill("billing");
    await create.click();

    await expect(page.getByRole("heading", { name: "https://billing.example.test/hooks" })).toBeVisible();
    await expect(page.getByTestId("endpoint-rate-limit")).toHaveText("50 messages per second");
    // A key's value is masked until an admin asks for it (issue 26).
    await page.getByRole("button", { name: "Reveal header values" }).click();
    await expect(page.getByTestId("endpoint-headers")).toHaveText(/X-Api-Key: k-123\s*X-Team: billing/);
    const types = page.getByRole("list", { name: "Subscribed event types" });
    await expect(types.getByRole("link")).toHaveText(["contract.cancelled", "contract.created", "contract.modified", "contract.renewed", "contract.upgraded", "offer.accepted"]);

    await page.getByRole("link", { name: "Endpoints" }).click();
    const row = page.getByTestId("endpoint-row");
    await expect(row).toHaveCount(1);
    await expect(row).toContainText("https://billing.example.test/hooks");
    await expect(row).toContainText("Billing system");
    await expect(row).toContainText("Enabled");
    await expect(row).toContainText("+3 more");
  });

  test("editing the URL warns strongly and needs confirmation; the change is in the Activity tab", async ({ page, data }) => {
    const org = await data.createOrg();
    await signIn(page, await data.member(org.slug, "OWNER"), `${webhooks(org.slug)}/endpoints/new`);
    await addEndpoint(page, "https://old.example.test/hooks");
    await page.getByRole("link", { name: "Edit" }).click();

    await expect(page.getByTestId("url-change-warning")).toHaveCount(0);
    await page.getByLabel("Endpoint URL").fill("https://new.example.test/hooks");
    await expect(page.getByTestId("url-change-warning")).toContainText("Creating a new endpoint is recommended");
    await page.getByLabel("Description").fill("Moved receiver");
    await page.getByRole("button", { name: "Save changes" }).click();
    const dialog = page.getByRole("alertdialog");
    await expect(dialog).toContainText("Change this endpoint's URL?");
    await dialog.getByRole("button", { name: "Keep the old URL" }).click();
    await expect(page.getByLabel("Endpoint URL")).toHaveValue("https://new.example.test/hooks");
    await page.getByRole("button", { name: "Save changes" }).click();
    await page.getByRole("alertdialog").getByRole("button", { name: "Change the URL" }).click();

    await expect(page.getByRole("heading", { name: "https://new.example.test/hooks" })).toBeVisible();
    await page.getByRole("link", { name: "Activity" }).click();
    const entries = page.getByTestId("activity-entry");
    await expect(entries.first()).toContainText("Configuration changed");
    await expect(entries.first()).toContainText("https://old.example.test/hooks → https://new.example.test/hooks");
    await expect(entries.first()).toContainText("Moved receiver");
    await expect(entries.last()).toContainText("Endpoint created");
  });

  test("the signing secret is hidden until revealed, and rotation keeps the previous one for 24 hours", async ({ page, data }) => {
    const org = await data.createOrg();
    await signIn(page, await data.member(org.slug, "ADMIN"), `${webhooks(org.slug)}/endpoints/new`);
    await addEndpoint(page, "https://secret.example.test/hooks");
    const secret = page.getByTestId("signing-secret");
    await expect(secret).toHaveText(/^whsec_•+$/);
    await page.getByRole("button", { name: "Reveal" }).click();
    await expect(secret).toHaveText(/^whsec_[A-Za-z0-9+/]{43}=$/);
    const first = await secret.textContent();
    await page.getByRole("button", { name: "Hide" }).click();
    await expect(secret).toHaveText(/^whsec_•+$/);

    await page.getByRole("button", { name: "Rotate" }).click();
    await page.getByRole("alertdialog").getByRole("button", { name: "Rotate secret" }).click();
    await expect(page.getByTestId("rotation-notice")).toContainText("the previous secret also signs until");
    await page.getByRole("button", { name: "Reveal" }).click();
    await expect(secret).toHaveText(/^whsec_/);
    expect(await secret.textContent()).not.toBe(first);
    await page.getByRole("link", { name: "Activity" }).click();
    await expect(page.getByTestId("activity-entry").first()).toContainText("Signing secret revealed");
    await expect(page.getByText("Signing secret rotated")).toBeVisible();
  });

  test("disable and enable, then delete with a confirmation that names the endpoint", async ({ page, data }) => {
    const org = await data.createOrg();
    await signIn(page, await data.member(org.slug, "ADMIN"), `${webhooks(org.slug)}/endpoints/new`);
    await addEndpoint(page, "https://doomed.example.test/hooks");
    await page.getByRole("button", { name: "Disable endpoint" }).click();
    await expect(page.getByTestId("endpoint-status")).toHaveText("Disabled");
    await page.reload();
    await expect(page.getByTestId("endpoint-status")).toHaveText("Disabled");
    await page.getByRole("button", { name: "Enable endpoint" }).click();
    await expect(page.getByTestId("endpoint-status")).toHaveText("Enabled");

    await page.getByRole("button", { name: "Delete" }).click();
    const dialog = page.getByRole("alertdialog");
    await expect(dialog.getByTestId("delete-endpoint-name")).toHaveText("https://doomed.example.test/hooks");
    await dialog.getByRole("button", { name: "Delete endpoint" }).click();
    await expect(page).toHaveURL(new RegExp(`${webhooks(org.slug)}$`));
    await expect(page.getByText("No endpoints yet")).toBeVisible();
  });

  test("a viewer sees endpoints but no control that changes anything", async ({ page, data }) => {
    const org = await data.createOrg();
    const id = await insertEndpoint(data, org.id, "https://viewer.example.test/hooks");
    await signIn(page, await data.member(org.slug, "VIEWER"), webhooks(org.slug));
    await expect(page.getByTestId("endpoint-row")).toContainText("https://viewer.example.test/hooks");
    await expect(page.getByRole("link", { name: /Add endpoint/ })).toHaveCount(0);
    await expect(page.getByRole("switch")).toHaveCount(0);

    await page.getByRole("link", { name: "https://viewer.example.test/hooks" }).click();
    await expect(page.getByTestId("endpoint-rate-limit")).toHaveText("5 messages per second");
    await expect(page.getByTestId("endpoint-headers")).toHaveText("X-Team: ops");
    for (const name of ["Edit", "Disable endpoint", "Delete", "Reveal", "Copy secret", "Rotate"]) {
      await expect(page.getByRole("button", { name, exact: true }).or(page.getByRole("link", { name, exact: true }))).toHaveCount(0);
    }
    await expect(page.getByText("Only owners and admins can reveal or rotate the secret.")).toBeVisible();

    expect((await page.goto(`${webhooks(org.slug)}/endpoints/${id}/edit`))?.status()).toBe(404);
    await expect(page.getByRole("heading", { name: "Page not found" })).toBeVisible();
    expect((await page.goto(`${webhooks(org.slug)}/endpoints/new`))?.status()).toBe(404);
    await expect(page.getByRole("heading", { name: "Page not found" })).toBeVisible();
  });
});
