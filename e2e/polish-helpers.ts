import { randomBytes, randomUUID } from "node:crypto";
import { mkdirSync } from "node:fs";
import { expect, type Locator, type Page } from "@playwright/test";
import type { E2eData } from "./fixtures";

/**
 * Shared by the `polish-*` specs (issue 26): rows written straight into the database, so each page
 * has a known history to show (failed deliveries, a manual resend, a finished recovery), and the
 * screenshots every changed screen is looked at in.
 */

export const webhooks = (org: string) => `/${org}/settings/integrations/webhooks`;

/** Set to a folder to photograph the changed screens (`POLISH_SHOTS_DIR=/tmp/polish-shots npm run test:e2e -- e2e/polish-dashboard.spec.ts`); unset, nothing is taken. */
const SHOTS = process.env.POLISH_SHOTS_DIR;

export const hex = () => randomUUID().replaceAll("-", "");
export const base62 = () => randomBytes(16).toString("hex").slice(0, 22);

export async function insertEndpoint(
  data: E2eData,
  orgId: string,
  options: { url: string; description?: string; headers?: { name: string; value: string }[]; createdAt?: string },
) {
  const id = `ep_${base62()}`;
  await data.query(
    `INSERT INTO "Endpoint" (id, "organizationId", url, description, "eventTypes", headers, "createdAt", "updatedAt")
     VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7, now())`,
    [id, orgId, options.url, options.description ?? "", ["contract.created"], JSON.stringify(options.headers ?? []), options.createdAt ?? new Date().toISOString()],
  );
  return id;
}

/** A message of `contract.created` with one delivery per endpoint given, in that state. */
export async function insertMessage(data: E2eData, orgId: string, deliveries: { endpointId: string; status: "FAILED" | "SUCCEEDED" }[], createdAt = new Date(Date.now() - 3_600_000)) {
  const messageId = `msg_${base62()}`;
  await data.query(`INSERT INTO "Message" (id, "organizationId", "eventType", body, "createdAt") VALUES ($1, $2, 'contract.created', '{"id":"c_1"}', $3)`, [
    messageId,
    orgId,
    createdAt,
  ]);
  const deliveryIds: string[] = [];
  for (const d of deliveries) {
    const id = `dlv_${hex()}`;
    deliveryIds.push(id);
    await data.query(
      `INSERT INTO "Delivery" (id, "organizationId", "messageId", "endpointId", status, "attemptCount", "lastAttemptAt", "failureReason", "createdAt", "updatedAt")
       VALUES ($1, $2, $3, $4, $5::"DeliveryStatus", 0, $6, $7, $6, now())`,
      [id, orgId, messageId, d.endpointId, d.status, createdAt, d.status === "FAILED" ? "every attempt of the schedule failed" : null],
    );
  }
  return { messageId, deliveryIds };
}

export async function insertAttempt(
  data: E2eData,
  ref: { deliveryId: string; messageId: string; endpointId: string; url: string },
  attempt: { number: number; trigger: "SCHEDULED" | "MANUAL"; at: Date; statusCode: number; headers?: Record<string, string> },
) {
  await data.query(
    `INSERT INTO "Attempt" (id, "deliveryId", "messageId", "endpointId", "attemptNumber", trigger, url, "startedAt", "durationMs", succeeded, "statusCode", "responseHeaders", "responseBody")
     VALUES ($1, $2, $3, $4, $5, $6::"AttemptTrigger", $7, $8, 42, $9, $10, $11::jsonb, '{"ok":false}')`,
    [
      `atmpt_${hex()}`,
      ref.deliveryId,
      ref.messageId,
      ref.endpointId,
      attempt.number,
      attempt.trigger,
      ref.url,
      attempt.at,
      attempt.statusCode < 300,
      attempt.statusCode,
      JSON.stringify(attempt.headers ?? {}),
    ],
  );
  await data.query(`UPDATE "Delivery" SET "attemptCount" = "attemptCount" + 1, "lastAttemptAt" = greatest("lastAttemptAt", $2) WHERE id = $1`, [ref.deliveryId, attempt.at]);
}

/** A finished "resend failed messages" operation whose every item failed (the case the issue saw: a solid black bar). */
export async function insertFailedRecovery(data: E2eData, orgId: string, endpointId: string, messageIds: string[]) {
  const id = `qtask_${base62()}`;
  const since = new Date(Date.now() - 2 * 3_600_000).toISOString();
  const until = new Date(Date.now() - 60_000).toISOString();
  await data.query(
    `INSERT INTO "BackgroundTask" (id, "organizationId", "endpointId", kind, params, status, total, "createdBy", "createdAt", "startedAt", "finishedAt")
     VALUES ($1, $2, $3, 'RESEND_FAILED', $4::jsonb, 'FINISHED', $5, 'admin@acme.test', now() - interval '1 minute', now() - interval '1 minute', now())`,
    [id, orgId, endpointId, JSON.stringify({ kind: "RESEND_FAILED", endpointId, since, until }), messageIds.length],
  );
  for (const [seq, messageId] of messageIds.entries()) {
    await data.query(`INSERT INTO "BackgroundTaskItem" ("taskId", seq, "messageId", "endpointId", state) VALUES ($1, $2, $3, $4, 'FAILED')`, [id, seq, messageId, endpointId]);
  }
  return id;
}

/** No table on the page is cut sideways: each container is at least as wide as its content. */
export async function expectTablesFit(page: Page) {
  const containers = page.locator('[data-slot="table-container"]');
  await expect(containers.first()).toBeVisible();
  const sizes = await containers.evaluateAll((els) => els.map((el) => ({ scroll: el.scrollWidth, client: el.clientWidth, label: el.querySelector("table")?.getAttribute("aria-label") })));
  for (const size of sizes) expect(size.scroll, `table "${size.label}" is cut sideways`).toBeLessThanOrEqual(size.client);
}

/** `inner` is drawn whole inside `outer` horizontally (not cut by its edge). */
export async function expectInside(inner: Locator, outer: Locator) {
  const [a, b] = [await inner.boundingBox(), await outer.boundingBox()];
  expect(a && b, "both are rendered").toBeTruthy();
  expect(a!.x).toBeGreaterThanOrEqual(b!.x - 0.5);
  expect(a!.x + a!.width).toBeLessThanOrEqual(b!.x + b!.width + 0.5);
}

/**
 * The page at 1440 and 390 px, light and dark, into $POLISH_SHOTS_DIR/<name>-<width>-<theme>.png
 * (for a person to look at; nothing is compared). Leaves the page at the width and theme it found.
 */
export async function shoot(page: Page, name: string) {
  if (!SHOTS) return;
  mkdirSync(SHOTS, { recursive: true });
  const initial = page.viewportSize() ?? { width: 1440, height: 900 };
  for (const width of [1440, 390]) {
    await page.setViewportSize({ width, height: width === 390 ? 844 : 900 });
    for (const theme of ["light", "dark"] as const) {
      await page.emulateMedia({ colorScheme: theme });
      await expect(page.locator("html")).toHaveClass(theme === "dark" ? /\bdark\b/ : /^(?!.*\bdark\b)/);
      await page.screenshot({ path: `${SHOTS}/${name}-${width}-${theme}.png`, fullPage: true });
    }
  }
  await page.setViewportSize(initial);
  await page.emulateMedia({ colorScheme: "light" });
}
