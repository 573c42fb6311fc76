import { db } from "@/lib/db";
import { claimForManual, createReplayDeliveries, failDeliveries, releaseClaims, scheduleCreatedReplays, type FinishedStatus, type ManualClaim } from "@/lib/delivery/store";
import type { BackgroundTaskItemState, DeliveryStatus } from "@/lib/generated/prisma/client";
import { ids, type DeliveryId, type EndpointId, type MessageId, type TaskId } from "@/lib/ids";
import { sendManualAttempts } from "@/lib/recovery/manual-attempt";
import { recoveryConfig } from "@/lib/recovery/config";
import { loadSelection, snapshotSelection, type RecoverySelection } from "@/lib/recovery/selection";
import { ENABLE_FIRST } from "@/lib/recovery/tasks";

/**
 * The steps of a recovery task, each one `step.run` of its function: snapshot the selection into
 * items, then batches over the items in order until none is left, then finish. Every step can be
 * re-run after a crash: an item is sent at most once per task (its outcome is written with its
 * attempt), and an item caught in flight by the crash is sent again (at-least-once, like every
 * attempt).
 */

/** `complete`: every item was handled, so the task finishes (otherwise it stopped, was cancelled or is gone). */
export type StepOutcome = { done: true; complete: boolean; reason: string } | { done: false; handled: number };

async function task(taskId: TaskId) {
  const row = await db.backgroundTask.findUnique({ where: { id: taskId }, select: { id: true, organizationId: true, endpointId: true, kind: true, params: true, status: true } });
  return row && { ...row, id: taskId, organizationId: ids.organization.of(row.organizationId) };
}

type Task = NonNullable<Awaited<ReturnType<typeof task>>>;

/** Starts the task: its items are the selection as it is now. */
export async function startTaskRun(taskId: TaskId): Promise<StepOutcome> {
  const row = await task(taskId);
  if (!row) return { done: true, complete: false, reason: "task no longer exists" };
  if (row.status !== "QUEUED" && row.status !== "RUNNING") return { done: true, complete: false, reason: `task ${row.status.toLowerCase()}` };
  const total = await snapshotSelection(taskId, row.organizationId, loadSelection(row.params));
  await db.backgroundTask.updateMany({ where: { id: taskId, status: "QUEUED" }, data: { status: "RUNNING", total, startedAt: new Date() } });
  return { done: false, handled: 0 };
}

async function endpointStopped(endpointId: string | null): Promise<string | null> {
  if (!endpointId) return null;
  const endpoint = await db.endpoint.findUnique({ where: { id: endpointId }, select: { disabled: true, deletedAt: true } });
  if (!endpoint || endpoint.deletedAt) return "The endpoint was deleted while the operation ran.";
  if (endpoint.disabled) return `The endpoint was disabled while the operation ran. ${ENABLE_FIRST}`;
  return null;
}

/** Ends a task early: claims in flight are given back, what was not sent is marked cancelled. */
async function stopTask(row: Task, status: "CANCELLED" | "FAILED", error: string | null): Promise<StepOutcome> {
  const sending = await db.backgroundTaskItem.findMany({ where: { taskId: row.id, state: "SENDING" }, select: { deliveryId: true, priorStatus: true } });
  if (row.kind !== "REPLAY_MISSING") {
    await releaseClaims(sending.flatMap((i) => (i.deliveryId && i.priorStatus ? [{ deliveryId: ids.delivery.of(i.deliveryId), prior: i.priorStatus as FinishedStatus }] : [])));
  } else {
    // A replay's delivery left created but unpublished (scheduleCreatedReplays) would stay pending with no run.
    await failDeliveries({ ids: sending.flatMap((i) => (i.deliveryId ? [ids.delivery.of(i.deliveryId)] : [])) }, "recovery stopped before it was scheduled");
  }
  await db.$transaction([
    db.backgroundTaskItem.updateMany({ where: { taskId: row.id, state: { in: ["QUEUED", "SENDING"] } }, data: { state: "CANCELLED" } }),
    db.backgroundTask.updateMany({ where: { id: row.id, status: { in: ["QUEUED", "RUNNING", "CANCELLED"] } }, data: { status, activeKey: null, finishedAt: new Date(), error } }),
  ]);
  return { done: true, complete: false, reason: error ?? status.toLowerCase() };
}

