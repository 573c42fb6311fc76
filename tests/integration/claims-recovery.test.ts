import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { ids, type TaskId } from "@/lib/ids";
import { runTaskBatch, startTaskRun } from "@/lib/recovery/run";
import { storeSelection } from "@/lib/recovery/selection";
import { createOrg } from "@/tests/helpers/factories";

/**
 * docs/recovery.md: "A disabled or deleted endpoint stops the task (FAILED, "enable it first")".
 * The task's steps are called here as its function calls them, on a task row written directly:
 * no executor picks it up, so nothing else runs it meanwhile.
 */

async function taskWithFailedDeliveries(count: number) {
  const org = await createOrg();
  const endpointId = ids.endpoint.generate();
  // Port 9 (discard) on loopback: a send that wrongly went ahead would be recorded as a failed attempt.
  await db.endpoint.create({ data: { id: endpointId, organizationId: org.id, url: `http://127.0.0.1:9/claims/${endpointId}`, eventTypes: ["contract.created"], headers: [] } });
  const since = new Date(Date.now() - 60 * 60_000);
  const deliveryIds: string[] = [];
  for (let i = 0; i < count; i++) {
    const messageId = ids.message.generate();
    const createdAt = new Date(since.getTime() + (i + 1) * 60_000);
    await db.message.create({ data: { id: messageId, organizationId: org.id, eventType: "contract.created", body: "{}", createdAt } });
    const deliveryId = `dlv_${randomUUID().replaceAll("-", "")}`;
    await db.delivery.create({ data: { id: deliveryId, organizationId: org.id, messageId, endpointId, status: "FAILED", attemptCount: 8, createdAt } });
    deliveryIds.push(deliveryId);
  }
  const taskId = ids.task.generate() as TaskId;
  await db.backgroundTask.create({
    data: {
      id: taskId,
      organizationId: org.id,
      endpointId,
      kind: "RESEND_FAILED",
      params: storeSelection({ kind: "RESEND_FAILED", endpointId, since, until: new Date() }) as object,
      activeKey: `${endpointId}:RESEND_FAILED`,
      createdBy: "claims test",
    },
  });
  expect(await startTaskRun(taskId)).toEqual({ done: false, handled: 0 });
  expect(await db.backgroundTaskItem.count({ where: { taskId } })).toBe(count);
  return { endpointId, taskId, deliveryIds };
}

async function expectStopped(taskId: string, deliveryIds: string[], error: RegExp) {
  const outcome = await runTaskBatch(taskId as TaskId);
  expect(outcome).toMatchObject({ done: true, complete: false });
  const task = await db.backgroundTask.findUniqueOrThrow({ where: { id: taskId } });
  expect(task).toMatchObject({ status: "FAILED", activeKey: null });
  expect(task.error).toMatch(error);
  expect(await db.backgroundTaskItem.groupBy({ by: ["state"], where: { taskId }, _count: true })).toEqual([{ state: "CANCELLED", _count: deliveryIds.length }]);
  // Nothing was sent: no attempt, and every delivery is as it was.
  expect(await db.attempt.count({ where: { deliveryId: { in: deliveryIds } } })).toBe(0);
  expect((await db.delivery.findMany({ where: { id: { in: deliveryIds } } })).map((d) => d.status)).toEqual(deliveryIds.map(() => "FAILED"));
}

describe("docs/recovery.md: a disabled or deleted endpoint stops the task", () => {
  it("fails a task whose endpoint was disabled after it started, saying to enable it first, sending nothing", async () => {
    const { endpointId, taskId, deliveryIds } = await taskWithFailedDeliveries(3);
    await db.endpoint.update({ where: { id: endpointId }, data: { disabled: true } });
    await expectStopped(taskId, deliveryIds, /disabled while the operation ran.*enable it first/);
  });

  it("fails a task whose endpoint was deleted after it started, sending nothing", async () => {
    const { endpointId, taskId, deliveryIds } = await taskWithFailedDeliveries(2);
    await db.endpoint.update({ where: { id: endpointId }, data: { disabled: true, deletedAt: new Date() } });
    await expectStopped(taskId, deliveryIds, /deleted while the operation ran/);
  });
});
