import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import type { BackgroundTaskStatus } from "@/lib/generated/prisma/client";
import { deleteTaskItemsBefore, deleteTasksBefore } from "@/lib/retention/recovery-tasks";
import { createOrg } from "@/tests/helpers/factories";

/** Rows are backdated to an era of their own (1990), so the cutoff reaches no other test's tasks. */
const cutoff = new Date("1990-06-01T00:00:00.000Z");

async function task(organizationId: string, status: BackgroundTaskStatus, finishedAt: Date | null, items: number) {
  const id = `qtask_${randomUUID().replaceAll("-", "").slice(0, 22)}`;
  await db.backgroundTask.create({ data: { id, organizationId, kind: "RESEND_FAILED", params: {}, status, createdBy: "test", finishedAt, createdAt: finishedAt ?? cutoff } });
  await db.backgroundTaskItem.createMany({ data: Array.from({ length: items }, (_, i) => ({ taskId: id, seq: i + 1, messageId: `msg_${id}_${i}`, endpointId: "ep_x" })) });
  return id;
}

/** The ids among `taskIds` that still exist, and how many items each has left. */
async function itemsLeft(taskIds: string[]): Promise<Map<string, number>> {
  const tasks = await db.backgroundTask.findMany({ where: { id: { in: taskIds } }, select: { id: true, _count: { select: { items: true } } } });
  return new Map(tasks.map((t) => [t.id, t._count.items]));
}

describe("recovery task retention", () => {
  it("deletes tasks that ended before the cutoff with their items, in batches; never a newer or unfinished task", async () => {
    const org = await createOrg();
    // Distinct end times, a minute apart, so "oldest first" has one answer.
    const old = await Promise.all((["FINISHED", "FAILED", "CANCELLED"] as const).map((status, i) => task(org.id, status, new Date(cutoff.getTime() - 60_000 * (3 - i)), 3)));
    const newer = await task(org.id, "FINISHED", new Date(cutoff.getTime() + 1), 2);
    const running = await task(org.id, "RUNNING", null, 2);

    expect(await deleteTaskItemsBefore(cutoff, 4)).toBe(4);
    // Items go in no particular order: read which tasks the batch emptied. A task with items
    // left is kept until they are gone; exactly the emptied ones go.
    const afterFirst = await itemsLeft(old);
    expect([...afterFirst.values()].reduce((a, b) => a + b, 0)).toBe(5);
    const emptied = old.filter((id) => afterFirst.get(id) === 0);
    expect(await deleteTasksBefore(cutoff, 10)).toBe(emptied.length);
    expect([...(await itemsLeft(old)).keys()].sort()).toEqual(old.filter((id) => !emptied.includes(id)).sort());

    expect(await deleteTaskItemsBefore(cutoff, 4)).toBe(4);
    expect(await deleteTaskItemsBefore(cutoff, 4)).toBe(1);
    expect(await deleteTaskItemsBefore(cutoff, 4)).toBe(0);

    // The batch cap holds for tasks too, oldest first.
    const left = old.filter((id) => !emptied.includes(id));
    expect(left.length).toBeGreaterThanOrEqual(2);
    expect(await deleteTasksBefore(cutoff, 1)).toBe(1);
    expect([...(await itemsLeft(old)).keys()].sort()).toEqual(left.slice(1).sort());
    expect(await deleteTasksBefore(cutoff, 10)).toBe(left.length - 1);
    expect(await deleteTasksBefore(cutoff, 10)).toBe(0);

    expect(await db.backgroundTask.count({ where: { id: { in: old } } })).toBe(0);
    expect(await db.backgroundTask.count({ where: { id: { in: [newer, running] } } })).toBe(2);
    expect(await db.backgroundTaskItem.count({ where: { taskId: { in: [newer, running] } } })).toBe(4);
  });
});
