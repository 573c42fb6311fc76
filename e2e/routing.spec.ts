import { ADMIN, DEMO_ORG, expect, signIn, test } from "./fixtures";

const webhooks = (org: string) => `/${org}/settings/integrations/webhooks`;

/** Pages whose address names something that does not exist answer a real 404, not a 200 "not found" screen. */
test.describe("HTTP status of missing pages", () => {
  test("unknown endpoint ids and event types answer 404 with the not-found page", async ({ page, data }) => {
    const org = await data.createOrg();
    await signIn(page, await data.member(org.slug, "OWNER"), webhooks(org.slug));
    await expect(page.getByRole("heading", { name: "Webhooks", level: 1 })).toBeVisible();
    const base = webhooks(org.slug);
    for (const path of [
      `${base}/endpoints/nope`,
      `${base}/endpoints/nope/edit`,
      `${base}/endpoints/nope/activity`,
      `${base}/endpoints/ep_0000000000000000`,
      `${base}/catalog/nope`,
      `${base}/catalog/contract.nope`,
    ]) {
      const response = await page.goto(path);
      expect(response?.status(), path).toBe(404);
      await expect(page.getByRole("heading", { name: "Page not found" })).toBeVisible();
    }
    // Existing pages still answer 200.
    for (const path of [base, `${base}/catalog`, `${base}/catalog/contract.created`, `${base}/endpoints/new`]) {
      expect((await page.goto(path))?.status(), path).toBe(200);
    }
  });

  test("another organization's endpoint and pages a viewer may not open answer 404", async ({ page, data }) => {
    const org = await data.createOrg();
    const other = await data.createOrg();
    const theirs = `ep_${Date.now().toString(16)}abcdef`;
    await data.query(
      `INSERT INTO "Endpoint" (id, "organizationId", url, "eventTypes", "updatedAt") VALUES ($1, $2, 'https://other.example.test/hooks', $3, now())`,
      [theirs, other.id, ["contract.created"]],
    );
    await signIn(page, await data.member(org.slug, "VIEWER"), webhooks(org.slug));
    await expect(page.getByRole("heading", { name: "Webhooks", level: 1 })).toBeVisible();
    for (const path of [`${webhooks(org.slug)}/endpoints/${theirs}`, `${webhooks(org.slug)}/endpoints/new`, `${webhooks(other.slug)}/endpoints/${theirs}`]) {
      expect((await page.goto(path))?.status(), path).toBe(404);
      await expect(page.getByRole("heading", { name: "Page not found" })).toBeVisible();
    }
  });
});

test.describe("platform pages", () => {
  const platformPages = ["/platform", "/platform/organizations", "/platform/jobs", "/platform/send-event", "/platform/catalog", "/platform/catalog/new", "/platform/catalog/contract.created/edit"];

  test("are not found for anyone but platform staff, owners included", async ({ page, data }) => {
    const org = await data.createOrg();
    await signIn(page, await data.member(org.slug, "OWNER"), webhooks(org.slug));
    await expect(page.getByRole("heading", { name: "Webhooks", level: 1 })).toBeVisible();
    await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Jobs" })).toHaveCount(0);
    for (const path of platformPages) {
      expect((await page.goto(path))?.status(), path).toBe(404);
      await expect(page.getByRole("heading", { name: "Page not found" })).toBeVisible();
    }
  });

  test("staff reach them from the sidebar, outside any organization", async ({ page, data }) => {
    const staff = await data.createAccount({ isStaff: true });
    await signIn(page, staff, "/platform/jobs");
    await expect(page).toHaveURL(/\/platform\/jobs$/);
    await expect(page.getByRole("heading", { name: "Jobs", level: 1 })).toBeVisible();
    const nav = page.getByRole("navigation", { name: "Main" });
    await nav.getByRole("link", { name: "Event catalog" }).click();
    await expect(page).toHaveURL(/\/platform\/catalog$/);
    await expect(page.getByRole("heading", { name: "Event catalog", level: 1 })).toBeVisible();
    await nav.getByRole("link", { name: "Send event" }).click();
    await expect(page.getByRole("heading", { name: "Send event", level: 1 })).toBeVisible();
    // Only the staff check guards these pages: a staff account needs no membership.
    await page.getByRole("combobox", { name: "Organization" }).click();
    await page.getByRole("option", { name: `Acme Cloud (${DEMO_ORG})` }).click();
    await expect(page).toHaveURL(new RegExp(`/platform/send-event\\?org=${DEMO_ORG}$`));
    expect((await page.goto("/platform/catalog/contract.nope/edit"))?.status()).toBe(404);
    await expect(page.getByRole("heading", { name: "Page not found" })).toBeVisible();
  });

  test("old addresses under an organization redirect permanently, query included", async ({ page }) => {
    const moved: [string, string][] = [
      [`/${DEMO_ORG}/admin/jobs?status=failed`, "/platform/jobs?status=failed"],
      [`/${DEMO_ORG}/admin/send-event`, `/platform/send-event?org=${DEMO_ORG}`],
      [`${webhooks(DEMO_ORG)}/catalog/new`, "/platform/catalog/new"],
      [`${webhooks(DEMO_ORG)}/catalog/contract.created/edit`, "/platform/catalog/contract.created/edit"],
    ];
    for (const [from, to] of moved) {
      const response = await page.request.get(from, { maxRedirects: 0 });
      expect(response.status(), from).toBe(308);
      expect(decodeURIComponent(response.headers().location ?? ""), from).toBe(to);
    }
    // Signed out, the old address still ends on the new page after signing in.
    await signIn(page, ADMIN, `/${DEMO_ORG}/admin/send-event`);
    await expect(page).toHaveURL(new RegExp(`/platform/send-event\\?org=${DEMO_ORG}$`));
    await expect(page.getByRole("combobox", { name: "Organization" })).toHaveText(`Acme Cloud (${DEMO_ORG})`);
  });
});

test.describe("small fixes", () => {
  test("/login leads to sign-in, keeping where to go next", async ({ page }) => {
    const response = await page.request.get("/login?callbackUrl=%2Fplatform%2Fjobs", { maxRedirects: 0 });
    expect(response.status()).toBe(307);
    const location = new URL(response.headers().location ?? "", "http://app.test");
    expect(location.pathname).toBe("/sign-in");
    expect(location.searchParams.get("callbackUrl")).toBe("/platform/jobs");
    await page.goto("/login");
    await expect(page).toHaveURL(/\/sign-in$/);
    await signIn(page, ADMIN, "/login?callbackUrl=%2Fplatform%2Fjobs");
    await expect(page).toHaveURL(/\/platform\/jobs$/);
    await expect(page.getByRole("heading", { name: "Jobs", level: 1 })).toBeVisible();
  });

  test("every page has a favicon and none requests a missing one", async ({ page }) => {
    const missing: string[] = [];
    page.on("response", (response) => {
      if (response.status() === 404) missing.push(response.url());
    });
    await page.goto("/sign-in");
    const icon = page.locator('link[rel="icon"]');
    await expect(icon).toHaveAttribute("href", /^\/icon\.svg/);
    const served = await page.request.get((await icon.getAttribute("href"))!);
    expect(served.status()).toBe(200);
    expect(served.headers()["content-type"]).toContain("image/svg+xml");
    await signIn(page, ADMIN, webhooks(DEMO_ORG));
    await expect(page.getByRole("heading", { name: "Webhooks", level: 1 })).toBeVisible();
    expect(missing).toEqual([]);
  });
});
