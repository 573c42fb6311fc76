import { createHash, randomBytes, randomUUID } from "node:crypto";
import { test as base, expect, type Page } from "@playwright/test";
import bcrypt from "bcryptjs";
import pg from "pg";

/**
 * Shared end-to-end helpers. Accounts and organizations are created straight in the test database
 * (the app has no sign-up flow); everything else goes through the browser.
 */
export const ADMIN = { email: "admin@acme.test", password: "e2e-admin-password" };
export const DEMO_ORG = "acme";
export const PASSWORD = "e2e-member-password";
const PASSWORD_HASH = bcrypt.hashSync(PASSWORD, 4);

export type Role = "OWNER" | "ADMIN" | "VIEWER";

export interface Account {
  id: string;
  email: string;
  password: string;
}

export class E2eData {
  constructor(private readonly pool: pg.Pool) {}

  query<T extends pg.QueryResultRow>(sql: string, params: unknown[] = []) {
    return this.pool.query<T>(sql, params);
  }

  async createOrg(options: { name?: string; webhooksEnabled?: boolean } = {}) {
    const slug = `e2e-${randomUUID().slice(0, 8)}`;
    const id = randomUUID();
    await this.pool.query(
      `INSERT INTO "Organization" (id, name, slug, "webhooksEnabled", "updatedAt") VALUES ($1, $2, $3, $4, now())`,
      [id, options.name ?? `E2E ${slug}`, slug, options.webhooksEnabled ?? false],
    );
    return { id, slug, name: options.name ?? `E2E ${slug}` };
  }

  async createAccount(options: { isStaff?: boolean } = {}): Promise<Account> {
    const id = randomUUID();
    const email = `user-${id.slice(0, 8)}@e2e.test`;
    await this.pool.query(
      `INSERT INTO "User" (id, email, "passwordHash", "isStaff", "updatedAt") VALUES ($1, $2, $3, $4, now())`,
      [id, email, PASSWORD_HASH, options.isStaff ?? false],
    );
    return { id, email, password: PASSWORD };
  }

  async addMember(orgSlug: string, account: Account, role: Role) {
    await this.pool.query(
      `INSERT INTO "Membership" (id, "userId", "organizationId", role)
       SELECT $1, $2, o.id, $3::"Role" FROM "Organization" o WHERE o.slug = $4`,
      [randomUUID(), account.id, role, orgSlug],
    );
  }

  /**
   * A pending invite, as `createInvite` (lib/members/invites.ts) stores it: only the token's SHA-256
   * is kept; the returned path (`/invite/<token>`) is the one-time link.
   */
  async createInvite(orgSlug: string, email: string, role: Role): Promise<string> {
    const token = `inv_${randomBytes(32).toString("base64url")}`;
    await this.pool.query(
      `INSERT INTO "Invite" (id, "organizationId", email, role, "tokenHash", "expiresAt")
       SELECT $1, o.id, $2, $3::"Role", $4, now() + interval '7 days' FROM "Organization" o WHERE o.slug = $5`,
      [randomUUID(), email.toLowerCase(), role, createHash("sha256").update(token).digest("hex"), orgSlug],
    );
    return `/invite/${token}`;
  }

  /** A new account with the given role in the organization. */
  async member(orgSlug: string, role: Role, options: { isStaff?: boolean } = {}): Promise<Account> {
    const account = await this.createAccount(options);
    await this.addMember(orgSlug, account, role);
    return account;
  }
}

export async function signIn(page: Page, account: { email: string; password: string }, path = "/") {
  await page.goto(path);
  await page.getByLabel("Email").fill(account.email);
  await page.getByLabel("Password").fill(account.password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

/**
 * Chooses `option` in the select labelled `label` and waits until the select shows it. A click that
 * lands while the page is still hydrating, or while the list is still opening, can leave the list open
 * with nothing chosen: then it is tried again (Escape, open, choose).
 */
export async function chooseOption(page: Page, label: string, option: string) {
  const select = page.getByRole("combobox", { name: label, exact: true });
  await expect(async () => {
    if ((await page.getByRole("listbox").count()) > 0) await page.keyboard.press("Escape");
    await select.click();
    await page.getByRole("option", { name: option, exact: true }).click({ timeout: 5_000 });
    await expect(select).toContainText(option, { timeout: 2_000 });
  }).toPass({ timeout: 30_000 });
}

export const test = base.extend<object, { data: E2eData }>({
  data: [
    async ({}, use) => {
      const pool = new pg.Pool({ connectionString: process.env.E2E_DATABASE_URL, max: 2 });
      await use(new E2eData(pool));
      await pool.end();
    },
    { scope: "worker" },
  ],
});

export { expect };
