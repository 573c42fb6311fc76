import { randomUUID } from "node:crypto";
import { describe, expect, it, vi } from "vitest";
import { GET as liveRoute } from "@/app/(dashboard)/[org]/settings/integrations/webhooks/messages/live/route";
import { listPlatformAudit } from "@/lib/audit/platform-log";
import { db } from "@/lib/db";
import { encodeCursor } from "@/lib/db/keyset";
import { ids } from "@/lib/ids";
import { auditLogFiltersSchema } from "@/lib/validations/audit-log";
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
