import { ADMIN, DEMO_ORG, expect, signIn, test } from "./fixtures";

const webhooks = (org: string) => `/${org}/settings/integrations/webhooks`;

test.describe("sign-in", () => {
  test("an anonymous visit goes to sign-in and comes back to the page after signing in", async ({ page }) => {
    await page.goto(webhooks(DEMO_ORG));
    await expect(page).toHaveURL(/\/sign-in\?callbackUrl=%2Facme%2Fsettings%2Fintegrations%2Fwebhooks/);
    await page.getByLabel("Email").fill(ADMIN.email);
    await page.getByLabel("Password").fill(ADMIN.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page).toHaveURL(new RegExp(`${webhooks(DEMO_ORG)}$`));
    await expect(page.getByRole("heading", { name: "Webhooks", level: 1 })).toBeVisible();
  });

  test("a wrong password shows an error and keeps the visitor signed out", async ({ page, data }) => {
    const account = await data.createAccount();
    await signIn(page, { email: account.email, password: "not-the-password" }, "/sign-in");
    await expect(page.getByTestId("sign-in-error")).toHaveText("Wrong email or password.");
    await expect(page).toHaveURL(/\/sign-in/);
    await page.goto(webhooks(DEMO_ORG));
    await expect(page).toHaveURL(/\/sign-in/);
  });

  test("signing out ends the session", async ({ page, data }) => {
    const org = await data.createOrg();
    const owner = await data.member(org.slug, "OWNER");
    await signIn(page, owner, webhooks(org.slug));
    await expect(page.getByRole("heading", { name: "Webhooks", level: 1 })).toBeVisible();
    // The cookie as the last answer before the sign-out re-signed it: what a request still in
    // flight during the sign-out would put back afterwards.
    const beforeSignOut = await page.context().cookies();
    expect(beforeSignOut.some((c) => c.name.endsWith("authjs.session-token"))).toBe(true);
    await page.getByRole("button", { name: "Account menu" }).click();
    await page.getByRole("menuitem", { name: "Sign out" }).click();
    await expect(page).toHaveURL(/\/sign-in/);
    await page.goto(webhooks(org.slug));
    await expect(page).toHaveURL(/\/sign-in/);

    await page.context().addCookies(beforeSignOut);
    await page.goto(webhooks(org.slug));
    await expect(page).toHaveURL(/\/sign-in/);
    expect((await page.context().cookies()).some((c) => c.name.endsWith("authjs.session-token"))).toBe(false);
  });

  test("an organization the user does not belong to is not found", async ({ page, data }) => {
    const mine = await data.createOrg();
    const other = await data.createOrg();
    const owner = await data.member(mine.slug, "OWNER");
    await signIn(page, owner, webhooks(mine.slug));
    await expect(page.getByRole("heading", { name: "Webhooks", level: 1 })).toBeVisible();
    await page.goto(webhooks(other.slug));
    await expect(page.getByRole("heading", { name: "Page not found" })).toBeVisible();
  });
});

test.describe("enable webhooks", () => {
  test("an owner enables webhooks, it persists across reload, and disabling asks for confirmation", async ({ page, data }) => {
    const org = await data.createOrg();
    const owner = await data.member(org.slug, "OWNER");
    await signIn(page, owner, webhooks(org.slug));
    const status = page.getByTestId("webhooks-status");
    await expect(status).toHaveText("Disabled");

    await page.getByRole("switch").click();
    await expect(status).toHaveText("Enabled");
    await page.reload();
    await expect(page.getByTestId("webhooks-status")).toHaveText("Enabled");

    await page.getByRole("switch").click();
    const dialog = page.getByRole("alertdialog");
    await expect(dialog).toContainText("Disable webhooks?");
    await dialog.getByRole("button", { name: "Cancel" }).click();
    await expect(status).toHaveText("Enabled");

    await page.getByRole("switch").click();
    await page.getByRole("alertdialog").getByRole("button", { name: "Disable webhooks" }).click();
    await expect(status).toHaveText("Disabled");
    await page.reload();
    await expect(page.getByTestId("webhooks-status")).toHaveText("Disabled");
  });

  test("a viewer sees the state but no control to change it", async ({ page, data }) => {
    const org = await data.createOrg({ webhooksEnabled: true });
    const viewer = await data.member(org.slug, "VIEWER");
    await signIn(page, viewer, webhooks(org.slug));
    await expect(page.getByTestId("webhooks-status")).toHaveText("Enabled");
    await expect(page.getByRole("switch")).toHaveCount(0);
    await expect(page.getByText("Only owners and admins can turn webhooks on or off.")).toBeVisible();
    // The retry schedule in force is stated where endpoints are listed.
    await expect(page.getByTestId("retry-schedule")).toContainText("within 15 seconds");
    await expect(page.getByTestId("retry-schedule")).toContainText("retried 7 times: 5 seconds after attempt 1, 5 minutes after attempt 2");
  });
});
