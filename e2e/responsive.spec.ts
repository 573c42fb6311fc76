import { randomBytes } from "node:crypto";
import type { Page } from "@playwright/test";
import { expect, signIn, test, type E2eData } from "./fixtures";

const webhooks = (org: string) => `/${org}/settings/integrations/webhooks`;

async function insertEndpoint(data: E2eData, orgId: string, url: string, createdAt: string) {
  const id = `ep_${randomBytes(11).toString("hex")}`;
  await data.query(
    `INSERT INTO "Endpoint" (id, "organizationId", url, description, "eventTypes", headers, "createdAt", "updatedAt")
     VALUES ($1, $2, $3, 'A long description that has to be truncated on a narrow screen', $4, '[]', $5, now())`,
    [id, orgId, url, ["contract.created", "contract.cancelled", "offer.accepted", "listing.published"], createdAt],
  );
  return id;
}

/** A staff owner of an organization with webhooks on and two endpoints: every page has something to show. */
async function setUp(data: E2eData) {
  const org = await data.createOrg({ webhooksEnabled: true });
  const owner = await data.member(org.slug, "OWNER", { isStaff: true });
  const older = await insertEndpoint(data, org.id, `https://older.example.test/hooks/${"long-path-segment/".repeat(4)}`, "2026-01-01T10:00:00Z");
  const newer = await insertEndpoint(data, org.id, "https://newer.example.test/hooks", "2026-02-01T10:00:00Z");
  return { org, owner, older, newer };
}

/** Signs in and waits for the endpoints list, so what follows reads the dashboard, not the sign-in form. */
async function openWebhooks(page: Page, account: { email: string; password: string }, org: string) {
  await signIn(page, account, webhooks(org));
  await expect(page.getByRole("heading", { name: "Webhooks", level: 1 })).toBeVisible();
}

async function expectNoSidewaysScroll(page: Page, path: string) {
  await page.goto(path);
  await expect(page.locator("main h1, main h2").first()).toBeVisible();
  const { scrollWidth, innerWidth } = await page.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth }));
  expect(scrollWidth, `${path} scrolls sideways`).toBe(innerWidth);
}

function mainPages(org: string, endpointId: string) {
  return [
    webhooks(org),
    `${webhooks(org)}/endpoints/${endpointId}`,
    `${webhooks(org)}/endpoints/${endpointId}/activity`,
    `${webhooks(org)}/endpoints/new`,
    `${webhooks(org)}/catalog`,
    `${webhooks(org)}/catalog/contract.created`,
    `${webhooks(org)}/receiver`,
    `/${org}/settings/api-keys`,
    `/${org}/settings/api-reference`,
    `/${org}/settings/members`,
    "/account",
  ];
}

/** Staff pages are reached through the navigation, wherever they live. */
async function navHrefs(page: Page, nav: ReturnType<Page["locator"]>) {
  return nav.getByRole("link").evaluateAll((links) => links.map((a) => ({ name: a.textContent?.trim() ?? "", href: a.getAttribute("href") ?? "" })));
}

