import { randomUUID } from "node:crypto";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it, vi } from "vitest";
import JobsPage from "@/app/(dashboard)/platform/jobs/page";
import { db } from "@/lib/db";
import { atUrl } from "@/tests/helpers/app-router";
import { signInAs } from "@/tests/helpers/auth-mock";
import { sendEvent } from "@/lib/messages/send-event";
import { contractCreated, orgWithEndpoint } from "@/tests/helpers/delivery-harness";
import { createMember, createOrg } from "@/tests/helpers/factories";
import { setTestEncryptionKey } from "@/tests/helpers/webhooks-factories";
import { messagePath } from "@/lib/routes";

vi.mock("@/auth", () => import("@/tests/helpers/auth-mock"));
setTestEncryptionKey();

/**
 * The watchdog's panel on Platform → Jobs, from rows written as the watchdog and the executors
 * write them. Dated in 2098, so they are the newest whatever other files of the shared database
 * record meanwhile.
 */

const page = async () => atUrl(await JobsPage({ searchParams: Promise.resolve({}) }), "/platform/jobs", {});

describe("Jobs page: the watchdog", () => {
  it("shows a stalled executor first with a warning, a claiming one, and the recent stalls linked to the run and the delivery's message", async () => {
    const org = await createOrg();
    signInAs((await createMember(org.id, "VIEWER", { isStaff: true })).id);
    const target = await orgWithEndpoint("http://127.0.0.1:9/hook");
    const sent = await sendEvent({ id: target.org.id, webhooksEnabled: true }, contractCreated());
    if (!sent.ok) throw new Error(sent.message);
    const delivery = await db.delivery.findFirstOrThrow({ where: { messageId: sent.message.id } });
    const tag = randomUUID().slice(0, 8);
    const at = new Date(Date.UTC(2098, 0, 1));
    const longAgo = new Date(Date.UTC(2000, 0, 1));
    await db.executorWorker.createMany({
      data: [
        // Started long ago: first of the executors listed, however many other files leave behind.
        { id: `live-${tag}`, startedAt: longAgo, heartbeatAt: at },
        { id: `frozen-${tag}`, startedAt: longAgo, heartbeatAt: at, stalledAt: at },
      ],
    });
    const runId = `run-${tag}`;
    await db.watchdogStall.createMany({
      data: [
        { kind: "executor", subject: `frozen-${tag}`, since: at, detectedAt: at, detail: "no heartbeat since 2098-01-01 00:00:00 UTC; 1 run(s) it held go to the other executors as their leases expire" },
        { kind: "run", subject: runId, since: at, detectedAt: new Date(at.getTime() + 1), detail: "deliver-first-attempts, leased by nobody" },
        { kind: "delivery", subject: delivery.id, since: at, detectedAt: at, detail: "attempt 1 is due and not made" },
      ],
    });
    try {
      const html = renderToStaticMarkup(await page());
      expect(html).toContain("An executor stopped claiming work");
      expect(html.indexOf(`frozen-${tag}`)).toBeLessThan(html.indexOf(`live-${tag}`));
      expect(html).toContain("claiming");
      expect(html).toContain("no heartbeat since 2098-01-01 00:00:00 UTC; 1 run(s) it held go to the other executors as their leases expire");
      expect(html).toContain(`href="/platform/jobs?run=${runId}"`);
      expect(html).toContain(`href="${messagePath(target.org.slug, sent.message.id)}"`);
      // Newest first: the run stall was found after the executor's.
      expect(html.indexOf("deliver-first-attempts, leased by nobody")).toBeLessThan(html.indexOf("no heartbeat since 2098"));
    } finally {
      await db.executorWorker.deleteMany({ where: { id: { in: [`live-${tag}`, `frozen-${tag}`] } } });
      await db.watchdogStall.deleteMany({ where: { subject: { in: [`frozen-${tag}`, runId, delivery.id] } } });
    }
  });
});
