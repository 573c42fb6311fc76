import { randomUUID } from "node:crypto";
import { describe, expect, it, vi } from "vitest";
import { GET as liveRoute } from "@/app/(dashboard)/[org]/settings/integrations/webhooks/messages/live/route";
import { listPlatformAudit } from "@/lib/audit/platform-log";
import { db } from "@/lib/db";
import { encodeCursor } from "@/lib/db/keyset";
import { ids } from "@/lib/ids";
import { exportMessages } from "@/lib/messages/export";
import type { MessageSelection } from "@/lib/messages/list";
import { auditLogFiltersSchema } from "@/lib/validations/audit-log";
import { messageLogFiltersSchema } from "@/lib/validations/message-logs";
import { signInAs } from "@/tests/helpers/auth-mock";
import { createMember, createOrg } from "@/tests/helpers/factories";

vi.mock("@/auth", () => import("@/tests/helpers/auth-mock"));

/** Numbers docs/message-logs.md and docs/webhooks.md promise for the dashboard's lists, as literals. */

const MINUTE = 60_000;

describe("docs/message-logs.md: the new-messages notice counts at most 100 (\"100+\")", () => {
  it("answers 100 and more for 101 newer messages, and the exact count for 100", async () => {
    const org = await createOrg();
    signInAs((await createMember(org.id, "VIEWER")).id);
    const t0 = Date.now() - 3 * 60 * MINUTE;
    const anchor = ids.message.generate();
    await db.message.create({ data: { id: anchor, organizationId: org.id, eventType: "contract.created", body: "{}", createdAt: new Date(t0) } });
    const newer = (count: number, from: number) =>
      db.message.createMany({
        data: Array.from({ length: count }, (_, i) => ({ id: ids.message.generate(), organizationId: org.id, eventType: "contract.created", body: "{}", createdAt: new Date(t0 + (from + i + 1) * 1000) })),
      });
    const after = encodeCursor({ direction: "prev", at: new Date(t0), id: anchor });
    const count = async () => {
      const response = await liveRoute(new Request(`http://localhost/x/messages/live?after=${after}`), { params: Promise.resolve({ org: org.slug }) });
      expect(response.status).toBe(200);
      return ((await response.json()) as { newer: { count: number; more: boolean } }).newer;
    };

    await newer(100, 0);
    expect(await count()).toEqual({ count: 100, more: false });
    await newer(1, 100);
    expect(await count()).toEqual({ count: 100, more: true });
  });
});

describe("docs/webhooks.md: the platform audit log shows 50 entries a page", () => {
  it("answers 50 of 51 entries, then the last one", async () => {
    const actorEmail = `claims-${randomUUID().slice(0, 8)}@example.test`;
    const newest = Date.now() - 5 * MINUTE;
    await db.auditLog.createMany({
      data: Array.from({ length: 51 }, (_, i) => ({ id: `test_audit_${randomUUID()}`, organizationId: null, actorEmail, action: "endpoint.updated", createdAt: new Date(newest - i * MINUTE) })),
    });
    const first = await listPlatformAudit(auditLogFiltersSchema.parse({ actor: actorEmail }));
    expect(first.items).toHaveLength(50);
    expect(first.nextCursor).not.toBeNull();
    const second = await listPlatformAudit(auditLogFiltersSchema.parse({ actor: actorEmail, cursor: first.nextCursor! }));
    expect(second.items).toHaveLength(1);
    expect(second.nextCursor).toBeNull();
  });
});

describe("docs/message-logs.md: CSV cells a spreadsheet would run as a formula (=, +, -, @) get a leading apostrophe", () => {
  it("writes each of the four as text, and leaves other values as they are", async () => {
    const org = await createOrg();
    const eventIds = ["=1+1", "+1+1", "-1+1", "@SUM(1)", "plain-1"];
    const t0 = Date.now() - 60 * MINUTE;
    await db.message.createMany({
      data: eventIds.map((eventId, i) => ({ id: ids.message.generate(), organizationId: org.id, eventType: "contract.created", eventId, body: "{}", createdAt: new Date(t0 + i * 1000) })),
    });
    let text = "";
    for await (const chunk of exportMessages(org.id, messageLogFiltersSchema.parse({}) as MessageSelection, { format: "csv", includeBody: false, now: new Date() })) text += chunk;
    const cells = text
      .trimEnd()
      .split("\r\n")
      .slice(1)
      .map((line) => line.split(",")[2]);
    expect(cells.sort()).toEqual(["'+1+1", "'-1+1", "'=1+1", "'@SUM(1)", "plain-1"].sort());
  });
});