test.describe("phone width (390 px)", () => {
  test.use({ viewport: { width: 390, height: 844 } });

  test("the menu button opens the navigation as a sheet: every link reachable, focus kept inside, Escape and navigation close it", async ({ page, data }) => {
    const { org, owner } = await setUp(data);
    await openWebhooks(page, owner, org.slug);
    await expect(page.getByRole("complementary")).toBeHidden();

    const menu = page.getByRole("button", { name: "Open navigation" });
    await menu.click();
    const sheet = page.getByRole("dialog", { name: "Navigation" });
    await expect(sheet).toBeVisible();
    const links = await navHrefs(page, sheet.getByRole("navigation", { name: "Main" }));
    expect(links.map((l) => l.name)).toEqual(expect.arrayContaining(["Webhooks", "API keys", "API reference", "Jobs", "Send event"]));

    for (let i = 0; i < links.length + 3; i++) await page.keyboard.press("Tab");
    expect(await sheet.evaluate((el) => el.contains(document.activeElement))).toBe(true);
    await page.keyboard.press("Escape");
    await expect(sheet).toBeHidden();
    await expect(menu).toBeFocused();

    for (const link of links) {
      await menu.click();
      await sheet.getByRole("link", { name: link.name, exact: true }).click();
      await expect(page).toHaveURL((url) => url.pathname === link.href);
      await expect(sheet).toBeHidden();
    }
  });

  test("no page scrolls sideways, the header fits and the endpoints list keeps URL and status", async ({ page, data }) => {
    test.setTimeout(180_000);
    const { org, owner, newer } = await setUp(data);
    await openWebhooks(page, owner, org.slug);
    const row = page.getByTestId("endpoint-row").filter({ hasText: "newer.example.test" });
    await expect(row.getByRole("link", { name: "https://newer.example.test/hooks" })).toBeVisible();
    await expect(row.getByTestId("endpoint-status")).toBeInViewport();

    const header = await page.locator("header").evaluate((el) => ({ scroll: el.scrollWidth, client: el.clientWidth }));
    expect(header.scroll).toBeLessThanOrEqual(header.client);

    const pages = mainPages(org.slug, newer);
    await page.getByRole("button", { name: "Open navigation" }).click();
    for (const link of await navHrefs(page, page.getByRole("dialog").getByRole("navigation", { name: "Main" }))) pages.push(link.href);
    for (const path of new Set(pages)) await expectNoSidewaysScroll(page, path);
  });
});

test.describe("desktop width (1440 px)", () => {
  test.use({ viewport: { width: 1440, height: 900 } });

  test("the sidebar shows every navigation link with no menu button, and no page scrolls sideways", async ({ page, data }) => {
    test.setTimeout(180_000);
    const { org, owner, newer } = await setUp(data);
    await openWebhooks(page, owner, org.slug);
    await expect(page.getByRole("button", { name: "Open navigation" })).toBeHidden();
    const sidebar = page.getByRole("complementary").getByRole("navigation", { name: "Main" });
    const links = await navHrefs(page, sidebar);
    expect(links.length).toBeGreaterThanOrEqual(4);
    for (const link of links) {
      await sidebar.getByRole("link", { name: link.name, exact: true }).click();
      await expect(page).toHaveURL((url) => url.pathname === link.href);
      await expect(sidebar.getByRole("link", { name: link.name, exact: true })).toHaveAttribute("aria-current", "page");
    }
    for (const path of new Set([...mainPages(org.slug, newer), ...links.map((l) => l.href)])) await expectNoSidewaysScroll(page, path);
  });

  test("keyboard only: Tab into the endpoints table, ArrowDown to a row, Enter opens that endpoint", async ({ page, data }) => {
    const { org, owner, older } = await setUp(data);
    await openWebhooks(page, owner, org.slug);
    await expect(page.getByTestId("endpoint-row")).toHaveCount(2);

    // From the control just before the table, Tab passes the sortable headers and stops once on the rows.
    await page.getByRole("link", { name: "Add endpoint" }).focus();
    for (const header of ["URL", "Status", "Created"]) {
      await page.keyboard.press("Tab");
      await expect(page.getByRole("button", { name: header, exact: true })).toBeFocused();
    }
    await page.keyboard.press("Tab");
    const rows = page.getByTestId("endpoint-row");
    await expect(rows.first()).toBeFocused();
    await page.keyboard.press("ArrowDown");
    await expect(rows.nth(1)).toBeFocused();
    await page.keyboard.press("ArrowUp");
    await expect(rows.first()).toBeFocused();
    await page.keyboard.press("End");
    await expect(rows.nth(1)).toBeFocused();
    // Newest first: the second row is the older endpoint.
    await page.keyboard.press("Enter");
    await expect(page).toHaveURL(new RegExp(`/endpoints/${older}$`));
    await expect(page.getByRole("heading", { name: /older\.example\.test/ })).toBeVisible();
  });

  test("sorting a column is written to the URL and survives a reload", async ({ page, data }) => {
    const { org, owner } = await setUp(data);
    await openWebhooks(page, owner, org.slug);
    const urls = page.getByTestId("endpoint-row").getByRole("link");
    await expect(urls).toHaveText([/newer/, /older/]);
    await page.getByRole("button", { name: "Created" }).click();
    await expect(page).toHaveURL(/sort=createdAt/);
    await expect(urls).toHaveText([/older/, /newer/]);
    await expect(page.getByRole("columnheader", { name: "Created" })).toHaveAttribute("aria-sort", "ascending");
    await page.reload();
    await expect(urls).toHaveText([/older/, /newer/]);
  });

  test("times are <time> elements with the exact time in the title", async ({ page, data }) => {
    const { org, owner } = await setUp(data);
    await openWebhooks(page, owner, org.slug);
    const created = page.getByTestId("endpoint-row").filter({ hasText: "newer" }).locator("time");
    await expect(created).toHaveAttribute("datetime", "2026-02-01T10:00:00.000Z");
    await expect(created).toHaveAttribute("title", /01 Feb 2026, \d\d:00:00/);
  });
});

