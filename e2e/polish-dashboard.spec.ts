import { expect, signIn, test } from "./fixtures";
import { expectInside, expectTablesFit, insertAttempt, insertEndpoint, insertFailedRecovery, insertMessage, shoot, webhooks } from "./polish-helpers";

/**
 * Issue 26: the dashboard walkthrough's findings, each as a check that failed before the fix. Every
 * changed screen is also photographed at 1440 and 390 px, light and dark (polish-helpers `shoot`).
 */

const RECEIVER = "http://127.0.0.1:9/hooks";

async function orgWithEndpoints(data: import("./fixtures").E2eData, options: { webhooksEnabled?: boolean } = {}) {
  const org = await data.createOrg({ webhooksEnabled: options.webhooksEnabled ?? true });
  const owner = await data.member(org.slug, "OWNER");
  const eu = await insertEndpoint(data, org.id, {
    url: `${RECEIVER}/billing-eu`,
    description: "Billing, EU region, for the invoices of every European customer",
    headers: [
      { name: "X-Api-Key", value: "sk_test_123" },
      { name: "X-Team", value: "billing" },
    ],
    createdAt: "2026-01-01T10:00:00Z",
  });
  const us = await insertEndpoint(data, org.id, { url: `${RECEIVER}/billing-us`, createdAt: "2026-02-01T10:00:00Z" });
  return { org, owner, eu, us };
}

test.describe("1. endpoints can be told apart", () => {
  test("at 390 px each row shows the end of its URL and the description leads; the endpoint page wraps its URL and its tabs say they scroll", async ({ page, data }) => {
    const { org, owner, eu } = await orgWithEndpoints(data);
    await page.setViewportSize({ width: 390, height: 844 });
    await signIn(page, owner, webhooks(org.slug));
    const rows = page.getByTestId("endpoint-row");
    await expect(rows).toHaveCount(2);
    for (const tail of ["/billing-eu", "/billing-us"]) {
      const row = rows.filter({ hasText: tail });
      const shown = row.getByText(tail, { exact: true });
      await expect(shown).toBeVisible();
      await expectInside(shown, row.getByRole("cell").first());
    }
    const euRow = rows.filter({ hasText: "/billing-eu" });
    await expect(euRow.getByRole("link", { name: `${RECEIVER}/billing-eu` })).toHaveAttribute("title", `${RECEIVER}/billing-eu`);
    await expect(euRow.locator("p").first()).toHaveText(/^Billing, EU region/);
    await expectTablesFit(page);
    await shoot(page, "endpoints-list");

    await page.goto(`${webhooks(org.slug)}/endpoints/${eu}`);
    const heading = page.getByRole("heading", { name: `${RECEIVER}/billing-eu` });
    await expect(heading).toBeVisible();
    expect(await heading.evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true);
    const tabs = page.getByRole("navigation", { name: "Endpoint sections" });
    const overflow = await tabs.locator("ul").evaluate((el) => el.scrollWidth > el.clientWidth);
    // Either every tab fits, or the row says there is more to scroll to.
    if (overflow) await expect(tabs.getByTestId("tabs-more")).toBeVisible();
    await tabs.getByRole("link", { name: "Activity" }).click();
    await expect(tabs.getByRole("link", { name: "Activity" })).toHaveAttribute("aria-current", "page");
    await expectInside(tabs.getByRole("link", { name: "Activity" }), tabs);
    await page.goto(`${webhooks(org.slug)}/endpoints/${eu}`);
    await expect(heading).toBeVisible();
    await shoot(page, "endpoint-overview");
  });

  test("one status per endpoint: no green Enabled while the organization's webhooks are off", async ({ page, data }) => {
    const { org, owner } = await orgWithEndpoints(data, { webhooksEnabled: false });
    await signIn(page, owner, webhooks(org.slug));
    const row = page.getByTestId("endpoint-row").first();
    await expect(row.getByTestId("endpoint-paused")).toHaveText("Webhooks off: nothing is sent");
    await expect(row.getByTestId("endpoint-status")).not.toHaveClass(/bg-success/);
    // The endpoint's own page says the same beside its URL.
    await row.getByRole("link").first().click();
    const header = page.locator("section[aria-labelledby='endpoint-heading']").getByTestId("endpoint-status").first();
    await expect(page.getByRole("heading", { level: 2, name: /^http/ })).toBeVisible();
    await expect(header).not.toHaveClass(/bg-success/);
    await expect(page.getByTestId("endpoint-paused")).toHaveText("Webhooks off: nothing is sent");
  });
});

