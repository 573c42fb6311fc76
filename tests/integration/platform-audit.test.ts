import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { PLATFORM_SCOPE } from "@/lib/audit/filters";
import { listPlatformAudit, type PlatformAuditEntry } from "@/lib/audit/platform-log";
import { db } from "@/lib/db";
import { AUDIT_PAGE_SIZE, auditLogFiltersSchema } from "@/lib/validations/audit-log";
import { createOrg } from "@/tests/helpers/factories";

/**
 * The platform audit log (Platform → Audit log): every organization's entries and the platform's
 * own, newest first, keyset-paged, filtered by actor, action, organization and time. Other files
 * write audit entries at the same time, so each test filters on an actor or an organization of
 * its own, or checks its own entries' order within whatever else is there.
 */

const MINUTE = 60_000;
const list = (query: Record<string, string>, now?: Date) => listPlatformAudit(auditLogFiltersSchema.parse(query), now);
const ids = (entries: PlatformAuditEntry[]) => entries.map((e) => e.id);

/** `count` entries one minute apart, newest `minutesAgo` minutes ago, in an organization (or none). */
async function entries(count: number, options: { organizationId: string | null; actorEmail: string; action?: string; minutesAgo?: number }): Promise<string[]> {
  const newest = Date.now() - (options.minutesAgo ?? 0) * MINUTE;
  const rows = Array.from({ length: count }, (_, i) => ({
    id: `test_audit_${randomUUID()}`,
    organizationId: options.organizationId,
    actorEmail: options.actorEmail,
    action: options.action ?? "endpoint.updated",
    createdAt: new Date(newest - i * MINUTE),
  }));
  await db.auditLog.createMany({ data: rows });
  return rows.map((r) => r.id);
}

const actor = () => `actor-${randomUUID().slice(0, 8)}@example.test`;