/** One batch: the next items in order (those caught in flight by a crash first, as they come first). */
export async function runTaskBatch(taskId: TaskId): Promise<StepOutcome> {
  const row = await task(taskId);
  if (!row) return { done: true, complete: false, reason: "task no longer exists" };
  if (row.status === "CANCELLED") return stopTask(row, "CANCELLED", null);
  if (row.status !== "RUNNING") return { done: true, complete: false, reason: `task ${row.status.toLowerCase()}` };
  const stopped = await endpointStopped(row.endpointId);
  if (stopped) return stopTask(row, "FAILED", stopped);

  const { batchSize } = recoveryConfig();
  const items: Item[] = (
    await db.backgroundTaskItem.findMany({
      where: { taskId, state: { in: ["QUEUED", "SENDING"] } },
      orderBy: { seq: "asc" },
      take: batchSize,
      select: { seq: true, messageId: true, endpointId: true, deliveryId: true, state: true, priorStatus: true },
    })
  ).map((i) => ({ ...i, messageId: ids.message.of(i.messageId), endpointId: ids.endpoint.of(i.endpointId), deliveryId: i.deliveryId === null ? null : ids.delivery.of(i.deliveryId) }));
  if (items.length === 0) return { done: true, complete: true, reason: "every item handled" };
  const selection = loadSelection(row.params);
  if (selection.kind === "REPLAY_MISSING") await replayBatch(row, items);
  else await resendBatch(row, selection, items);
  return { done: false, handled: items.length };
}

type Item = { seq: number; messageId: MessageId; endpointId: EndpointId; deliveryId: DeliveryId | null; state: BackgroundTaskItemState; priorStatus: DeliveryStatus | null };

async function markItems(taskId: TaskId, seqs: number[], state: BackgroundTaskItemState, detail: string | null) {
  if (seqs.length === 0) return;
  await db.backgroundTaskItem.updateMany({ where: { taskId, seq: { in: seqs }, state: { in: ["QUEUED", "SENDING"] } }, data: { state, detail } });
}

/** The reason an item of a message whose payload is gone is skipped. */
export const EXPUNGED_SKIP = "the message's content was expunged: it cannot be resent or replayed";

/** Why a queued delivery could not be claimed: it changed since the task counted it. */
function skipReason(status: DeliveryStatus | undefined, endpointGone: boolean, expunged: boolean): string {
  if (status === undefined) return "the message aged out of retention and was deleted";
  if (expunged) return EXPUNGED_SKIP;
  if (endpointGone) return "the endpoint is disabled or deleted";
  if (status === "SUCCEEDED") return "delivered since the operation started";
  if (status === "FAILED") return "not resendable";
  return "an attempt is in flight or scheduled";
}

