import http from "node:http";
import type { AddressInfo } from "node:net";
import type { Page } from "@playwright/test";
import { expect, test } from "./fixtures";
import { createKey, svix } from "./sdk";

/**
 * Portal links as a platform uses them: its server asks for a link with the svix SDK, its own page
 * (a loopback HTTP server on another port) frames it, and the customer works inside the frame.
 */

/** A page of "the platform" that frames `url`, served from its own origin. */
async function framingSite(host: "127.0.0.1" | "localhost") {
  let frameUrl = "";
  const server = http.createServer((_req, res) => {
    res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
    res.end(`<!doctype html><title>Platform settings</title><h1>Settings → Webhooks</h1><iframe title="Webhooks portal" src="${frameUrl}" style="width:100%;height:900px;border:0"></iframe>`);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://${host}:${port}`,
    frame(url: string) {
      frameUrl = url;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** CSP refusals the browser reports on the page's console (a refused frame is one). */
function frameRefusals(page: Page): string[] {
  const refusals: string[] = [];
  page.on("console", (message) => {
    if (/frame-ancestors/.test(message.text())) refusals.push(message.text());
  });
  return refusals;
}

test.describe("portal links", () => {
  test("a link from the SDK, framed by an allowed origin, shows the endpoints inside the frame; another origin's frame is refused", async ({ page, browser, data }) => {
    const allowed = await framingSite("127.0.0.1");
    const other = await framingSite("localhost");
    try {
      const org = await data.createOrg({ name: "Framed Co", webhooksEnabled: true });
      await data.query(`UPDATE "Organization" SET "portalOrigins" = $1 WHERE id = $2`, [[allowed.origin], org.id]);
      const client = svix(await createKey(data, null, "platform backend"));
      await client.endpoint.create(org.slug, { url: "https://hooks.example.test/billing", description: "Billing system", eventTypes: ["contract.created"] });

      const { url, token } = await client.authentication.appPortalAccess(org.slug, { expiry: 3600 });
      expect(url).toMatch(new RegExp(`/portal/${org.id}#key=${token}$`));

      allowed.frame(url);
      await page.goto(allowed.origin);
      const frame = page.frameLocator('iframe[title="Webhooks portal"]');
      await expect(frame.getByText("Billing system")).toBeVisible();
      await expect(frame.getByText("Portal", { exact: true })).toBeVisible();
      await expect(frame.getByRole("link", { name: "Add endpoint" })).toBeVisible();
      // Nothing in the frame leads out of the organization's webhook screens.
      await expect(frame.getByRole("button", { name: /account|user menu/i })).toHaveCount(0);
      await expect(frame.getByRole("link", { name: "API keys" })).toHaveCount(0);
      await expect(frame.getByRole("navigation", { name: "Main" })).toHaveCount(0);

      // The same kind of link, framed by an origin the organization does not list: the browser refuses the frame.
      const stranger = await browser.newPage();
      try {
        const refusals = frameRefusals(stranger);
        other.frame((await client.authentication.appPortalAccess(org.slug, {})).url);
        await stranger.goto(other.origin);
        await expect.poll(() => refusals.length).toBeGreaterThan(0);
        expect(refusals[0]).toContain("frame-ancestors");
        await expect(stranger.frameLocator('iframe[title="Webhooks portal"]').getByText("Billing system")).toHaveCount(0);
      } finally {
        await stranger.close();
      }
    } finally {
      await allowed.close();
      await other.close();
    }
  });

  test("a read-only link shows the endpoints without any control that changes them; the rest of the dashboard stays closed", async ({ page, data }) => {
    const org = await data.createOrg({ name: "Viewer Co", webhooksEnabled: true });
    const client = svix(await createKey(data, org.id, "viewer backend"));
    await client.endpoint.create(org.slug, { url: "https://hooks.example.test/crm", description: "CRM sync", eventTypes: ["contract.created"] });
    const { url } = await client.authentication.appPortalAccess(org.slug, { readOnly: true });

    await page.goto(url);
    await expect(page.getByText("CRM sync")).toBeVisible();
    // The token left the address bar as soon as the page read it.
    expect(page.url()).not.toContain("#key=");
    await expect(page.getByText("Read-only", { exact: true })).toBeVisible();
    await expect(page.getByRole("link", { name: "Add endpoint" })).toHaveCount(0);
    await expect(page.getByRole("switch")).toHaveCount(0);

    await page.goto(`/${org.slug}/settings/api-keys`);
    await expect(page).toHaveURL(/\/sign-in/);
  });

  test("an expired link says so, and expire-all ends a session already open", async ({ page, data }) => {
    const org = await data.createOrg({ name: "Expiring Co" });
    const client = svix(await createKey(data, org.id));
    const expired = await client.authentication.appPortalAccess(org.slug, {});
    await data.query(`UPDATE "PortalAccess" SET "expiresAt" = now() - interval '1 minute' WHERE "organizationId" = $1`, [org.id]);
    await page.goto(expired.url);
    await expect(page.getByText("This portal link has expired.", { exact: false })).toBeVisible();

    const open = await client.authentication.appPortalAccess(org.slug, {});
    await page.goto(open.url);
    await expect(page.getByRole("heading", { name: "Webhooks" })).toBeVisible();
    await client.authentication.expireAll(org.slug, {});
    await page.reload();
    await expect(page.getByText("This portal link has expired or was revoked")).toBeVisible();
  });
});
