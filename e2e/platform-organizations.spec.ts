import { randomUUID } from "node:crypto";
import { ADMIN, expect, signIn, test } from "./fixtures";
import { apiFailure, createKey, svix } from "./sdk";

test.describe("Platform → Organizations", () => {
  test("staff create an organization with an owner invite link, are refused a taken slug, then disable and enable it", async ({ page, context, browser, data }) => {
    test.setTimeout(150_000);
    await context.grantPermissions(["clipboard-read", "clipboard-write"]);
    const suffix = randomUUID().slice(0, 6);
    const name = `Umbrella ${suffix}`;
    const slug = `umbrella-${suffix}`;

    // The seeded admin is platform staff.
    await signIn(page, ADMIN, "/platform/organizations");
    await expect(page.getByRole("heading", { name: "Organizations" })).toBeVisible();
    await page.getByRole("button", { name: "Create organization" }).click();
    const dialog = page.getByRole("dialog");
    await dialog.getByLabel("Name").fill(name);
    // The slug is suggested from the name.
    await expect(dialog.getByLabel("Slug")).toHaveValue(slug);
    await dialog.getByLabel(/Owner e-mail/).fill(`Owner-${suffix}@Umbrella.test`);
    await dialog.getByRole("button", { name: "Create organization" }).click();

    const link = dialog.getByTestId("owner-invite-link");
    await expect(link).toHaveValue(new RegExp(`^http://127\\.0\\.0\\.1:${process.env.E2E_PORT}/invite/inv_[A-Za-z0-9_-]{43}$`));
    await expect(dialog).toContainText(`owner-${suffix}@umbrella.test`);
    await dialog.getByRole("button", { name: "Copy invite link" }).click();
    await expect(page.getByText("Invite link copied")).toBeVisible();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(await link.inputValue());
    await dialog.getByRole("button", { name: "Done" }).click();

    const row = page.getByTestId(`organization-${slug}`);
    await expect(row).toContainText(name);
    await expect(row).toContainText("Active");
    const [{ id }] = (await data.query<{ id: string }>(`SELECT id FROM "Organization" WHERE slug = $1`, [slug])).rows;
    expect((await data.query(`SELECT 1 FROM "Invite" WHERE "organizationId" = $1 AND role = 'OWNER'`, [id!])).rowCount).toBe(1);

    // The same slug again: a field error, and the dialog keeps what was typed.
    await page.getByRole("button", { name: "Create organization" }).click();
    await dialog.getByLabel("Name").fill("Copycat");
    await dialog.getByLabel("Slug").fill(slug);
    await dialog.getByRole("button", { name: "Create organization" }).click();
    await expect(dialog.getByTestId("error-org-slug-error")).toContainText(`"${slug}"`);
    await expect(dialog.getByLabel("Name")).toHaveValue("Copycat");
    await page.keyboard.press("Escape");
    expect((await data.query(`SELECT 1 FROM "Organization" WHERE name = 'Copycat'`)).rowCount).toBe(0);

    // Disable: its organization key is refused over HTTP, a member sees the notice.
    const key = await createKey(data, id!);
    const owner = await data.createAccount();
    await data.addMember(slug, owner, "OWNER");
    await row.getByRole("button", { name: `Actions for ${name}` }).click();
    await page.getByRole("menuitem", { name: "Disable…" }).click();
    const confirm = page.getByRole("alertdialog");
    await expect(confirm).toContainText("API keys are refused");
    await expect(confirm).toContainText("deliveries wait");
    await confirm.getByRole("button", { name: "Disable organization" }).click();
    await expect(row).toContainText("Disabled");
    const refused = await apiFailure(svix(key).endpoint.list(slug));
    expect(refused.code).toBe(403);
    expect(refused.body.code).toBe("organization_disabled");

    const memberContext = await browser.newContext();
    const memberPage = await memberContext.newPage();
    await signIn(memberPage, owner, `/${slug}/settings/integrations/webhooks`);
    await expect(memberPage.getByTestId("organization-disabled-banner")).toContainText("disabled by the platform");

    // Enable: the key works again and the notice is gone.
    await row.getByRole("button", { name: `Actions for ${name}` }).click();
    await page.getByRole("menuitem", { name: "Enable…" }).click();
    await page.getByRole("alertdialog").getByRole("button", { name: "Enable organization" }).click();
    await expect(row).toContainText("Active");
    await expect((await svix(key).endpoint.list(slug)).data).toEqual([]);
    await memberPage.reload();
    await expect(memberPage.getByRole("heading", { name: "Webhooks" })).toBeVisible();
    await expect(memberPage.getByTestId("organization-disabled-banner")).toHaveCount(0);
    await memberContext.close();
  });

  test("is for staff only: an owner of an organization gets the 404 page", async ({ page, data }) => {
    const org = await data.createOrg();
    const owner = await data.member(org.slug, "OWNER");
    await signIn(page, owner, "/platform/organizations");
    await expect(page.getByRole("heading", { name: "Organizations" })).toHaveCount(0);
    await expect(page.getByRole("heading", { name: "Page not found" })).toBeVisible();
  });
});