test.describe("2. message detail", () => {
  test("failed delivery first, attempts in time order with the manual resend last and counted, response headers collapsed with a count", async ({ page, data }) => {
    const { org, owner, eu, us } = await orgWithEndpoints(data);
    // The succeeding endpoint's delivery was created first: the failed one must still lead.
    const { messageId, deliveryIds } = await insertMessage(data, org.id, [
      { endpointId: us, status: "SUCCEEDED" },
      { endpointId: eu, status: "FAILED" },
    ]);
    const t0 = Date.now() - 3_000_000;
    await insertAttempt(data, { deliveryId: deliveryIds[0]!, messageId, endpointId: us, url: `${RECEIVER}/billing-us` }, { number: 1, trigger: "SCHEDULED", at: new Date(t0), statusCode: 200 });
    const failed = { deliveryId: deliveryIds[1]!, messageId, endpointId: eu, url: `${RECEIVER}/billing-eu` };
    const headers = { "set-cookie": "session=abc123; HttpOnly", "content-security-policy": "default-src 'none'", "x-receiver": "billing" };
    for (let n = 1; n <= 4; n++) await insertAttempt(data, failed, { number: n, trigger: "SCHEDULED", at: new Date(t0 + n * 60_000), statusCode: 500, headers });
    await insertAttempt(data, failed, { number: 1, trigger: "MANUAL", at: new Date(t0 + 10 * 60_000), statusCode: 503, headers });

    await signIn(page, owner, `${webhooks(org.slug)}/messages/${messageId}`);
    const deliveries = page.getByTestId("delivery");
    await expect(deliveries).toHaveCount(2);
    await expect(deliveries.first()).toContainText("/billing-eu");
    await expect(deliveries.first()).toContainText("5 attempts");
    const attempts = deliveries.first().getByTestId("attempt");
    await expect(attempts.locator("summary > span.tabular-nums")).toHaveText(["#1", "#2", "#3", "#4", "#5"]);
    await expect(attempts.last().locator("summary")).toContainText("manual");
    const responseHeaders = attempts.last().getByTestId("response-headers");
    const toggle = responseHeaders.getByRole("button", { name: "Response headers (3)" });
    await expect(toggle).toHaveAttribute("aria-expanded", "false");
    await expect(responseHeaders.getByText("content-security-policy")).toBeHidden();
    await toggle.click();
    await expect(responseHeaders.getByText("x-receiver")).toBeVisible();
    await expect(responseHeaders).not.toContainText("abc123");
    await shoot(page, "message-detail");
  });
});

test.describe("3. recovery panels", () => {
  test("a finished operation names its scope, its bar is red when all failed, it folds once settled and can be dismissed", async ({ page, data }) => {
    const { org, owner, eu } = await orgWithEndpoints(data);
    const messages = [];
    for (let i = 0; i < 4; i++) messages.push((await insertMessage(data, org.id, [{ endpointId: eu, status: "FAILED" }])).messageId);
    await insertFailedRecovery(data, org.id, eu, messages);

    await signIn(page, owner, `${webhooks(org.slug)}/endpoints/${eu}`);
    const task = page.getByTestId("recovery-task");
    await expect(task.getByTestId("recovery-outcome")).toHaveText("0 succeeded · 4 failed");
    await expect(task.getByTestId("recovery-bar")).toHaveClass(/bg-destructive/);
    await expect(task.getByTestId("recovery-scope")).toBeHidden();
    await task.locator("summary").click();
    await expect(task.getByTestId("recovery-scope")).toHaveText("To this endpoint");
    await shoot(page, "recovery-panel");

    await page.goto(`${webhooks(org.slug)}/messages`);
    // The operations load after the page (a server action); on a loaded machine that can take a while.
    await expect(task.locator("summary")).toBeVisible({ timeout: 60_000 });
    await task.locator("summary").click();
    await expect(task.getByTestId("recovery-scope")).toContainText(`${RECEIVER}/billing-eu`);
    await shoot(page, "message-logs");
    await task.getByRole("button", { name: "Dismiss Resend failed messages" }).click();
    await expect(task).toHaveCount(0);
    await page.reload();
    await expect(page.getByTestId("message-row").first()).toBeVisible();
    await expect(task).toHaveCount(0);
  });
});

