import type { Page } from "@playwright/test";
import { formatClock } from "../lib/time";
import { insertEndpoint, insertHistory, type HistoryItem, type Query } from "../tests/helpers/overview-history";
import { expect, signIn, test } from "./fixtures";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const webhooks = (org: string) => `/${org}/settings/integrations/webhooks`;

/** The table row of the bucket that starts at `start`, labelled in the browser's zone as the page labels it. */
async function row(page: Page, start: number, weekday: boolean) {
  const timeZone = await page.evaluate(() => Intl.DateTimeFormat().resolvedOptions().timeZone);
  const table = page.getByTestId("overview-table");
  if (!(await table.evaluate((d) => (d as HTMLDetailsElement).open))) await table.locator("summary").click();
  return table.getByTestId("overview-row").filter({ has: page.getByRole("rowheader", { name: formatClock(start, { timeZone, weekday }), exact: true }) });
}

const cells = (r: Awaited<ReturnType<typeof row>>) => r.getByRole("cell");

test.describe("delivery overview", () => {
  test("an organization's Overview tab shows the figures of its seeded history, live", async ({ page, data }) => {
    // Several pages, a live refresh and a reload on a shared, busy machine.
    test.setTimeout(180_000);
    const query: Query = (sql, params) => data.query(sql, params);
    const org = await data.createOrg({ webhooksEnabled: true });
    const billing = await insertEndpoint(query, org.id, { description: "Billing" });
    const crm = await insertEndpoint(query, org.id, { description: "CRM (failing)" });
    // Whole minutes, a few minutes back: every time below is inside the last hour however long the page takes.
    const base = Math.floor(Date.now() / MINUTE) * MINUTE;
    const at = (offsetMs: number) => new Date(base + offsetMs);
    const history: HistoryItem[] = [
      { endpointId: billing, createdAt: at(-10 * MINUTE), attempts: [{ at: at(-10 * MINUTE + 2_000), ok: true }] },
      {
        endpointId: crm,
        createdAt: at(-10 * MINUTE),
        attempts: [
          { at: at(-10 * MINUTE + 4_000), ok: false },
          { at: at(-5 * MINUTE + 4_000), ok: false },
        ],
      },
      // Waited three minutes for its first attempt.
      { endpointId: billing, createdAt: at(-20 * MINUTE), attempts: [{ at: at(-17 * MINUTE), ok: true }] },
      // Due three minutes ago, never attempted: the backlog now.
      { endpointId: crm, createdAt: at(-3 * MINUTE), attempts: [] },
    ];
    await insertHistory(query, org.id, history);

    await signIn(page, await data.member(org.slug, "VIEWER"), webhooks(org.slug));
    await page.getByRole("navigation", { name: "Webhooks sections" }).getByRole("link", { name: "Overview" }).click();
    await expect(page).toHaveURL(new RegExp(`${webhooks(org.slug)}/overview$`));
    const overview = page.getByTestId("overview");
    await expect(overview.getByTestId("overview-attempts")).toContainText("4");
    await expect(overview.getByTestId("overview-attempts")).toContainText("2 succeeded · 2 failed");
    await expect(overview.getByTestId("overview-failure-rate")).toContainText("50.0 %");
    await expect(overview.getByTestId("overview-backlog")).toContainText("1");
    // Waits of 2 s, 4 s and 3 min: p95 = 4 s + 0.9 × 176 s = 162.4 s.
    await expect(overview.getByTestId("overview-p95")).toContainText("2 min 42 s");
    // Each chart's accessible name is its one-line summary (the 3-minute wait is the longest of any minute).
    await expect(overview.getByRole("img", { name: "Attempts per minute: 4 in all, 2 failed." })).toBeVisible();
    await expect(overview.getByRole("img", { name: "Failure rate per minute: 50.0 % over the range." })).toBeVisible();
    await expect(overview.getByRole("img", { name: /^Backlog: at most \d+ waiting in the range; 1 now\.$/ })).toBeVisible();
    await expect(overview.getByRole("img", { name: "p95 wait for a first attempt: at most 3 min in any minute of the range." })).toBeVisible();
    // The oldest waiting delivery was due 3 minutes before the seeding went on (however slow the sign-in).
    await expect(overview.getByTestId("overview-oldest")).toContainText(/^Oldest waiting([3-9]|\d\d) min/);

    // The figures as a table: the minute of the first failure, and the backlog replayed.
    const tenAgo = await row(page, base - 10 * MINUTE, false);
    await expect(cells(tenAgo)).toHaveText(["1", "1", "50.0 %", "0", "3.9 s"]);
    const fiveAgo = await row(page, base - 5 * MINUTE, false);
    await expect(cells(fiveAgo)).toHaveText(["0", "1", "100 %", "0", "—"]);
    for (const minutes of [20, 19, 18]) await expect(cells(await row(page, base - minutes * MINUTE, false)).nth(3)).toHaveText("1");
    await expect(cells(await row(page, base - 17 * MINUTE, false))).toHaveText(["1", "0", "0 %", "0", "3 min"]);
    await expect(cells(await row(page, base - 3 * MINUTE, false)).nth(3)).toHaveText("1");

    // The failing endpoint, linked to its page.
    const failing = page.getByTestId("failing-endpoint");
    await expect(failing).toHaveCount(1);
    await expect(failing).toContainText("CRM (failing)");
    await expect(failing.getByRole("link", { name: "CRM (failing)" })).toHaveAttribute("href", `${webhooks(org.slug)}/endpoints/${crm}`);

    // Live: an attempt recorded now shows up without a reload (the page reads again every 10 s).
    await insertHistory(query, org.id, [{ endpointId: billing, createdAt: new Date(), attempts: [{ at: new Date(), ok: true }] }]);
    await expect(overview.getByTestId("overview-attempts")).toContainText("3 succeeded · 2 failed", { timeout: 30_000 });

    // Another range keeps the same history in hourly buckets, and lives in the URL.
    await overview.getByRole("button", { name: "Last 7 days" }).click();
    await expect(page).toHaveURL(/\?range=week$/);
    await expect(overview.getByRole("button", { name: "Last 7 days" })).toHaveAttribute("aria-pressed", "true");
    await expect(overview.getByTestId("overview-attempts")).toContainText("3 succeeded · 2 failed");
    await page.reload();
    await expect(overview.getByRole("button", { name: "Last 7 days" })).toHaveAttribute("aria-pressed", "true");
    await expect(overview.getByTestId("overview-attempts")).toContainText("3 succeeded · 2 failed");

    // Another organization's member cannot read these figures.
    const other = await data.createOrg();
    const response = await page.request.get(`${webhooks(other.slug)}/overview/live`);
    expect(response.status()).toBe(404);
  });

  test("the platform overview adds up every organization and names each failing endpoint's organization; staff only", async ({ page, data, browser, baseURL }) => {
    test.setTimeout(180_000);
    const query: Query = (sql, params) => data.query(sql, params);
    const first = await data.createOrg({ name: "Overview First" });
    const second = await data.createOrg({ name: "Overview Second" });
    const good = await insertEndpoint(query, first.id, { description: "Orders" });
    const broken = await insertEndpoint(query, second.id, { description: "Broken receiver" });
    // An hour three days back that no other spec writes in: its bucket of the week holds exactly this.
    const hour = Math.floor(Date.now() / HOUR) * HOUR - 77 * HOUR;
    const at = (minutes: number) => new Date(hour + minutes * MINUTE);
    await insertHistory(query, first.id, [
      { endpointId: good, createdAt: at(5), attempts: [{ at: at(5), ok: true }] },
      { endpointId: good, createdAt: at(6), attempts: [{ at: at(6), ok: true }] },
      { endpointId: good, createdAt: at(7), attempts: [{ at: at(7), ok: true }] },
    ]);
    // Many failures, so that it leads the week's list whatever else failed on this server.
    await insertHistory(query, second.id, [
      { endpointId: broken, createdAt: at(10), attempts: Array.from({ length: 120 }, (_, i) => ({ at: at(10 + i * 0.25), ok: false })) },
    ]);

    // Anyone but staff, an owner included, is told the figures do not exist (a browser of its own).
    const ownerContext = await browser.newContext({ baseURL });
    const ownerPage = await ownerContext.newPage();
    await signIn(ownerPage, await data.member(first.slug, "OWNER"), webhooks(first.slug));
    await expect(ownerPage.getByRole("heading", { name: "Webhooks", level: 1 })).toBeVisible();
    expect((await ownerPage.request.get("/platform/overview/live")).status()).toBe(404);
    await ownerContext.close();

    const staff = await data.createAccount({ isStaff: true });
    await signIn(page, staff, "/platform/jobs");
    await expect(page.getByRole("heading", { name: "Jobs", level: 1 })).toBeVisible();
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Overview" }).click();
    await expect(page).toHaveURL(/\/platform$/);
    await expect(page.getByRole("heading", { name: "Overview", level: 1 })).toBeVisible();
    await page.getByRole("button", { name: "Last 7 days" }).click();
    await expect(page).toHaveURL(/\/platform\?range=week$/);

    const bucket = await row(page, hour, true);
    await expect(cells(bucket)).toHaveText(["3", "120", "97.6 %", "0", "0 ms"]);
    const top = page.getByTestId("failing-endpoint").first();
    await expect(top).toContainText("Broken receiver");
    await expect(top).toContainText("Overview Second");
    await expect(top.getByRole("link", { name: "Broken receiver" })).toHaveAttribute("href", `${webhooks(second.slug)}/endpoints/${broken}`);
  });
});
