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

describe("recovery task retention", () => {
  it("deletes tasks that ended before the cutoff with their items, in batches; never a newer or unfinished task", async () => {
    const org = await createOrg();
    const justOlder = new Date(cutoff.getTime() - 1);
    const old = await Promise.all((["FINISHED", "FAILED", "CANCELLED"] as const).map((status) => task(org.id, status, justOlder, 3)));
    const newer = await task(org.id, "FINISHED", new Date(cutoff.getTime() + 1), 2);
    const running = await task(org.id, "RUNNING", null, 2);

    expect(await deleteTaskItemsBefore(cutoff, 4)).toBe(4);
    // A task with items left is kept until they are gone.
    expect(await deleteTasksBefore(cutoff, 10)).toBeLessThanOrEqual(1);
    expect(await deleteTaskItemsBefore(cutoff, 4)).toBe(4);
    expect(await deleteTaskItemsBefore(cutoff, 4)).toBe(1);
    expect(await deleteTaskItemsBefore(cutoff, 4)).toBe(0);
    await deleteTasksBefore(cutoff, 10);

    expect(await db.backgroundTask.count({ where: { id: { in: old } } })).toBe(0);
    expect(await db.backgroundTask.count({ where: { id: { in: [newer, running] } } })).toBe(2);
    expect(await db.backgroundTaskItem.count({ where: { taskId: { in: [newer, running] } } })).toBe(4);
  });
});