test.describe("4. one time format", () => {
  test("the Activity tab writes no raw ISO time; the health chart uses a 24-hour clock; custom ranges name the zone", async ({ page, data }) => {
    const { org, owner, eu } = await orgWithEndpoints(data);
    await data.query(
      `INSERT INTO "AuditLog" (id, "actorId", "actorEmail", action, "organizationId", "endpointId", changes, "createdAt")
       VALUES (gen_random_uuid()::text, NULL, 'admin@acme.test', 'endpoint.secret_rotated', $1, $2, $3::jsonb, now())`,
      [org.id, eu, JSON.stringify({ previousSecretValidUntil: "2026-12-06T18:57:35.478Z" })],
    );
    // Attempts in the afternoon (UTC): a 12-hour clock would print "PM".
    const { messageId, deliveryIds } = await insertMessage(data, org.id, [{ endpointId: eu, status: "FAILED" }]);
    const ref = { deliveryId: deliveryIds[0]!, messageId, endpointId: eu, url: `${RECEIVER}/billing-eu` };
    for (let h = 1; h <= 20; h++) await insertAttempt(data, ref, { number: h, trigger: "SCHEDULED", at: new Date(Date.now() - h * 3_600_000), statusCode: 500 });

    await signIn(page, owner, `${webhooks(org.slug)}/endpoints/${eu}/activity`);
    const activity = page.getByRole("list", { name: "Activity" });
    await expect(activity.getByTestId("activity-entry").first()).toBeVisible();
    await expect(activity).not.toContainText("2026-12-06T18:57:35");
    await expect(activity).toContainText(/06 Dec 2026, \d{2}:57:35 /);
    await shoot(page, "endpoint-activity");

    await page.goto(`${webhooks(org.slug)}/endpoints/${eu}`);
    const chart = page.getByTestId("health-chart");
    // The x axis's labels are the chart's only texts with a colon.
    const clockTicks = async () => (await chart.locator("text").allTextContents()).filter((t) => t.includes(":"));
    await expect.poll(async () => (await clockTicks()).length).toBeGreaterThan(0);
    for (const tick of await clockTicks()) expect(tick).toMatch(/^\d{2}:\d{2}$/);
    await expect(page.getByTestId("endpoint-health-card").getByTestId("zone-name")).toHaveText(/\S/);

    await page.goto(`${webhooks(org.slug)}/messages`);
    await page.getByLabel("Time", { exact: true }).selectOption("custom");
    await expect(page.getByTestId("zone-name")).toBeVisible();
    await shoot(page, "message-logs-custom-range");
  });
});

test.describe("5. API keys at 390 px", () => {
  test("the table fits, Revoke is whole and each key's prefix shows", async ({ page, data }) => {
    const { org, owner } = await orgWithEndpoints(data);
    await page.setViewportSize({ width: 390, height: 844 });
    await signIn(page, owner, `/${org.slug}/settings/api-keys`);
    const panel = page.getByTestId("api-keys-organization");
    await panel.getByRole("button", { name: "New organization key" }).click();
    await page.getByRole("dialog").getByLabel("Name").fill("Billing integration for the EU region");
    await page.getByRole("button", { name: "Create key" }).click();
    await expect(page.getByTestId("new-api-key")).toHaveValue(/^hr_org_/);
    await page.getByRole("button", { name: "Done" }).click();
    const revoke = panel.getByRole("button", { name: "Revoke" });
    await expect(revoke).toBeVisible();
    await expectInside(revoke, panel.locator('[data-slot="table-container"]'));
    await expect(panel.getByRole("row").nth(1)).toContainText(/hr_org_[\w-]+…/);
    await expectTablesFit(page);
    await shoot(page, "api-keys");
  });
});

test.describe("6. a new endpoint's event types", () => {
  test("no 'Receiving all events' badge above a submit that refuses an empty choice", async ({ page, data }) => {
    const { org, owner } = await orgWithEndpoints(data);
    await signIn(page, owner, `${webhooks(org.slug)}/endpoints/new`);
    await expect(page.getByTestId("submit-blocked")).toBeVisible();
    await expect(page.getByTestId("filter-summary")).toHaveText("No event type chosen yet");
    await expect(page.getByText("Receiving all events")).toHaveCount(0);
    await shoot(page, "endpoint-new");
  });
});

test.describe("7. monospace underscores", () => {
  test("the mono font is shipped, and `a_b` renders differently from `a b` where ids are shown", async ({ page, data }) => {
    const { org, owner, eu } = await orgWithEndpoints(data);
    await signIn(page, owner, `${webhooks(org.slug)}/endpoints/${eu}`);
    const id = page.getByTestId("endpoint-config").locator("code");
    await expect(id).toHaveText(eu);
    expect(await id.evaluate((el) => getComputedStyle(el).fontFamily)).toMatch(/geist/i);
    await page.evaluate(() => document.fonts.ready);
    expect(await page.evaluate(() => [...document.fonts].some((f) => /geist/i.test(f.family) && f.status === "loaded"))).toBe(true);
    // The same classes as the ids and keys (one line, clipped): an underscore below the line box would vanish.
    await page.evaluate(() => {
      for (const [testId, text] of [["mono-underscore", "a_b"], ["mono-space", "a b"]]) {
        const span = document.createElement("span");
        span.className = "inline-block truncate font-mono text-sm leading-none";
        span.dataset.testid = testId!;
        span.textContent = text!;
        document.querySelector("main")!.prepend(span);
      }
    });
    const [underscore, space] = [page.getByTestId("mono-underscore"), page.getByTestId("mono-space")];
    expect((await underscore.boundingBox())!.width).toBeCloseTo((await space.boundingBox())!.width, 0);
    expect(Buffer.compare(await underscore.screenshot(), await space.screenshot())).not.toBe(0);
  });
});

