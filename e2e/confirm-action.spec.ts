import { randomUUID } from "node:crypto";
import pg from "pg";
import { generateApiKey } from "../lib/api-keys/key";
import type { Page } from "@playwright/test";
import { expect, signIn, test, type E2eData } from "./fixtures";

/**
 * ConfirmAction (components/ui/confirm-action.tsx), the one confirm-then-run dialog, driven through
 * the API keys page's Revoke: its outcome is read back from the database.
 */

async function insertKey(data: E2eData, orgId: string, name: string): Promise<string> {
  const id = randomUUID();
  const { prefix, hash } = generateApiKey("ORGANIZATION");
  await data.query(`INSERT INTO "ApiKey" (id, name, scope, "organizationId", prefix, hash) VALUES ($1, $2, 'ORGANIZATION', $3, $4, $5)`, [id, name, orgId, prefix, hash]);
  return id;
}

async function revokedAt(data: E2eData, id: string): Promise<Date | null> {
  const { rows } = await data.query<{ revokedAt: Date | null }>(`SELECT "revokedAt" FROM "ApiKey" WHERE id = $1`, [id]);
  return rows[0]!.revokedAt;
}

/** An admin on the API keys page of a new organization with one active key, its Revoke dialog open. */
async function openRevoke(page: Page, data: E2eData, name: string) {
  const org = await data.createOrg();
  const id = await insertKey(data, org.id, name);
  await signIn(page, await data.member(org.slug, "ADMIN"), `/${org.slug}/settings/api-keys`);
  const row = page.getByTestId("api-keys-organization").getByRole("row").filter({ hasText: name });
  const trigger = row.getByRole("button", { name: "Revoke" });
  await trigger.click();
  const dialog = page.getByRole("alertdialog");
  await expect(dialog).toContainText(`Revoke “${name}”?`);
  return { id, row, trigger, dialog };
}

test.describe("ConfirmAction", () => {
  test("Escape cancels without running the action, and focus returns to the trigger", async ({ page, data }) => {
    const { id, row, trigger, dialog } = await openRevoke(page, data, "Billing sync");
    // Cancel has the focus, so Enter on a freshly opened dialog never confirms.
    await expect(dialog.getByRole("button", { name: "Cancel" })).toBeFocused();
    await page.keyboard.press("Escape");
    await expect(dialog).toBeHidden();
    await expect(trigger).toBeFocused();
    expect(await revokedAt(data, id)).toBeNull();
    await page.reload();
    await expect(row).toContainText("Active");
  });

  test("a failed action keeps the dialog open with its error, and confirming again works once the cause is gone", async ({ page, data }) => {
    const { id, dialog } = await openRevoke(page, data, "CRM export");

    // Someone else revokes the key while the dialog is open: the action fails with not_found.
    await data.query(`UPDATE "ApiKey" SET "revokedAt" = now() WHERE id = $1`, [id]);
    await dialog.getByRole("button", { name: "Revoke key" }).click();
    await expect(dialog.getByTestId("confirm-action-error")).toHaveText("No active key with that id here. It may already be revoked.");
    await expect(dialog).toBeVisible();
    await expect(dialog.getByRole("button", { name: "Revoke key" })).toBeEnabled();

    // The cause removed, the same dialog succeeds: the error goes, the dialog closes, the toast says so.
    await data.query(`UPDATE "ApiKey" SET "revokedAt" = NULL WHERE id = $1`, [id]);
    await dialog.getByRole("button", { name: "Revoke key" }).click();
    await expect(dialog).toBeHidden();
    await expect(page.getByText("Key “CRM export” revoked")).toBeVisible();
    expect(await revokedAt(data, id)).not.toBeNull();
  });

  test("while the action runs, the buttons are disabled and Escape does not close the dialog", async ({ page, data }) => {
    const { id, row, dialog } = await openRevoke(page, data, "Warehouse feed");

    // A lock on the key's row holds the action's UPDATE until the test lets go.
    const blocker = new pg.Client({ connectionString: process.env.E2E_DATABASE_URL });
    await blocker.connect();
    try {
      await blocker.query("BEGIN");
      await blocker.query(`SELECT 1 FROM "ApiKey" WHERE id = $1 FOR UPDATE`, [id]);
      await dialog.getByRole("button", { name: "Revoke key" }).click();
      const confirm = dialog.getByRole("button", { name: "Revoking…" });
      await expect(confirm).toBeDisabled();
      await expect(dialog.getByRole("button", { name: "Cancel" })).toBeDisabled();
      await page.keyboard.press("Escape");
      await expect(dialog).toBeVisible();
      await expect(confirm).toBeDisabled();
      expect(await revokedAt(data, id)).toBeNull();
    } finally {
      await blocker.query("ROLLBACK");
      await blocker.end();
    }
    await expect(dialog).toBeHidden();
    await expect(page.getByText("Key “Warehouse feed” revoked")).toBeVisible();
    expect(await revokedAt(data, id)).not.toBeNull();
    await expect(row).toContainText("Revoked");
  });
});
