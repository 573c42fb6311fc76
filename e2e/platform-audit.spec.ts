import { randomUUID } from "node:crypto";
import { expect, PASSWORD, signIn, test } from "./fixtures";

/**
 * Platform → Audit log, as staff use it: filter, page forwards and back (the page's links and the
 * browser's Back), and the platform entry a password change leaves. Everyone else gets the 404.
 */

const rows = (page: import("@playwright/test").Page) => page.getByTestId("audit-entry");

test.describe("the platform audit log", () => {
  test("staff filter it by actor, page forwards and back, filter by action and organization; a password change is a platform entry", async ({ page, data }) => {
    const staff = await data.createAccount({ isStaff: true });
    const org = await data.createOrg({ name: "Audited Co" });
    const actor = `auditor-${randomUUID().slice(0, 8)}@e2e.test`;
    // 120 entries of one actor, a minute apart: three pages of 50, 50 and 20.
    await data.query(
      `INSERT INTO "AuditLog" (id, "organizationId", "actorEmail", action, changes, "createdAt")
       SELECT 'e2e_audit_' || $2 || '_' || g, $1, $2, CASE WHEN g % 10 = 0 THEN 'member.invited' ELSE 'endpoint.updated' END,
              jsonb_build_object('url', jsonb_build_object('before', 'https://old.example/' || g, 'after', 'https://new.example/' || g)),
              now() - g * interval '1 minute'
         FROM generate_series(1, 120) g`,
      [org.id, actor],
    );

    await signIn(page, staff, "/platform/audit");
    await expect(page.getByRole("heading", { name: "Audit log" })).toBeVisible();
    await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Audit log" })).toHaveAttribute("aria-current", "page");

    // Filter: the actor typed in any case.
    await page.getByLabel("Actor").fill(actor.toUpperCase());
    await page.getByLabel("Actor").press("Enter");
    await expect(page).toHaveURL(new RegExp(`actor=${encodeURIComponent(actor.toUpperCase()).replace(/\./g, "\\.")}`));
    await expect(rows(page)).toHaveCount(50);
    await expect(rows(page).first()).toContainText(actor);
    await expect(rows(page).first()).toContainText("Audited Co");
    const firstPage = await rows(page).first().textContent();

    // Next page, and the one after: 50 then 20, none repeated.
    await page.getByRole("link", { name: "Next page" }).click();
    await expect(rows(page).first()).not.toHaveText(firstPage!);
    await expect(rows(page)).toHaveCount(50);
    const secondPage = await rows(page).first().textContent();
    await page.getByRole("link", { name: "Next page" }).click();
    await expect(rows(page)).toHaveCount(20);
    await expect(page.getByRole("button", { name: "Next page" })).toBeDisabled();

    // Previous page comes back to the second page; the browser's Back to the third, then the second, then the first.
    await page.getByRole("link", { name: "Previous page" }).click();
    await expect(rows(page).first()).toHaveText(secondPage!);
    await page.goBack();
    await expect(rows(page)).toHaveCount(20);
    await page.goBack();
    await expect(rows(page).first()).toHaveText(secondPage!);
    await page.goBack();
    await expect(rows(page).first()).toHaveText(firstPage!);
    await expect(page.getByRole("button", { name: "Previous page" })).toBeDisabled();

    // A filter starts again from the first page: 12 invites among the 120.
    await page.getByLabel("Action").selectOption({ label: "Member invited" });
    await expect(page).toHaveURL(/action=member\.invited/);
    await expect(page).not.toHaveURL(/cursor=/);
    await expect(rows(page)).toHaveCount(12);
    await page.getByLabel("Organization").selectOption({ label: "No organization (platform)" });
    await expect(page.getByText("No entries match these filters")).toBeVisible();
    await page.getByRole("button", { name: "Clear filters" }).click();
    await expect(page).toHaveURL(/\/platform\/audit$/);
    await expect(page.getByLabel("Actor")).toHaveValue("");

    // The staff member changes their own password; the entry is the platform's, with where it came from.
    await page.goto("/account");
    await page.getByLabel("Current password").fill(PASSWORD);
    await page.getByLabel("New password", { exact: true }).fill("violet tractor umbrella 42");
    await page.getByLabel("Confirm new password").fill("violet tractor umbrella 42");
    await page.getByRole("button", { name: "Change password" }).click();
    await expect(page.getByText("Password changed.")).toBeVisible();
    await page.goto(`/platform/audit?organization=platform&actor=${encodeURIComponent(staff.email)}`);
    await expect(rows(page)).toHaveCount(1);
    await expect(rows(page)).toContainText("Password changed");
    await expect(rows(page)).toContainText("Platform");
    await expect(rows(page)).toContainText("ip: 127.0.0.1");
    await expect(rows(page)).not.toContainText("violet tractor");
  });

  test("is not found for anyone but staff, an organization's owner included", async ({ page, data }) => {
    const org = await data.createOrg();
    const owner = await data.member(org.slug, "OWNER");
    await signIn(page, owner, "/platform/audit");
    await expect(page.getByRole("heading", { name: "Page not found" })).toBeVisible();
    expect((await page.goto("/platform/audit"))?.status()).toBe(404);
    await expect(page.getByRole("link", { name: "Audit log" })).toHaveCount(0);
  });
});