test.describe("8. secret header values", () => {
  test("masked on the overview (not even in the page), revealed for an admin on demand, never offered to a viewer", async ({ page, browser, data }) => {
    const { org, owner, eu } = await orgWithEndpoints(data);
    await signIn(page, owner, `${webhooks(org.slug)}/endpoints/${eu}`);
    const headers = page.getByTestId("endpoint-headers");
    await expect(headers).toHaveText(/X-Api-Key: •+\s*X-Team: billing/);
    expect(await page.content()).not.toContain("sk_test_123");
    await shoot(page, "endpoint-overview-masked");
    await page.getByRole("button", { name: "Reveal header values" }).click();
    await expect(headers).toContainText("X-Api-Key: sk_test_123");
    await page.getByRole("button", { name: "Hide header values" }).click();
    await expect(headers).not.toContainText("sk_test_123");

    const viewerPage = await (await browser.newContext({ baseURL: test.info().project.use.baseURL })).newPage();
    await signIn(viewerPage, await data.member(org.slug, "VIEWER"), `${webhooks(org.slug)}/endpoints/${eu}`);
    await expect(viewerPage.getByTestId("endpoint-headers")).toHaveText(/X-Api-Key: •+/);
    await expect(viewerPage.getByRole("button", { name: "Reveal header values" })).toHaveCount(0);
    await viewerPage.context().close();
  });

  test("the audit log stores a new header's value masked, and masks an entry written in clear before", async ({ page, data }) => {
    const { org, owner, eu } = await orgWithEndpoints(data);
    await data.query(
      `INSERT INTO "AuditLog" (id, "actorId", "actorEmail", action, "organizationId", "endpointId", changes, "createdAt")
       VALUES (gen_random_uuid()::text, NULL, 'old@acme.test', 'endpoint.updated', $1, $2, $3::jsonb, now() - interval '1 day')`,
      [org.id, eu, JSON.stringify({ headers: { before: [], after: [{ name: "Authorization", value: "Bearer old_clear_secret" }] } })],
    );
    await signIn(page, owner, `${webhooks(org.slug)}/endpoints/new`);
    await page.getByLabel("Endpoint URL").fill(`${RECEIVER}/with-key`);
    await page.getByRole("checkbox", { name: "Select all" }).click();
    await page.getByText("Advanced configuration").click();
    await page.getByRole("button", { name: "Add header" }).click();
    await page.getByLabel("Header 1 name").fill("X-Api-Key");
    await page.getByLabel("Header 1 value").fill("sk_live_new_value");
    await page.getByRole("button", { name: "Create endpoint" }).click();
    await expect(page.getByRole("heading", { name: `${RECEIVER}/with-key` })).toBeVisible();
    const stored = await data.query<{ changes: unknown }>(`SELECT changes FROM "AuditLog" WHERE "organizationId" = $1 AND action = 'endpoint.created'`, [org.id]);
    expect(JSON.stringify(stored.rows)).not.toContain("sk_live_new_value");
    expect(JSON.stringify(stored.rows)).toContain("X-Api-Key");

    await page.goto(`${webhooks(org.slug)}/endpoints/${eu}/activity`);
    const activity = page.getByRole("list", { name: "Activity" });
    await expect(activity).toContainText("Authorization: ••••••••");
    expect(await page.content()).not.toContain("old_clear_secret");
  });
});

test.describe("also seen", () => {
  test("the test receiver answers without the dashboard's cookies and CSP", async ({ request }) => {
    const answer = await request.post("/test-receiver/no-such-token", { data: { hello: "world" } });
    expect(answer.status()).toBe(404);
    expect(answer.headers()["content-security-policy"]).toBeUndefined();
    expect(answer.headers()["set-cookie"]).toBeUndefined();
  });

  test("a skip link jumps from the top of the message logs' filters to the rows", async ({ page, data }) => {
    const { org, owner, eu } = await orgWithEndpoints(data);
    await insertMessage(data, org.id, [{ endpointId: eu, status: "FAILED" }]);
    await signIn(page, owner, `${webhooks(org.slug)}/messages`);
    await expect(page.getByTestId("message-row").first()).toBeVisible();
    const skip = page.getByRole("link", { name: "Skip to results" });
    await skip.focus();
    await expect(skip).toBeVisible();
    await page.keyboard.press("Enter");
    await expect(page.getByTestId("message-row").first()).toBeFocused();
  });
});
