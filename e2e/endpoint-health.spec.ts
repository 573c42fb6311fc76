import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Page } from "@playwright/test";
import { expect, signIn, test } from "./fixtures";

const webhooks = (org: string) => `/${org}/settings/integrations/webhooks`;

/**
 * A receiver on 127.0.0.1 whose answer the test switches between healthy and failing; while
 * `hold` is set it keeps requests waiting until `release()`.
 */
async function startReceiver() {
  const state = { status: 200, hold: false };
  const held: (() => void)[] = [];
  const server: Server = createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      const answer = () => {
        res.writeHead(state.status, { "content-type": "application/json" });
        res.end(JSON.stringify(state.status < 300 ? { received: true } : { error: "database unavailable" }));
      };
      if (state.hold) held.push(answer);
      else answer();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    state,
    held: () => held.length,
    release: () => {
      state.hold = false;
      for (const answer of held.splice(0)) answer();
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

async function addEndpoint(page: Page, org: string, url: string, description: string) {
  await page.goto(`${webhooks(org)}/endpoints/new`);
  await page.getByLabel("Endpoint URL").fill(url);
  await page.getByLabel("Description").fill(description);
  await page.getByRole("checkbox", { name: "Select all" }).click();
  await page.getByRole("button", { name: "Create endpoint" }).click();
  await expect(page.getByRole("heading", { name: url })).toBeVisible();
}

/** Sends the prefilled example from the Testing tab and returns the outcome panel. */
async function sendExample(page: Page) {
  // Right after the create redirect, a click can land while the router is still settling and be
  // dropped (seen under a CPU hog): click again until the tab has opened.
  await expect(async () => {
    await page.getByRole("link", { name: "Testing", exact: true }).click();
    await expect(page).toHaveURL(/\/testing$/, { timeout: 5_000 });
  }).toPass({ timeout: 30_000 });
  await expect(page.getByTestId("test-payload-check")).toContainText("Matches the schema of");
  await page.getByRole("button", { name: "Send example" }).click();
  return page.getByTestId("test-outcome");
}

test.describe("endpoint health and testing", () => {
  test("the Testing tab shows each outcome without a reload, the attempts filter works, and the list flags the failing endpoint", async ({ page, data }) => {
    // A long story of real deliveries on a shared, busy machine.
    test.setTimeout(180_000);
    const violations: string[] = [];
    page.on("console", (m) => {
      if (/Content[- ]Security[- ]Policy|unsafe-eval/i.test(m.text())) violations.push(m.text());
    });
    const receiver = await startReceiver();
    const failing = await startReceiver();
    failing.state.status = 500;
    try {
      const org = await data.createOrg({ webhooksEnabled: true });
      await signIn(page, await data.member(org.slug, "ADMIN"), webhooks(org.slug));
      await expect(page.getByText("No endpoints yet")).toBeVisible();

      // Healthy receiver: a test succeeds, then a second one fails once the receiver breaks.
      await addEndpoint(page, org.slug, `${receiver.url}/hooks/billing`, "Billing");
      let outcome = await sendExample(page);
      await expect(outcome.getByTestId("test-outcome-sentence")).toContainText("Delivered", { timeout: 20_000 });
      await expect(outcome.getByTestId("test-response-body")).toContainText('"received": true');

      // Editing the payload is checked against the schema as one types.
      await page.getByLabel("Payload (JSON)").fill('{"marketplace": "ebay"}');
      await expect(page.getByTestId("test-payload-check")).toContainText("/marketplace must be one of");
      await expect(page.getByRole("button", { name: "Send example" })).toBeDisabled();
      await page.getByLabel("Payload (JSON)").fill("{ nope");
      await expect(page.getByTestId("test-payload-check")).toContainText("not valid JSON");

      receiver.state.status = 500;
      await page.reload();
      outcome = await sendExample(page);
      await expect(outcome.getByTestId("test-outcome-sentence")).toHaveText("HTTP 500 Internal Server Error", { timeout: 20_000 });
      await expect(outcome.getByTestId("test-response-body")).toContainText("database unavailable");
      await expect(outcome.getByText("Retrying")).toBeVisible();

      // Disabling the endpoint ends the retrying delivery as failed: one succeeded, one failed.
      await page.getByRole("button", { name: "Disable endpoint" }).click();
      await expect(page.getByRole("button", { name: "Enable endpoint" })).toBeVisible();
      await page.getByRole("link", { name: "Attempted messages" }).click();
      const rows = page.getByTestId("attempted-message-row");
      await expect(rows).toHaveCount(2);
      await page.getByRole("link", { name: "Failed", exact: true }).click();
      await expect(page).toHaveURL(/status=failed/);
      await expect(rows).toHaveCount(1);
      await expect(rows.first()).toContainText("Failed");
      await page.getByRole("link", { name: "Succeeded", exact: true }).click();
      await expect(rows).toHaveCount(1);
      await expect(rows.first()).toContainText("Succeeded");
      await page.getByRole("link", { name: "Pending", exact: true }).click();
      await expect(page.getByText("No pending messages")).toBeVisible();

      // A second endpoint whose URL shares the prefix, always failing.
      await addEndpoint(page, org.slug, `${failing.url}/hooks/billing-eu`, "Billing, EU region");
      outcome = await sendExample(page);
      await expect(outcome.getByTestId("test-outcome-sentence")).toHaveText("HTTP 500 Internal Server Error", { timeout: 20_000 });

      await page.goto(webhooks(org.slug));
      const endpointRows = page.getByTestId("endpoint-row");
      await expect(endpointRows).toHaveCount(2);
      const failingRow = endpointRows.filter({ hasText: "Billing, EU region" });
      await expect(failingRow.getByTestId("failing-badge")).toHaveText("Failing");
      await expect(failingRow.getByRole("link", { name: `${failing.url}/hooks/billing-eu` })).toHaveAttribute("title", `${failing.url}/hooks/billing-eu`);
      // The first endpoint last failed too, but succeeded before: not (yet) failing.
      const billingRow = endpointRows.filter({ hasText: "Billing" }).filter({ hasNotText: "EU region" });
      await expect(billingRow.getByText("HTTP 500")).toBeVisible();
      await expect(billingRow.getByTestId("failing-badge")).toHaveCount(0);
      // One success among its attempts: 50 % after the two test sends, less when the first retry
      // (5 s after the failure) came before the disable on a slow machine.
      const { rows: billingAttempts } = await data.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM "Attempt" a JOIN "Endpoint" e ON e.id = a."endpointId" WHERE e."organizationId" = $1 AND e.url = $2`,
        [org.id, `${receiver.url}/hooks/billing`],
      );
      await expect(billingRow).toContainText(`${Math.round(100 / billingAttempts[0]!.n)} %`);

      // The Overview shows the same health with its charts.
      await failingRow.getByRole("link").first().click();
      const health = page.getByTestId("endpoint-health-card");
      await expect(health.getByText("Failing")).toBeVisible();
      // Its status beside the URL is the list's: Failing, not a green Enabled.
      await expect(page.getByTestId("failing-badge")).toBeVisible();
      await expect(page.getByTestId("endpoint-status")).toHaveCount(0);
      await expect(health.getByTestId("health-success-rate")).toContainText(/\b0 %/);
      await expect(health.getByTestId("health-chart").locator("svg.recharts-surface")).toBeVisible();
      expect(violations).toEqual([]);
    } finally {
      await receiver.close();
      await failing.close();
    }
  });

  test("the Attempted messages tab updates a delivery in flight and announces new messages, without a reload", async ({ page, data }) => {
    test.setTimeout(120_000);
    const receiver = await startReceiver();
    try {
      const org = await data.createOrg({ webhooksEnabled: true });
      await signIn(page, await data.member(org.slug, "ADMIN"), webhooks(org.slug));
      await expect(page.getByText("No endpoints yet")).toBeVisible();
      await addEndpoint(page, org.slug, `${receiver.url}/hooks/slow`, "Slow receiver");
      const endpointUrl = new URL(page.url()).pathname;

      // The receiver holds the first delivery: the row is shown while it is in flight.
      receiver.state.hold = true;
      await sendExample(page);
      await expect.poll(receiver.held, { timeout: 20_000 }).toBe(1);
      await page.getByRole("link", { name: "Attempted messages" }).click();
      const rows = page.getByTestId("attempted-message-row");
      await expect(rows).toHaveCount(1);
      await expect(rows.first()).toContainText("Sending");
      // A marker on the window proves the page is never reloaded below.
      await page.evaluate(() => Object.assign(window, { __sameDocument: true }));

      receiver.release();
      await expect(rows.first()).toContainText("Succeeded", { timeout: 20_000 });

      // A message sent meanwhile (from another tab) is announced above the rows, not pushed in.
      const other = await page.context().newPage();
      await other.goto(endpointUrl);
      await sendExample(other);
      await expect(other.getByTestId("test-outcome").getByTestId("test-outcome-sentence")).toContainText("Delivered", { timeout: 20_000 });
      await other.close();
      const notice = page.getByTestId("new-attempted-messages");
      await expect(notice).toHaveText("1 new message: show", { timeout: 20_000 });
      await expect(rows).toHaveCount(1);
      expect(await page.evaluate(() => (window as { __sameDocument?: boolean }).__sameDocument)).toBe(true);
      await notice.click();
      await expect(rows).toHaveCount(2);

      // The message logs mark both as tests.
      await page.goto(`${webhooks(org.slug)}/messages`);
      await expect(page.getByTestId("message-row")).toHaveCount(2);
      await expect(page.getByTestId("test-message")).toHaveCount(2);
    } finally {
      receiver.release();
      await receiver.close();
    }
  });

  test("a viewer sees the Testing tab read-only", async ({ page, browser, data }) => {
    const org = await data.createOrg({ webhooksEnabled: true });
    const receiver = await startReceiver();
    try {
      await signIn(page, await data.member(org.slug, "ADMIN"), webhooks(org.slug));
      await expect(page.getByText("No endpoints yet")).toBeVisible();
      await addEndpoint(page, org.slug, `${receiver.url}/hooks`, "Viewer check");
      // The viewer in a browser context of their own: the admin's session stays out of it.
      const viewerContext = await browser.newContext();
      const viewer = await viewerContext.newPage();
      await signIn(viewer, await data.member(org.slug, "VIEWER"), `${new URL(page.url()).pathname}/testing`);
      await expect(viewer.getByText("only owners and admins can send test messages")).toBeVisible();
      await expect(viewer.getByTestId("test-payload-check")).toContainText("Matches the schema of");
      await expect(viewer.getByRole("button", { name: "Send example" })).toHaveCount(0);
      await viewerContext.close();
    } finally {
      await receiver.close();
    }
  });
});