async function resendBatch(row: Task, selection: Exclude<RecoverySelection, { kind: "REPLAY_MISSING" }>, items: Item[]) {
  const allowed: FinishedStatus[] = selection.kind === "BULK_RESEND" && selection.includeDelivered ? ["FAILED", "SUCCEEDED"] : ["FAILED"];
  const queued = items.filter((i) => i.state === "QUEUED" && i.deliveryId);
  // Deliveries to endpoints disabled since (an all-endpoints bulk resend), and of messages expunged since, are not claimed.
  const enabled = await db.delivery.findMany({
    where: { id: { in: queued.map((i) => i.deliveryId!) }, endpoint: { disabled: false, deletedAt: null }, message: { expungedAt: null } },
    select: { id: true },
  });
  // Sent oldest first, as the items are ordered (the claim returns its rows in any order).
  const order = new Map(queued.map((i) => [i.deliveryId!, i.seq]));
  const claims = (await claimForManual(enabled.map((d) => ids.delivery.of(d.id)), allowed)).sort((a, b) => order.get(a.deliveryId)! - order.get(b.deliveryId)!);
  const claimed = new Map(claims.map((c) => [c.deliveryId, c]));
  if (claims.length > 0) {
    await db.$executeRaw`
      UPDATE "BackgroundTaskItem" i SET state = 'SENDING', "priorStatus" = c.prior::"DeliveryStatus"
        FROM unnest(${claims.map((c) => c.deliveryId)}::text[], ${claims.map((c) => c.prior)}::text[]) AS c(id, prior)
       WHERE i."taskId" = ${row.id} AND i."deliveryId" = c.id AND i.state = 'QUEUED'`;
  }

  const unclaimed = queued.filter((i) => !claimed.has(i.deliveryId!));
  if (unclaimed.length > 0) {
    const now = await db.delivery.findMany({
      where: { id: { in: unclaimed.map((i) => i.deliveryId!) } },
      select: { id: true, status: true, endpoint: { select: { disabled: true, deletedAt: true } }, message: { select: { expungedAt: true } } },
    });
    const byId = new Map(now.map((d) => [d.id, d]));
    const groups = new Map<string, number[]>();
    for (const item of unclaimed) {
      const d = byId.get(item.deliveryId!);
      const reason = skipReason(d?.status, Boolean(d && (d.endpoint.disabled || d.endpoint.deletedAt)), Boolean(d?.message.expungedAt));
      groups.set(reason, [...(groups.get(reason) ?? []), item.seq]);
    }
    for (const [reason, seqs] of groups) await markItems(row.id, seqs, "SKIPPED", reason);
  }

  // Items a crash caught in flight keep their claim: they are sent again.
  const resumed: ManualClaim[] = items.flatMap((i) => (i.state === "SENDING" && i.deliveryId && i.priorStatus ? [{ deliveryId: i.deliveryId, prior: i.priorStatus as FinishedStatus }] : []));
  const { missing, expunged } = await sendManualAttempts([...resumed, ...claims], { taskId: row.id, parallel: recoveryConfig().parallel });
  const gone = items.filter((i) => i.deliveryId && missing.includes(i.deliveryId)).map((i) => i.seq);
  await markItems(row.id, gone, "SKIPPED", "the message aged out of retention and was deleted");
  await markItems(row.id, items.filter((i) => i.deliveryId && expunged.includes(i.deliveryId)).map((i) => i.seq), "SKIPPED", EXPUNGED_SKIP);
}

/**
 * Replayed messages get a normal delivery, created and published by the delivery store in one
 * statement with the item marked SCHEDULED: a message that got a delivery meanwhile is skipped,
 * and a re-run after a crash schedules nothing twice.
 */
async function replayBatch(row: Task, items: Item[]) {
  // Deliveries an earlier version created but had not published yet when it stopped.
  const created = items.flatMap((i) =>
    i.state === "SENDING" && i.deliveryId
      ? [{ seq: i.seq, deliveryId: i.deliveryId, messageId: i.messageId, endpointId: i.endpointId }]
      : [],
  );
  await scheduleCreatedReplays(row, created);
  const queued = items.filter((i) => i.state === "QUEUED");
  if (queued.length === 0) return;
  const seqs = queued.map((i) => i.seq);
  const scheduled = new Set(await createReplayDeliveries(row, seqs, new Date()));
  const left = queued.filter((i) => !scheduled.has(i.seq));
  const existing = new Map((await db.message.findMany({ where: { id: { in: left.map((i) => i.messageId) } }, select: { id: true, expungedAt: true } })).map((m) => [m.id, m]));
  await markItems(row.id, left.filter((i) => existing.get(i.messageId)?.expungedAt).map((i) => i.seq), "SKIPPED", EXPUNGED_SKIP);
  await markItems(row.id, left.filter((i) => existing.has(i.messageId) && !existing.get(i.messageId)!.expungedAt).map((i) => i.seq), "SKIPPED", "delivered to this endpoint since the operation started");
  await markItems(row.id, left.filter((i) => !existing.has(i.messageId)).map((i) => i.seq), "SKIPPED", "the message aged out of retention and was deleted");
}

/** The task ends: finished, unless it was cancelled or stopped meanwhile. */
export async function finishTask(taskId: TaskId): Promise<StepOutcome> {
  await db.backgroundTask.updateMany({ where: { id: taskId, status: "RUNNING" }, data: { status: "FINISHED", activeKey: null, finishedAt: new Date() } });
  return { done: true, complete: true, reason: "finished" };
}

/** The function gave up (its retries exhausted): the task says so and frees its key. */
export async function failTask(taskId: TaskId, error: string) {
  const row = await task(taskId);
  if (!row) return;
  await stopTask(row, "FAILED", `The operation stopped on an error: ${error}`);
}
