import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { ensurePlatformOrganization, PLATFORM_ORGANIZATION_ID } from "@/lib/operational/platform";
import { cachedOverview, FRESH_MS } from "@/lib/overview/cache";
import { readOverview } from "@/lib/overview/query";
import type { Overview } from "@/lib/overview/wire";
import { createOrg } from "@/tests/helpers/factories";
import { insertEndpoint, insertHistory, type Query } from "@/tests/helpers/overview-history";

/**
 * The overview's figures from a history written at known minutes. The history sits in 2009, an
 * era no other test file writes, so the platform-wide figures (every organization) are exact too.
 */
const query: Query = (sql, params) => db.$executeRawUnsafe(sql, ...params);
const t = (hhmmss: string) => new Date(`2009-03-15T${hhmmss}Z`);
const NOW = t("12:00:30");

let org: { id: string; slug: string; name: string };
let good: string;
let failing: string;

beforeAll(async () => {
  org = await createOrg({ name: "Overview Org" });
  const other = await createOrg();
  good = await insertEndpoint(query, org.id, { description: "Billing" });
  failing = await insertEndpoint(query, org.id, { url: "https://failing.example.test/hooks" });
  const elsewhere = await insertEndpoint(query, other.id);
  await insertHistory(query, org.id, [
    // Attempted 2 s after it was accepted.
    { endpointId: good, createdAt: t("11:10:00"), attempts: [{ at: t("11:10:02"), ok: true }] },
    // Two failures, then a success 30 minutes later.
    {
      endpointId: failing,
      createdAt: t("11:10:00"),
      attempts: [
        { at: t("11:10:04"), ok: false },
        { at: t("11:15:04"), ok: false },
        { at: t("11:40:10"), ok: true },
      ],
    },
    // Waited three minutes: in the backlog at the end of 11:20, 11:21 and 11:22.
    { endpointId: good, createdAt: t("11:20:00"), attempts: [{ at: t("11:23:00"), ok: true }] },
    // Already waiting when the hour began, attempted at 11:05.
    { endpointId: good, createdAt: t("10:50:00"), attempts: [{ at: t("11:05:00"), ok: true }] },
    // Scheduled for 11:45 (Svix's deliverAt): its wait counts from then.
    { endpointId: good, createdAt: t("11:30:00"), deliverAt: t("11:45:00"), attempts: [{ at: t("11:45:01"), ok: true }] },
    // Due at 11:55 and never attempted: the backlog now.
    { endpointId: failing, createdAt: t("11:55:00"), attempts: [] },
    // Scheduled for later: not due, not in the backlog.
    { endpointId: good, createdAt: t("11:56:00"), deliverAt: t("12:30:00"), attempts: [] },
    // Before the hour: outside every figure.
    { endpointId: good, createdAt: t("10:30:00"), attempts: [{ at: t("10:30:01"), ok: false }] },
  ]);
  await insertHistory(query, other.id, [{ endpointId: elsewhere, createdAt: t("11:30:00"), attempts: [{ at: t("11:30:05"), ok: false }] }]);
});

const bucket = (overview: Overview, hhmm: string) => overview.buckets.find((b) => b.start === t(`${hhmm}:00`).getTime())!;