test.describe("theme", () => {
  test.use({ colorScheme: "dark", viewport: { width: 1440, height: 900 } });

  test("follows a dark preference, and the choice in the user menu persists across reloads", async ({ page, data }) => {
    const { org, owner } = await setUp(data);
    await openWebhooks(page, owner, org.slug);
    const html = page.locator("html");
    await expect(html).toHaveClass(/\bdark\b/);

    await page.getByRole("button", { name: "Account menu" }).click();
    await page.getByRole("menuitemradio", { name: "Light" }).click();
    await expect(html).not.toHaveClass(/\bdark\b/);
    await page.reload({ waitUntil: "domcontentloaded" });
    // Set by the inline script before the page paints, not after hydration.
    expect(await html.getAttribute("class")).not.toMatch(/\bdark\b/);
    await expect(html).toHaveClass(/\blight\b/);

    await page.getByRole("button", { name: "Account menu" }).click();
    await expect(page.getByRole("menuitemradio", { name: "Light" })).toHaveAttribute("aria-checked", "true");
    await page.getByRole("menuitemradio", { name: "System" }).click();
    await expect(html).toHaveClass(/\bdark\b/);
    await page.reload({ waitUntil: "domcontentloaded" });
    expect(await html.getAttribute("class")).toMatch(/\bdark\b/);
  });
});

test.describe("tables beside the sidebar", () => {
  test("from a tablet to a wide window, every table's columns fit its width: none is cut off", async ({ page, data }) => {
    test.setTimeout(120_000);
    const { org, owner } = await setUp(data);
    await openWebhooks(page, owner, org.slug);
    for (const path of [webhooks(org.slug), `/${org.slug}/settings/members`, `${webhooks(org.slug)}/catalog`, "/platform/audit", "/platform/organizations"]) {
      await page.goto(path);
      await expect(page.locator("main table").first(), `${path} shows a table`).toBeVisible();
      for (const width of [768, 1024, 1280, 1440]) {
        await page.setViewportSize({ width, height: 900 });
        // Columns hide by the table's own width (a container query), which follows the window's at once.
        await expect
          .poll(
            () => page.locator("main table").evaluateAll((tables) => tables.flatMap((t) => {
                  const box = t.parentElement!;
                  if (box.scrollWidth <= box.clientWidth) return [];
                  const columns = [...t.querySelectorAll("thead th")].map((th) => `${th.textContent?.trim()} ${Math.round(th.getBoundingClientRect().width)}`);
                  return [`${t.getAttribute("aria-label")}: ${box.scrollWidth} > ${box.clientWidth} (${columns.join(", ")})`];
                })),
            { message: `${path} at ${width} px` },
          )
          .toEqual([]);
      }
    }
  });
});