describe("the platform audit log", () => {
  it("lists every organization's entries and platform entries (no organization) together, newest first, with the organization named", async () => {
    const org = await createOrg({ name: "Audit Org" });
    const who = actor();
    const [older] = await entries(1, { organizationId: org.id, actorEmail: who, minutesAgo: 2 });
    const [newer] = await entries(1, { organizationId: null, actorEmail: who, action: "account.password_changed", minutesAgo: 1 });
    const page = await list({ actor: who });
    expect(page.items).toEqual([
      expect.objectContaining({ id: newer, action: "account.password_changed", organization: null }),
      expect.objectContaining({ id: older, action: "endpoint.updated", organization: { name: "Audit Org", slug: org.slug } }),
    ]);

    // Without an actor or organization filter, the same two come in the same order among
    // everyone else's. Other files write entries "now" all through the run (more than a page in a
    // minute), so this looks at a window of its own, months back, by time alone.
    const far = Date.now() - (100 + Math.floor(Math.random() * 900)) * 24 * 60 * MINUTE;
    const [farOlder] = await entries(1, { organizationId: org.id, actorEmail: who, minutesAgo: (Date.now() - far) / MINUTE + 1 });
    const [farNewer] = await entries(1, { organizationId: null, actorEmail: who, action: "account.password_changed", minutesAgo: (Date.now() - far) / MINUTE });
    const all = await list({ from: new Date(far - 2 * MINUTE).toISOString(), to: new Date(far + MINUTE).toISOString() });
    const seen = ids(all.items);
    expect(seen.indexOf(farNewer!)).toBeGreaterThanOrEqual(0);
    expect(seen.indexOf(farNewer!)).toBeLessThan(seen.indexOf(farOlder!));
  });

  it("pages by keyset: Next walks down without gaps or repeats, Previous comes back to the same page, and the last page has no Next", async () => {
    const org = await createOrg();
    const who = actor();
    const all = await entries(AUDIT_PAGE_SIZE * 2 + 7, { organizationId: org.id, actorEmail: who });
    const first = await list({ actor: who });
    expect(first.prevCursor).toBeNull();
    expect(ids(first.items)).toEqual(all.slice(0, AUDIT_PAGE_SIZE));
    const second = await list({ actor: who, cursor: first.nextCursor! });
    expect(ids(second.items)).toEqual(all.slice(AUDIT_PAGE_SIZE, AUDIT_PAGE_SIZE * 2));
    const third = await list({ actor: who, cursor: second.nextCursor! });
    expect(ids(third.items)).toEqual(all.slice(AUDIT_PAGE_SIZE * 2));
    expect(third.nextCursor).toBeNull();

    const back = await list({ actor: who, cursor: third.prevCursor! });
    expect(ids(back.items)).toEqual(ids(second.items));
    const start = await list({ actor: who, cursor: back.prevCursor! });
    expect(ids(start.items)).toEqual(ids(first.items));
    expect(start.prevCursor).toBeNull();
  });

  it("filters by actor (an e-mail in any case, exactly), action, organization, platform entries and time, combined", async () => {
    const org = await createOrg();
    const other = await createOrg();
    const who = actor();
    const someoneElse = actor();
    const [recent] = await entries(1, { organizationId: org.id, actorEmail: who, action: "member.invited", minutesAgo: 5 });
    const [old] = await entries(1, { organizationId: org.id, actorEmail: who, action: "member.invited", minutesAgo: 3 * 24 * 60 });
    const [elsewhere] = await entries(1, { organizationId: other.id, actorEmail: who, action: "member.removed", minutesAgo: 10 });
    const [mine] = await entries(1, { organizationId: null, actorEmail: who, action: "account.password_changed", minutesAgo: 20 });
    const [notMine] = await entries(1, { organizationId: org.id, actorEmail: someoneElse, action: "member.invited", minutesAgo: 1 });

    expect(ids((await list({ actor: who.toUpperCase() })).items)).toEqual([recent, elsewhere, mine, old]);
    expect(ids((await list({ actor: who.slice(0, 10) })).items)).toEqual([]);
    expect(ids((await list({ actor: who, action: "member.invited" })).items)).toEqual([recent, old]);
    expect(ids((await list({ organization: org.slug })).items)).toEqual([notMine, recent, old]);
    expect(ids((await list({ organization: other.slug, actor: who })).items)).toEqual([elsewhere]);
    expect(ids((await list({ organization: PLATFORM_SCOPE, actor: who })).items)).toEqual([mine]);
    expect(ids((await list({ organization: "no-such-org" })).items)).toEqual([]);
    expect(ids((await list({ actor: who, since: "24h" })).items)).toEqual([recent, elsewhere, mine]);
    expect(ids((await list({ actor: who, since: "1h", action: "member.removed" })).items)).toEqual([elsewhere]);

    const at = async (id: string | undefined) => (await db.auditLog.findUniqueOrThrow({ where: { id } })).createdAt.toISOString();
    // `from` is included, `to` excluded, to the millisecond.
    expect(ids((await list({ actor: who, from: await at(mine), to: await at(recent) })).items)).toEqual([elsewhere, mine]);
    expect(ids((await list({ actor: who, from: await at(old), to: await at(mine) })).items)).toEqual([old]);
  });

  it("refuses filters that cannot hold, field by field: an unknown action, an end before the start, a preset and a custom range together", () => {
    const errors = (query: Record<string, string>) => {
      const parsed = auditLogFiltersSchema.safeParse(query);
      return parsed.success ? {} : Object.fromEntries(parsed.error.issues.map((i) => [i.path.join("."), i.message]));
    };
    expect(errors({ action: "endpoint.exploded" })).toEqual({ action: "Choose an action from the list" });
    expect(errors({ from: "2026-05-02T00:00:00Z", to: "2026-05-01T00:00:00Z" })).toEqual({ to: "The end of the range must be after its start" });
    expect(errors({ since: "24h", from: "2026-05-01T00:00:00Z" })).toEqual({ since: "Choose either a preset range or a custom one, not both" });
    expect(errors({ from: "yesterday" })).toMatchObject({ from: expect.stringMatching(/date and time/) });
    expect(errors({ cursor: "not-a-cursor" })).toMatchObject({ cursor: expect.stringMatching(/page link is not valid/) });
    expect(errors({ actor: "", action: "", organization: "" })).toEqual({});
  });
});
