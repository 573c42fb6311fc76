import { randomUUID } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { JOBS_PAGE_SIZE, listRuns } from "@/inngest/executor/jobs";
import { db } from "@/lib/db";

/**
 * Runs dated far in the future so they are the newest in a shared database; pairs share a
 * timestamp, so the id has to break ties in the keyset.
 */
async function seedRuns(count: number) {
  const event = await db.executorEvent.create({
    data: { id: randomUUID(), name: "test/jobs-pages", data: {}, ts: BigInt(Date.now()), receivedAt: new Date() },
  });
  seededEvents.push(event.id);
  const base = Date.UTC(2099, 0, 1);
  await db.executorRun.createMany({
    data: Array.from({ length: count }, (_, i) => ({
      id: randomUUID(),
      functionId: "jobs-pagination",
      eventId: event.id,
      status: "CANCELLED" as const,
      maxAttempts: 1,
      createdAt: new Date(base + Math.floor(i / 2) * 1_000),
      endedAt: new Date(),
    })),
  });
  return db.executorRun.findMany({
    where: { eventId: event.id },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    select: { id: true },
  });
}

/** Removed after each test (their runs go with them), so they do not stay the newest runs of the shared database. */
const seededEvents: string[] = [];
afterEach(async () => {
  await db.executorEvent.deleteMany({ where: { id: { in: seededEvents.splice(0) } } });
});

describe("Jobs list pages", () => {
  it("pages newest first by keyset, forwards and back, with no run skipped or repeated", async () => {
    const seeded = (await seedRuns(JOBS_PAGE_SIZE + 10)).map((r) => r.id);
    const filter = { status: "CANCELLED" as const };

    const first = await listRuns(filter);
    expect(first.prevCursor).toBeNull();
    expect(first.items.map((r) => r.id)).toEqual(seeded.slice(0, JOBS_PAGE_SIZE));
    expect(first.nextCursor).not.toBeNull();

    const second = await listRuns({ ...filter, cursor: first.nextCursor! });
    expect(second.items.slice(0, 10).map((r) => r.id)).toEqual(seeded.slice(JOBS_PAGE_SIZE));
    expect(second.prevCursor).not.toBeNull();

    const back = await listRuns({ ...filter, cursor: second.prevCursor! });
    expect(back.items.map((r) => r.id)).toEqual(first.items.map((r) => r.id));
    expect(back.prevCursor).toBeNull();
  });

  it("opens a page bookmarked with the cursor format the Jobs page wrote before (after/before, ISO time) at the same run, both ways", async () => {
    const seeded = (await seedRuns(JOBS_PAGE_SIZE + 10)).map((r) => r.id);
    const filter = { status: "CANCELLED" as const };
    const first = await listRuns(filter);
    const second = await listRuns({ ...filter, cursor: first.nextCursor! });
    const former = (d: "after" | "before", run: { id: string; createdAt: Date }) =>
      Buffer.from(JSON.stringify({ d, t: run.createdAt.toISOString(), id: run.id })).toString("base64url");

    const older = await listRuns({ ...filter, cursor: former("after", first.items.at(-1)!) });
    expect(older.items.map((r) => r.id)).toEqual(second.items.map((r) => r.id));
    expect(older.items.slice(0, 10).map((r) => r.id)).toEqual(seeded.slice(JOBS_PAGE_SIZE));
    const newer = await listRuns({ ...filter, cursor: former("before", second.items[0]!) });
    expect(newer.items.map((r) => r.id)).toEqual(first.items.map((r) => r.id));

    // Oldest first, "after" is still further down the list: the newer runs.
    const oldest = await db.executorRun.findUniqueOrThrow({ where: { id: seeded.at(-1)! }, select: { id: true, createdAt: true } });
    const ascending = await listRuns({ ...filter, sort: "createdAt", cursor: former("after", oldest) });
    expect(ascending.items.map((r) => r.id)).toEqual([...seeded].reverse().slice(1, JOBS_PAGE_SIZE + 1));
  });

  it("treats an unreadable cursor as the first page", async () => {
    await seedRuns(2);
    const first = await listRuns({ status: "CANCELLED" });
    const tampered = await listRuns({ status: "CANCELLED", cursor: "not-a-cursor" });
    expect(tampered.items.map((r) => r.id)).toEqual(first.items.map((r) => r.id));
  });
});