describe("organization overview over the last hour", () => {
  it("counts attempts per minute by outcome and the failure rate", async () => {
    const overview = await readOverview({ organizationId: org.id }, "hour", NOW);
    expect(overview.buckets).toHaveLength(60);
    expect(overview.buckets[0]!.start).toBe(t("11:01:00").getTime());
    expect(overview.buckets.at(-1)!.start).toBe(t("12:00:00").getTime());
    expect(overview.totals).toMatchObject({ succeeded: 5, failed: 2, failureRate: 2 / 7 });
    expect(bucket(overview, "11:10")).toMatchObject({ succeeded: 1, failed: 1, failureRate: 0.5 });
    expect(bucket(overview, "11:15")).toMatchObject({ succeeded: 0, failed: 1, failureRate: 1 });
    expect(bucket(overview, "11:11")).toMatchObject({ succeeded: 0, failed: 0, failureRate: null });
  });

  it("replays the backlog from due and first-attempt times, and reads the one waiting now", async () => {
    const overview = await readOverview({ organizationId: org.id }, "hour", NOW);
    const waiting = overview.buckets.filter((b) => b.backlog > 0).map((b) => [new Date(b.start).toISOString().slice(11, 16), b.backlog]);
    expect(waiting).toEqual([
      ["11:01", 1], ["11:02", 1], ["11:03", 1], ["11:04", 1],
      ["11:20", 1], ["11:21", 1], ["11:22", 1],
      ["11:55", 1], ["11:56", 1], ["11:57", 1], ["11:58", 1], ["11:59", 1], ["12:00", 1],
    ]);
    expect(overview.backlog).toEqual({ count: 1, oldestDueAt: t("11:55:00").getTime() });
  });

  it("takes the p95 wait from due to first attempt, per minute and over the hour", async () => {
    const overview = await readOverview({ organizationId: org.id }, "hour", NOW);
    // Waits of 1 s, 2 s, 4 s, 3 min and 15 min: interpolated at 95 %, 180 s + 0.8 × 720 s.
    expect(overview.totals.p95FirstAttemptMs).toBeCloseTo(756_000, 3);
    expect(bucket(overview, "11:10").p95FirstAttemptMs).toBeCloseTo(3_900, 3);
    expect(bucket(overview, "11:45").p95FirstAttemptMs).toBeCloseTo(1_000, 3);
    expect(bucket(overview, "11:15").p95FirstAttemptMs).toBeNull();
  });

  it("lists the endpoints that failed, with their organization and page", async () => {
    const overview = await readOverview({ organizationId: org.id }, "hour", NOW);
    expect(overview.topFailing).toEqual([
      {
        endpointId: failing,
        name: "https://failing.example.test/hooks",
        url: "https://failing.example.test/hooks",
        organization: { slug: org.slug, name: "Overview Org" },
        href: `/${org.slug}/settings/integrations/webhooks/endpoints/${failing}`,
        attempts: 3,
        failed: 2,
      },
    ]);
  });
});

describe("platform overview", () => {
  it("adds up every organization", async () => {
    const overview = await readOverview("platform", "hour", NOW);
    expect(overview.totals).toMatchObject({ succeeded: 5, failed: 3 });
    expect(bucket(overview, "11:30")).toMatchObject({ succeeded: 0, failed: 1 });
    expect(overview.topFailing.map((e) => [e.endpointId, e.failed])).toEqual([
      [failing, 2],
      [expect.any(String), 1],
    ]);
  });

  it("buckets a day by 15 minutes and a week by the hour, aligned to the clock", async () => {
    const day = await readOverview("platform", "day", NOW);
    expect(day.buckets).toHaveLength(96);
    expect(day.buckets.at(-1)!.start).toBe(t("12:00:00").getTime());
    // 11:00 to 11:15: the successes at 11:05 and 11:10:02, the failure at 11:10:04.
    expect(bucket(day, "11:00")).toMatchObject({ succeeded: 2, failed: 1 });
    const week = await readOverview("platform", "week", NOW);
    expect(week.buckets).toHaveLength(168);
    expect(bucket(week, "11:00")).toMatchObject({ succeeded: 5, failed: 3 });
    expect(bucket(week, "10:00")).toMatchObject({ succeeded: 0, failed: 1 });
  });
});

describe("the pages' reads", () => {
  it("read a scope's range at most once per FRESH_MS, then read it again", async () => {
    const live = await createOrg();
    const endpoint = await insertEndpoint(query, live.id);
    const scope = { organizationId: live.id };
    const attempt = () => insertHistory(query, live.id, [{ endpointId: endpoint, createdAt: new Date(), attempts: [{ at: new Date(), ok: true }] }]);
    await attempt();
    const start = Date.now();
    const first = await cachedOverview(scope, "week", start);
    expect(first.totals.succeeded).toBe(1);
    await attempt();
    expect(await cachedOverview(scope, "week", start + FRESH_MS.week - 1)).toBe(first);
    const again = await cachedOverview(scope, "week", start + FRESH_MS.week);
    expect(again.totals.succeeded).toBe(2);
  });
});

/**
 * Claims of docs/overview.md, each on its own hour of 1 June 2007 (an era nothing else writes), so
 * the platform-wide figures of one hour hold only what its test wrote.
 */
