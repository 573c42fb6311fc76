import { randomUUID } from "node:crypto";
import type { Page } from "@playwright/test";
import { ADMIN, expect, signIn, test } from "./fixtures";

const webhooks = (org: string) => `/${org}/settings/integrations/webhooks`;
const members = (org: string) => `/${org}/settings/members`;

/** The invite page for a new address: name and password, then signed in on the organization's webhooks. */
async function joinAsNewPerson(page: Page, link: string, person: { name: string; password: string }, orgSlug: string) {
  await page.goto(link);
  await expect(page.getByTestId("invite-new-account")).toBeVisible();
  await page.getByLabel("Your name").fill(person.name);
  await page.getByLabel("Password", { exact: true }).fill(person.password);
  await page.getByLabel("Confirm password").fill(person.password);
  await page.getByRole("button", { name: "Create account and join" }).click();
  await expect(page).toHaveURL(new RegExp(`${webhooks(orgSlug)}$`));
  await expect(page.getByRole("heading", { name: "Webhooks", level: 1 })).toBeVisible();
}

test.describe("members and invites", () => {
  test("staff create an organization and invite its owner, who sets a password, lands on the webhooks, invites a viewer, who sees no controls", async ({ page, browser }) => {
    test.setTimeout(180_000);
    // Platform staff create the organization and invite its first owner on Platform → Organizations.
    const suffix = randomUUID().slice(0, 8);
    const org = { name: `Globex ${suffix}`, slug: `globex-${suffix}` };
    const ownerEmail = `owner-${suffix}@e2e.test`;
    await signIn(page, ADMIN, "/platform/organizations");
    await page.getByRole("button", { name: "Create organization" }).click();
    const dialog = page.getByRole("dialog");
    await dialog.getByLabel("Name").fill(org.name);
    await expect(dialog.getByLabel("Slug")).toHaveValue(org.slug);
    await dialog.getByLabel(/Owner e-mail/).fill(ownerEmail);
    await dialog.getByRole("button", { name: "Create organization" }).click();
    const staffLink = dialog.getByTestId("owner-invite-link");
    await expect(staffLink).toHaveValue(/\/invite\/inv_/);
    const ownerLink = new URL(await staffLink.inputValue()).pathname;

    const ownerContext = await browser.newContext();
    const owner = await ownerContext.newPage();
    await owner.goto(ownerLink);
    await expect(owner.getByRole("heading", { name: `Join ${org.name}` })).toBeVisible();
    await expect(owner.getByTestId("invite-new-account")).toContainText(`${ownerEmail} to join ${org.name} as owner`);
    // The policy speaks before anything is created.
    await owner.getByLabel("Your name").fill("Olive Owner");
    await owner.getByLabel("Password", { exact: true }).fill("password1234");
    await owner.getByLabel("Confirm password").fill("password1234");
    await owner.getByRole("button", { name: "Create account and join" }).click();
    await expect(owner.getByTestId("error-password-error")).toContainText("too easy to guess");
    await joinAsNewPerson(owner, ownerLink, { name: "Olive Owner", password: "amber canyon lantern 77" }, org.slug);
    await expect(owner.getByRole("link", { name: /Add .*endpoint/ })).toBeVisible();

    // The link was used: opening it again says so.
    await owner.goto(ownerLink);
    await expect(owner.getByTestId("invite-invite_used")).toContainText("already used");

    await owner.goto(webhooks(org.slug));
    await owner.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Members" }).click();
    await expect(owner.getByRole("heading", { name: "Members", level: 1 })).toBeVisible();
    await expect(owner.getByTestId("member-row")).toHaveCount(1);
    // Alone, the owner cannot demote or remove themselves: no controls to stumble on, and the reason.
    await expect(owner.getByTestId("sole-owner-note")).toContainText(`${ownerEmail} is the only owner`);
    const viewerEmail = `viewer-${randomUUID().slice(0, 8)}@e2e.test`;
    await owner.getByRole("button", { name: "Invite member" }).click();
    await owner.getByLabel("Email").fill(viewerEmail);
    await owner.getByRole("combobox", { name: "Role", exact: true }).click();
    await owner.getByRole("option", { name: "Viewer" }).click();
    await owner.getByRole("button", { name: "Create invite link" }).click();
    const link = owner.getByTestId("invite-link");
    await expect(link).toHaveValue(/\/invite\/inv_/);
    const viewerLink = new URL(await link.inputValue()).pathname;
    await expect(owner.getByTestId("invite-mail-note")).toContainText("No mail server is configured");
    await owner.getByRole("button", { name: "Done" }).click();
    await expect(owner.getByTestId("invite-row")).toContainText(viewerEmail);

    const viewerContext = await browser.newContext();
    const viewer = await viewerContext.newPage();
    await joinAsNewPerson(viewer, viewerLink, { name: "Victor Viewer", password: "quiet harbor meadow 19" }, org.slug);
    await expect(viewer.getByRole("heading", { name: "Endpoints", exact: true })).toBeVisible();
    await expect(viewer.getByRole("link", { name: /Add .*endpoint/ })).toHaveCount(0);
    await viewer.goto(members(org.slug));
    await expect(viewer.getByTestId("member-row")).toHaveCount(2);
    await expect(viewer.getByRole("button", { name: "Invite member" })).toHaveCount(0);
    await expect(viewer.getByRole("combobox")).toHaveCount(0);
    await expect(viewer.getByRole("button", { name: /^Remove / })).toHaveCount(0);
    await expect(viewer.getByText("Only owners can invite people or change roles.")).toBeVisible();

    // The owner sees the viewer joined, and can change the role.
    await owner.reload();
    await expect(owner.getByTestId("member-row")).toHaveCount(2);
    await expect(owner.getByRole("combobox", { name: "Role of Victor Viewer" })).toHaveText("Viewer");
    await expect(owner.getByTestId("invite-row")).toHaveCount(0);

    await ownerContext.close();
    await viewerContext.close();
  });

  test("an existing account signs in from the invite, comes back to it and accepts", async ({ page, data }) => {
    const org = await data.createOrg({ name: "Initech Hooks" });
    const account = await data.createAccount();
    const link = await data.createInvite(org.slug, account.email, "ADMIN");
    await page.goto(link);
    await expect(page.getByTestId("invite-sign-in")).toContainText(`${account.email} already has a HookRelay account`);
    await page.getByRole("link", { name: "Sign in to accept" }).click();
    await expect(page).toHaveURL(/\/sign-in\?/);
    await expect(page.getByLabel("Email")).toHaveValue(account.email);
    await page.getByLabel("Password").fill(account.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page).toHaveURL(new RegExp(`${link}$`));
    await page.getByRole("button", { name: "Accept and open Initech Hooks" }).click();
    await expect(page).toHaveURL(new RegExp(`${webhooks(org.slug)}$`));
    // An admin manages webhooks.
    await expect(page.getByRole("link", { name: /Add .*endpoint/ })).toBeVisible();
  });

  test("an account created whose sign-in then fails: the form gives way to the message and a Sign in link, nothing to submit twice", async ({ page, data }) => {
    const org = await data.createOrg({ webhooksEnabled: true });
    const email = `throttled-${randomUUID().slice(0, 8)}@e2e.test`;
    const link = await data.createInvite(org.slug, email, "VIEWER");
    // Ten failed sign-ins for the address within the window: the account gets created, its sign-in is throttled.
    await data.query(`INSERT INTO "FailedSignIn" (email, ip) SELECT $1, 'e2e' FROM generate_series(1, 10)`, [email]);
    await page.goto(link);
    await expect(page.getByTestId("invite-new-account")).toBeVisible();
    const password = `Correct-horse-${randomUUID()}`;
    await page.getByLabel("Your name").fill("Throttled Person");
    await page.getByLabel("Password", { exact: true }).fill(password);
    await page.getByLabel("Confirm password").fill(password);
    await page.getByRole("button", { name: "Create account and join" }).click();
    const created = page.getByTestId("account-created");
    await expect(created.getByRole("status")).toContainText(`Your account was created and you joined ${org.name}, but signing in failed`);
    await expect(page.getByRole("button", { name: "Create account and join" })).toHaveCount(0);
    await expect(created.getByRole("link", { name: "Sign in" })).toHaveAttribute("href", "/sign-in");
    const { rows } = await data.query<{ n: number }>(`SELECT count(*)::int AS n FROM "User" WHERE email = $1`, [email]);
    expect(rows[0]!.n).toBe(1);
  });
});
