import { randomUUID } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import type { APIRequestContext, Page } from "@playwright/test";
import { generateApiKey } from "../lib/api-keys/key";
import { SEED_CATALOG } from "../lib/catalog/seed-catalog";
import { expect, signIn, test, type E2eData } from "./fixtures";

const webhooks = (org: string) => `/${org}/settings/integrations/webhooks`;
const payload = SEED_CATALOG.find((t) => t.name === "contract.created")!.examples[0]!.payload;

/** A receiver on 127.0.0.1 that records the webhook-id of each request and answers `state.status`; `hold` keeps requests waiting. */
async function startReceiver() {
  const state = { status: 200, hold: false };
  const ids: string[] = [];
  const held: (() => void)[] = [];
  const server = http.createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      ids.push(String(req.headers["webhook-id"]));
      const answer = () => res.writeHead(state.status).end();
      if (state.hold) held.push(answer);
      else answer();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`,
    state,
    ids,
    count: (id: string) => ids.filter((x) => x === id).length,
    release: () => {
      state.hold = false;
      for (const answer of held.splice(0)) answer();
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** An organization API key written straight to the database (the API keys page has its own spec). */
async function apiKey(data: E2eData, orgId: string) {
  const { key, prefix, hash } = generateApiKey("ORGANIZATION");
  await data.query(`INSERT INTO "ApiKey" (id, name, scope, "organizationId", prefix, hash) VALUES ($1, 'e2e recovery', 'ORGANIZATION', $2, $3, $4)`, [randomUUID(), orgId, prefix, hash]);
  return key;
}

async function sendMessages(request: APIRequestContext, org: string, key: string, n: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const response = await request.post(`/api/v1/app/${org}/msg`, { headers: { authorization: `Bearer ${key}` }, data: { eventType: "contract.created", payload } });
    expect(response.status()).toBe(202);
    ids.push(((await response.json()) as { id: string }).id);
  }
  return ids;
}

async function toggleEndpoint(page: Page, to: "Disable" | "Enable") {
  await page.getByRole("button", { name: `${to} endpoint` }).click();
  await expect(page.getByRole("button", { name: `${to === "Disable" ? "Enable" : "Disable"} endpoint` })).toBeVisible();
}

/** Opens Recover → `item`, checks the dialog's count, confirms, and waits for the operation to be done. */
async function recover(page: Page, item: string, count: number) {
  await page.getByRole("button", { name: "Recover" }).click();
  await page.getByRole("menuitem", { name: item }).click();
  const dialog = page.getByTestId("recovery-dialog");
  await expect(dialog.getByTestId("recovery-count")).toContainText(`${count} message${count === 1 ? "" : "s"} will be sent`);
  await dialog.getByTestId("recovery-confirm").click();
  await expect(dialog).toBeHidden();
}

test.describe("manual recovery from the dashboard", () => {
  test("resend failed, replay missing, resend one (with the delivered confirmation), since a message, and a bulk resend of the message-log filter with Cancel", async ({ page, data, request }) => {
    // Several real delivery rounds through the running app on a shared machine.
    test.setTimeout(240_000);
    const receiver = await startReceiver();
    try {
      const org = await data.createOrg({ webhooksEnabled: true });
      const key = await apiKey(data, org.id);
      await signIn(page, await data.member(org.slug, "ADMIN"), `${webhooks(org.slug)}/endpoints/new`);
      await page.getByLabel("Endpoint URL").fill(receiver.url);
      await page.getByRole("checkbox", { name: "contract.created", exact: true }).click();
      await page.getByRole("button", { name: "Create endpoint" }).click();
      await expect(page.getByRole("heading", { name: receiver.url })).toBeVisible();
      const endpointUrl = page.url();

      // The receiver is down: first attempts fail; disabling the endpoint ends the deliveries failed.
      receiver.state.status = 500;
      const failed = await sendMessages(request, org.slug, key, 3);
      await expect.poll(() => receiver.ids.length, { timeout: 30_000 }).toBe(3);
      await toggleEndpoint(page, "Disable");
      // Disabled: the Recover menu says to enable it first.
      await page.getByRole("button", { name: "Recover" }).click();
      await expect(page.getByText("enable it first to recover its messages")).toBeVisible();
      await page.keyboard.press("Escape");
      // Two messages arrive while it is disabled: never attempted for it.
      const missed = await sendMessages(request, org.slug, key, 2);
      await toggleEndpoint(page, "Enable");
      receiver.state.status = 200;

      // Resend failed: the three failed messages, each once more, and the progress to done.
      const before = failed.map((id) => receiver.count(id));
      await recover(page, "Resend failed messages", 3);
      const task = page.getByTestId("recovery-task").first();
      await expect(task.getByTestId("recovery-progress")).toHaveText("Done", { timeout: 60_000 });
      await expect(task.getByTestId("recovery-outcome")).toContainText("3 succeeded · 0 failed");
      expect(failed.map((id) => receiver.count(id))).toEqual(before.map((n) => n + 1));

      // Replay missing: exactly the two never attempted.
      await recover(page, "Replay missing messages", 2);
      await expect(page.getByTestId("recovery-task").first().getByTestId("recovery-progress")).toHaveText("Done", { timeout: 60_000 });
      await expect.poll(() => missed.map((id) => receiver.count(id)), { timeout: 30_000 }).toEqual([1, 1]);
      await expect(page.getByTestId("recovery-task").first().getByTestId("recovery-outcome")).toContainText("2 succeeded", { timeout: 30_000 });

      // Attempted messages: resend a delivered message asks first; "since this one" counts from that row on.
      await page.getByRole("link", { name: "Attempted messages" }).click();
      const rows = page.getByTestId("attempted-message-row");
      await expect(rows).toHaveCount(5);
      const newest = rows.first();
      await newest.getByTestId("attempt-row-actions").click();
      await page.getByRole("menuitem", { name: "Resend this message" }).click();
      await expect(page.getByRole("alertdialog")).toContainText("already delivered");
      await page.getByRole("button", { name: "Resend anyway" }).click();
      // A real delivery inside the server action: allow for a loaded machine.
      await expect(page.getByText("Resent: the endpoint answered 200.")).toBeVisible({ timeout: 30_000 });
      expect(receiver.count(missed[0]!) + receiver.count(missed[1]!)).toBe(3);

      await rows.first().getByTestId("attempt-row-actions").click();
      await page.getByRole("menuitem", { name: "Replay missing messages since this one" }).click();
      await expect(page.getByTestId("recovery-dialog").getByTestId("recovery-count")).toContainText("0 messages will be sent");
      await page.getByTestId("recovery-dialog").getByRole("button", { name: "Cancel" }).click();

      // The message detail: Resend per endpoint, saying manual attempts are not retried.
      await page.goto(`${webhooks(org.slug)}/messages/${failed[0]}`);
      await expect(page.getByText("A manual attempt is sent once and is not retried if it fails.")).toBeVisible();
      await page.getByTestId("resend-message").click();
      await page.getByRole("button", { name: "Resend anyway" }).click();
      // A real delivery inside the server action: allow for a loaded machine.
      await expect(page.getByText("Resent: the endpoint answered 200.")).toBeVisible({ timeout: 30_000 });
      await expect(page.getByTestId("attempt").filter({ hasText: "manual" })).toHaveCount(2);

      // Message logs: bulk resend of the filter (this endpoint, all pages), delivered ones only when ticked; Cancel.
      const endpointId = endpointUrl.split("/").pop()!;
      await page.goto(`${webhooks(org.slug)}/messages?endpoint=${endpointId}&limit=2`);
      await page.getByTestId("bulk-resend").click();
      const bulk = page.getByTestId("bulk-resend-dialog");
      await expect(bulk.getByTestId("recovery-count")).toContainText("0 messages will be sent");
      await bulk.getByLabel(/Also resend the 5 already delivered/).check();
      await expect(bulk.getByTestId("recovery-count")).toContainText("5 messages will be sent");
      receiver.state.hold = true;
      await bulk.getByTestId("recovery-confirm").click();
      const bulkTask = page.getByTestId("recovery-task").first();
      await expect(bulkTask.getByTestId("recovery-progress")).toContainText(/Running|Starting|Queued/, { timeout: 30_000 });
      await bulkTask.getByRole("button", { name: "Cancel" }).click();
      await expect(bulkTask.getByTestId("recovery-progress")).toContainText("Cancelled", { timeout: 30_000 });
      receiver.release();
    } finally {
      await receiver.close();
    }
  });

  test("a viewer sees the operations and their progress but cannot start one", async ({ page, data }) => {
    const org = await data.createOrg({ webhooksEnabled: true });
    const owner = await data.member(org.slug, "OWNER");
    await data.query(
      `INSERT INTO "BackgroundTask" (id, "organizationId", kind, params, status, total, "createdById", "createdBy", "finishedAt")
       VALUES ($1, $2, 'BULK_RESEND', '{"kind":"BULK_RESEND"}', 'FINISHED', 0, $3, 'owner@e2e.test', now())`,
      [`qtask_${randomUUID().replaceAll("-", "").slice(0, 22)}`, org.id, owner.id],
    );
    await signIn(page, await data.member(org.slug, "VIEWER"), `${webhooks(org.slug)}/messages`);
    await expect(page.getByTestId("recovery-task").getByTestId("recovery-progress")).toHaveText("Done");
    await expect(page.getByTestId("recovery-task").getByRole("button", { name: "Cancel" })).toHaveCount(0);
    await expect(page.getByTestId("bulk-resend")).toHaveCount(0);
  });
});
