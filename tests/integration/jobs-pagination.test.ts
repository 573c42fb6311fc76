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
    expect(first.rows.map((r) => r.id)).toEqual(seeded.slice(0, JOBS_PAGE_SIZE));
    expect(first.nextCursor).not.toBeNull();

    const second = await listRuns({ ...filter, cursor: first.nextCursor! });
    expect(second.rows.slice(0, 10).map((r) => r.id)).toEqual(seeded.slice(JOBS_PAGE_SIZE));
    expect(second.prevCursor).not.toBeNull();

    const back = await listRuns({ ...filter, cursor: second.prevCursor! });
    expect(back.rows.map((r) => r.id)).toEqual(first.rows.map((r) => r.id));
    expect(back.prevCursor).toBeNull();
  });

  it("treats an unreadable cursor as the first page", async () => {
    await seedRuns(2);
    const first = await listRuns({ status: "CANCELLED" });
    const tampered = await listRuns({ status: "CANCELLED", cursor: "not-a-cursor" });
    expect(tampered.rows.map((r) => r.id)).toEqual(first.rows.map((r) => r.id));
  });
});