const june = (hhmmss: string) => new Date(`2007-06-01T${hhmmss}Z`);

describe("what the figures take in", () => {
  it("counts manual and test attempts in their bucket, and leaves them out of the p95 wait for a first attempt", async () => {
    const mixed = await createOrg();
    const endpoint = await insertEndpoint(query, mixed.id);
    await insertHistory(query, mixed.id, [
      // Attempted 1 s after it was accepted, then sent again by hand 20 minutes later (and failed).
      { endpointId: endpoint, createdAt: june("10:00:00"), attempts: [{ at: june("10:00:01"), ok: true }, { at: june("10:20:00"), ok: false, trigger: "MANUAL" }] },
      // A test send, first attempted 10 minutes after its message: no scheduled wait.
      { endpointId: endpoint, createdAt: june("10:30:00"), attempts: [{ at: june("10:40:00"), ok: true, trigger: "TEST" }] },
    ]);
    const overview = await readOverview({ organizationId: mixed.id }, "hour", june("10:59:00"));
    expect(overview.totals).toMatchObject({ succeeded: 2, failed: 1, p95FirstAttemptMs: 1_000 });
    const at = (hhmm: string) => overview.buckets.find((b) => b.start === june(`${hhmm}:00`).getTime())!;
    expect(at("10:20")).toMatchObject({ succeeded: 0, failed: 1, p95FirstAttemptMs: null });
    expect(at("10:40")).toMatchObject({ succeeded: 1, failed: 0, p95FirstAttemptMs: null });
    expect(at("10:00")).toMatchObject({ succeeded: 1, failed: 0, p95FirstAttemptMs: 1_000 });
  });

  it("counts the platform organization's operator endpoints on the platform overview, linked to their operational webhook page", async () => {
    await ensurePlatformOrganization(db);
    const operator = await insertEndpoint(query, PLATFORM_ORGANIZATION_ID, { description: "Pager" });
    await insertHistory(query, PLATFORM_ORGANIZATION_ID, [{ endpointId: operator, createdAt: june("14:10:00"), attempts: [{ at: june("14:10:01"), ok: false }] }]);
    const overview = await readOverview("platform", "hour", june("14:59:00"));
    expect(overview.totals).toMatchObject({ succeeded: 0, failed: 1 });
    expect(overview.topFailing).toMatchObject([{ endpointId: operator, name: "Pager", failed: 1, href: `/platform/operational-webhooks/${operator}` }]);
  });

  it("lists the 5 endpoints with the most failed attempts, most first, when six failed", async () => {
    const many = await createOrg();
    const endpoints: string[] = [];
    for (let i = 0; i < 6; i++) endpoints.push(await insertEndpoint(query, many.id));
    // Endpoint i fails 6 - i times.
    await insertHistory(
      query,
      many.id,
      endpoints.map((endpointId, i) => ({
        endpointId,
        createdAt: june("18:00:00"),
        attempts: Array.from({ length: 6 - i }, (_, n) => ({ at: june(`18:0${n}:30`), ok: false })),
      })),
    );
    const overview = await readOverview("platform", "hour", june("18:59:00"));
    expect(overview.topFailing.map((e) => [e.endpointId, e.failed])).toEqual(endpoints.slice(0, 5).map((id, i) => [id, 6 - i]));
  });
});

describe("the pages' reads, as docs/overview.md states them", () => {
  it("hold an hour's figures 5 s, a day's 30 s and a week's 2 min", async () => {
    const held = await createOrg();
    const endpoint = await insertEndpoint(query, held.id);
    const scope = { organizationId: held.id };
    const start = Date.now();
    for (const [range, ms] of [["hour", 5_000], ["day", 30_000], ["week", 120_000]] as const) {
      const first = await cachedOverview(scope, range, start);
      await insertHistory(query, held.id, [{ endpointId: endpoint, createdAt: new Date(), attempts: [{ at: new Date(), ok: true }] }]);
      expect(await cachedOverview(scope, range, start + ms - 1)).toBe(first);
      const again = await cachedOverview(scope, range, start + ms);
      expect(again.totals.succeeded).toBe(first.totals.succeeded + 1);
    }
  });
});
