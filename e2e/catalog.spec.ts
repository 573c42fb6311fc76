import { expect, signIn, test } from "./fixtures";

const catalog = (org: string) => `/${org}/settings/integrations/webhooks/catalog`;

test.describe("event catalog", () => {
  test("a viewer browses grouped types, searches, and reads a type's fields, examples and schema", async ({ page, context, data }) => {
    await context.grantPermissions(["clipboard-read", "clipboard-write"]);
    const org = await data.createOrg();
    const viewer = await data.member(org.slug, "VIEWER");
    await signIn(page, viewer, catalog(org.slug));

    await expect(page.getByRole("heading", { name: "Event catalog" })).toBeVisible();
    for (const group of ["buyer", "contract", "listing", "metering", "offer"]) await expect(page.getByTestId(`catalog-group-${group}`)).toBeVisible();
    const upgraded = page.getByRole("link", { name: /contract\.upgraded/ });
    await expect(upgraded.getByText("Deprecated", { exact: true })).toBeVisible();
    await expect(page.getByRole("link", { name: "New event type" })).toHaveCount(0);

    await page.getByRole("searchbox", { name: "Search event types" }).fill("renew");
    await expect(page.getByRole("link", { name: /contract\.renewed/ })).toBeVisible();
    await expect(page.getByRole("link", { name: /contract\.created/ })).toHaveCount(0);
    await expect(page.getByTestId("catalog-group-offer")).toHaveCount(0);
    await page.getByRole("searchbox", { name: "Search event types" }).fill("no-such-event");
    await expect(page.getByText("No event types match")).toBeVisible();
    await page.getByRole("searchbox", { name: "Search event types" }).fill("cancel");
    await page.getByRole("link", { name: /contract\.cancelled/ }).click();

    await expect(page.getByRole("heading", { name: "contract.cancelled" })).toBeVisible();
    await expect(page.getByText("A contract was cancelled by the buyer")).toBeVisible();
    await expect(page.getByTestId("field-contract.buyer.email")).toContainText("string (email)");
    await expect(page.getByTestId("field-contract.buyer.email")).toContainText("optional");
    await expect(page.getByTestId("field-cancelled_by")).toContainText("required");
    await expect(page.getByTestId("field-cancelled_by")).toContainText("buyer");
    await expect(page.getByTestId("field-cancelled_by")).toContainText("marketplace");
    await expect(page.getByTestId("field-contract.dimensions[].quantity")).toContainText("integer");
    const example = page.getByTestId("example").first();
    await expect(example).toContainText("Buyer cancelled with refund");
    await expect(example).toContainText('"cancelled_by": "buyer"');
    await expect(page.getByTestId("raw-schema")).toContainText('"$schema": "https://json-schema.org/draft/2020-12/schema"');
    await example.getByRole("button", { name: "Copy JSON" }).click();
    await expect(page.getByText("Copied to the clipboard")).toBeVisible();
    expect(JSON.parse(await page.evaluate(() => navigator.clipboard.readText()))).toMatchObject({ cancelled_by: "buyer" });
  });

  test("staff create a type only when every example matches its schema, then archive it", async ({ page, browser, data }) => {
    const org = await data.createOrg();
    const staff = await data.member(org.slug, "VIEWER", { isStaff: true });
    const name = `invoice.paid_${Date.now().toString(36)}`;
    await signIn(page, staff, catalog(org.slug));
    // The organization's catalog is read-only for everyone; staff edit it on the platform pages.
    await expect(page.getByRole("link", { name: "New event type" })).toHaveCount(0);
    await page.getByRole("link", { name: "Manage the catalog" }).click();
    await expect(page).toHaveURL(/\/platform\/catalog$/);
    await page.getByRole("link", { name: "New event type" }).click();
    await expect(page).toHaveURL(/\/platform\/catalog\/new$/);

    await page.getByLabel("Name", { exact: true }).fill(name);
    await page.getByLabel("Description", { exact: true }).fill("An invoice was paid in full.");
    await page.getByLabel("Payload schema (JSON Schema draft 2020-12)").fill(
      JSON.stringify({ type: "object", required: ["invoice"], properties: { invoice: { type: "object", required: ["id", "paid_at"], properties: { id: { type: "string" }, paid_at: { type: "string", format: "date-time" } } } } }),
    );
    await page.getByLabel("Example 1 payload (JSON)").fill('{"invoice": {"id": "inv_1", "paid_at": "yesterday"}}');
    await page.getByRole("button", { name: "Create event type" }).click();
    await expect(page.getByTestId("error-examples.0.payload-error")).toHaveText('Does not match the schema: /invoice/paid_at must match format "date-time"');

    await page.getByLabel("Example 1 payload (JSON)").fill('{"invoice": {"id": "inv_1", "paid_at": "2026-01-01T00:00:00Z"}}');
    await page.getByRole("button", { name: "Create event type" }).click();
    await expect(page).toHaveURL(/\/platform\/catalog$/);
    const row = page.getByTestId(`platform-type-${name}`);
    await expect(row).toContainText("Active");

    await row.getByRole("button", { name: "Archive" }).click();
    await expect(row).toContainText("Archived");
    await expect(row.getByRole("button", { name: "Restore" })).toBeVisible();

    // An admin (not staff) no longer finds it in the picker or the catalog, but its page stays readable.
    const adminContext = await browser.newContext();
    const admin = await adminContext.newPage();
    await signIn(admin, await data.member(org.slug, "ADMIN"), `/${org.slug}/settings/integrations/webhooks/endpoints/new`);
    await expect(admin.getByRole("checkbox", { name: "contract.created", exact: true })).toBeVisible();
    await expect(admin.getByRole("checkbox", { name })).toHaveCount(0);
    await admin.goto(catalog(org.slug));
    await expect(admin.getByRole("link", { name: /^contract\.created/ })).toBeVisible();
    await expect(admin.getByRole("link", { name: new RegExp(`^${name}`) })).toHaveCount(0);
    await admin.goto(`${catalog(org.slug)}/${name}`);
    await expect(admin.getByRole("heading", { name })).toBeVisible();
    await expect(admin.getByText("This type can no longer be chosen for new subscriptions.")).toBeVisible();
    await expect(admin.getByTestId("field-invoice.paid_at")).toContainText("string (date-time)");
    await expect(admin.getByRole("link", { name: "Edit in the platform catalog" })).toHaveCount(0);
    await adminContext.close();
  });
});
