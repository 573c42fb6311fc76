import { db } from "@/lib/db";
import { keysetClauses, toPage, type Cursor, type Page, type SortOrder } from "@/lib/db/keyset";
import { recordAudit, type Actor } from "@/lib/audit/record";
import type { AuditAction } from "@/lib/audit/actions";
import { Prisma, type BackgroundTaskKind, type BackgroundTaskStatus } from "@/lib/generated/prisma/client";
import { ids } from "@/lib/ids";
import { events, publish } from "@/lib/outbox";
import { countDelivered, countExpunged, countSelection, storeSelection, type RecoverySelection } from "@/lib/recovery/selection";
import { retentionConfig } from "@/lib/retention/config";
import { TIME_PRESETS, type MessageLogFilters } from "@/lib/validations/message-logs";
import type { RecoveryKind, RecoveryWindow } from "@/lib/validations/recovery";

/**
 * Recovery operations as background tasks: what the confirmation dialog counts, starting one
 * (refused while an identical one is queued or running), cancelling it, and reading its progress.
 * The task itself runs in `inngest/functions/recover-messages.ts` (lib/recovery/run.ts).
 */

export type RecoveryFailureCode = "not_found" | "endpoint_disabled" | "webhooks_disabled" | "operation_in_progress" | "not_running";
export type RecoveryFailure = { ok: false; code: RecoveryFailureCode; message: string; taskId?: string };

type Organization = { id: string; webhooksEnabled: boolean };

const AUDIT: Record<BackgroundTaskKind, AuditAction> = {
  RESEND_FAILED: "recovery.resend_failed",
  REPLAY_MISSING: "recovery.replay_missing",
  BULK_RESEND: "recovery.bulk_resend",
};

export const ENABLE_FIRST = "This endpoint is disabled: enable it first, then recover its messages.";

/** The endpoint a recovery acts on, refused when it is gone or disabled, or webhooks are off. */
export async function recoverableEndpoint(organization: Organization, endpointId: string) {
  const endpoint = await db.endpoint.findFirst({ where: { id: endpointId, organizationId: organization.id, deletedAt: null }, select: { id: true, disabled: true, eventTypes: true } });
  if (!endpoint) return { ok: false as const, code: "not_found" as const, message: `No endpoint ${endpointId} in this organization.` };
  if (endpoint.disabled) return { ok: false as const, code: "endpoint_disabled" as const, message: ENABLE_FIRST };
  if (!organization.webhooksEnabled) {
    return { ok: false as const, code: "webhooks_disabled" as const, message: "Webhooks are disabled for this organization: enable them in Settings → Integrations → Webhooks first." };
  }
  return { ok: true as const, endpoint };
}

/** When history older than the retention period was deleted, a window reaching further back says so. */
export function retentionNote(since: Date | undefined, now = new Date()): string | null {
  const cutoff = new Date(now.getTime() - retentionConfig().messagesMs);
  if (!since || since >= cutoff) return null;
  return `Messages before ${cutoff.toISOString()} have aged out of retention and were deleted: they cannot be recovered.`;
}

async function endpointSelection(organization: Organization, endpointId: string, kind: RecoveryKind, window: RecoveryWindow): Promise<RecoveryFailure | { ok: true; selection: RecoverySelection }> {
  const found = await recoverableEndpoint(organization, endpointId);
  if (!found.ok) return found;
  const selection: RecoverySelection =
    kind === "replay_missing"
      ? { kind: "REPLAY_MISSING", endpointId, eventTypes: found.endpoint.eventTypes, since: window.since, until: window.until }
      : { kind: "RESEND_FAILED", endpointId, since: window.since, until: window.until };
  return { ok: true, selection };
}

/**
 * A message-log filter as a fixed selection: a relative range ("last 24 hours") becomes the
 * absolute one it meant when the operation was asked for, so the task sends what was counted.
 */
export function bulkSelection(filters: MessageLogFilters, includeDelivered: boolean, now = new Date()): Extract<RecoverySelection, { kind: "BULK_RESEND" }> {
  const { limit: _limit, cursor: _cursor, since, ...rest } = filters;
  const from = since ? new Date(now.getTime() - TIME_PRESETS[since]) : rest.from;
  return { kind: "BULK_RESEND", endpointId: filters.endpoint ?? null, includeDelivered, filter: { ...rest, since: undefined, from, to: rest.to ?? now } };
}

export interface RecoveryPreview {
  count: number;
  /** Bulk resends: how many of those were already delivered (sent only with an explicit yes). */
  delivered: number;
  retentionNote: string | null;
  /** Messages left out because their content was expunged, said when there are any. */
  expungedNote: string | null;
}

/** Expunged messages are never part of a selection: the preview says how many were left out. */
async function expungedNote(organizationId: string, selection: RecoverySelection): Promise<string | null> {
  const count = await countExpunged(organizationId, selection);
  if (count === 0) return null;
  return `${count} message${count === 1 ? "" : "s"} of this selection had ${count === 1 ? "its" : "their"} content expunged and cannot be resent: ${count === 1 ? "it is" : "they are"} left out.`;
}

export async function previewRecovery(organization: Organization, endpointId: string, kind: RecoveryKind, window: RecoveryWindow): Promise<RecoveryFailure | ({ ok: true } & RecoveryPreview)> {
  const resolved = await endpointSelection(organization, endpointId, kind, window);
  if (!resolved.ok) return resolved;
  const [count, expunged] = await Promise.all([countSelection(organization.id, resolved.selection), expungedNote(organization.id, resolved.selection)]);
  return { ok: true, count, delivered: 0, retentionNote: retentionNote(window.since), expungedNote: expunged };
}

export async function previewBulkResend(organization: Organization, filters: MessageLogFilters): Promise<RecoveryFailure | ({ ok: true } & RecoveryPreview)> {
  if (filters.endpoint) {
    const found = await recoverableEndpoint(organization, filters.endpoint);
    if (!found.ok) return found;
  }
  const selection = bulkSelection(filters, true);
  const [count, delivered, expunged] = await Promise.all([countSelection(organization.id, selection), countDelivered(organization.id, selection), expungedNote(organization.id, selection)]);
  return { ok: true, count, delivered, retentionNote: retentionNote(selection.filter.from), expungedNote: expunged };
}

export type StartedTask = { ok: true; task: TaskView };

/**
 * Records the task, its audit entry and the event that starts its background function, in one
 * transaction. The unique `activeKey` (endpoint or organization, and kind) refuses a second one
 * while the first is queued or running.
 */
async function startTask(
  organizationId: string,
  actor: Actor,
  selection: RecoverySelection,
  audit: Record<string, unknown>,
): Promise<RecoveryFailure | StartedTask> {
  const id = ids.task.generate();
  const activeKey = `${selection.endpointId ?? organizationId}:${selection.kind}`;
  const count = await countSelection(organizationId, selection);
  let recorded: TaskRow;
  try {
    recorded = await db.$transaction(async (tx) => {
      const row = await tx.backgroundTask.create({
        data: { id, organizationId, endpointId: selection.endpointId, kind: selection.kind, params: storeSelection(selection) as Prisma.InputJsonValue, activeKey, createdById: actor.id, createdBy: actor.email },
        select: TASK_SELECT,
      });
      await recordAudit(tx, { actor, action: AUDIT[selection.kind], organizationId, endpointId: selection.endpointId, changes: { taskId: id, ...audit, count } });
      await publish(tx, [events.recoveryRequested({ taskId: id, organizationId: ids.organization.of(organizationId) })]);
      return row;
    });
  } catch (error) {
    if (!(error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002")) throw error;
    const running = await db.backgroundTask.findUnique({ where: { activeKey }, select: { id: true } });
    return {
      ok: false,
      code: "operation_in_progress",
      message: `The same operation is already ${running ? `running (${running.id})` : "running"} for this ${selection.endpointId ? "endpoint" : "organization"}: wait for it to finish or cancel it.`,
      taskId: running?.id,
    };
  }
  // The task as recorded (queued, nothing done yet), not read again: a small task can finish
  // before the answer is written, and starting one answers "running" (Svix's RecoverOut) every time.
  return { ok: true, task: toView(recorded, EMPTY) };
}

export async function startRecovery(organization: Organization, actor: Actor, endpointId: string, kind: RecoveryKind, window: RecoveryWindow) {
  const resolved = await endpointSelection(organization, endpointId, kind, window);
  if (!resolved.ok) return resolved;
  return startTask(organization.id, actor, resolved.selection, { since: window.since.toISOString(), until: window.until.toISOString() });
}

export async function startBulkResend(organization: Organization, actor: Actor, filters: MessageLogFilters, includeDelivered: boolean) {
  if (filters.endpoint) {
    const found = await recoverableEndpoint(organization, filters.endpoint);
    if (!found.ok) return found;
  } else if (!organization.webhooksEnabled) {
    return { ok: false as const, code: "webhooks_disabled" as const, message: "Webhooks are disabled for this organization: enable them in Settings → Integrations → Webhooks first." };
  }
  const selection = bulkSelection(filters, includeDelivered);
  return startTask(organization.id, actor, selection, { filter: storeSelection(selection).filter, includeDelivered });
}

/** Asks a queued or running task to stop: the batch in flight ends, nothing after it is sent. */
export async function cancelTask(organizationId: string, taskId: string, actor: Actor): Promise<RecoveryFailure | StartedTask> {
  const done = await db.$transaction(async (tx) => {
    const { count } = await tx.backgroundTask.updateMany({
      where: { id: taskId, organizationId, status: { in: ["QUEUED", "RUNNING"] } },
      data: { status: "CANCELLED", activeKey: null, finishedAt: new Date() },
    });
    if (count === 0) return false;
    const task = await tx.backgroundTask.findUniqueOrThrow({ where: { id: taskId }, select: { endpointId: true, kind: true } });
    await recordAudit(tx, { actor, action: "recovery.cancelled", organizationId, endpointId: task.endpointId, changes: { taskId, kind: task.kind } });
    return true;
  });
  const task = await getTask(organizationId, taskId);
  if (!task) return { ok: false, code: "not_found", message: `No operation ${taskId} in this organization.` };
  if (!done) return { ok: false, code: "not_running", message: `Operation ${taskId} is already ${task.status.toLowerCase()}.` };
  return { ok: true, task };
}

export interface TaskProgress {
  total: number | null;
  /** Items handled: sent (either outcome), scheduled, skipped or cancelled. */
  processed: number;
  succeeded: number;
  failed: number;
  /** Replays: deliveries scheduled and not finished yet (they follow the retry schedule). */
  pending: number;
  skipped: number;
  cancelled: number;
}

export interface TaskView extends TaskProgress {
  id: string;
  kind: BackgroundTaskKind;
  endpointId: string | null;
  status: BackgroundTaskStatus;
  params: Record<string, unknown>;
  error: string | null;
  createdBy: string;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
}

const TASK_SELECT = {
  id: true, kind: true, endpointId: true, status: true, params: true, total: true, error: true, createdBy: true, createdAt: true, startedAt: true, finishedAt: true,
} as const;

type TaskRow = Prisma.BackgroundTaskGetPayload<{ select: typeof TASK_SELECT }>;

/**
 * Progress counted from the items (one index range per task): a resend's outcome is its item's;
 * a replayed message's is its delivery's, which follows the normal schedule after the task ends.
 */
async function progressOf(taskIds: string[]): Promise<Map<string, Omit<TaskProgress, "total">>> {
  if (taskIds.length === 0) return new Map();
  const rows = await db.$queryRaw<({ taskId: string } & Omit<TaskProgress, "total">)[]>`
    SELECT i."taskId",
           (count(*) FILTER (WHERE i.state NOT IN ('QUEUED', 'SENDING')))::int AS processed,
           (count(*) FILTER (WHERE i.state = 'SUCCEEDED' OR (i.state = 'SCHEDULED' AND d.status = 'SUCCEEDED')))::int AS succeeded,
           (count(*) FILTER (WHERE i.state = 'FAILED' OR (i.state = 'SCHEDULED' AND d.status = 'FAILED')))::int AS failed,
           (count(*) FILTER (WHERE i.state = 'SCHEDULED' AND d.status IN ('PENDING', 'SENDING')))::int AS pending,
           (count(*) FILTER (WHERE i.state = 'SKIPPED'))::int AS skipped,
           (count(*) FILTER (WHERE i.state = 'CANCELLED'))::int AS cancelled
      FROM "BackgroundTaskItem" i
      LEFT JOIN "Delivery" d ON i.state = 'SCHEDULED' AND d.id = i."deliveryId"
     WHERE i."taskId" = ANY (${taskIds}::text[])
     GROUP BY i."taskId"`;
  return new Map(rows.map(({ taskId, ...p }) => [taskId, p]));
}

const EMPTY = { processed: 0, succeeded: 0, failed: 0, pending: 0, skipped: 0, cancelled: 0 };

const toView = (row: TaskRow, progress: Omit<TaskProgress, "total">): TaskView => ({ ...row, params: row.params as Record<string, unknown>, ...progress });

async function withProgress(rows: TaskRow[]): Promise<TaskView[]> {
  const progress = await progressOf(rows.map((r) => r.id));
  return rows.map((r) => toView(r, progress.get(r.id) ?? EMPTY));
}

export async function getTask(organizationId: string | null, taskId: string): Promise<TaskView | null> {
  const row = await db.backgroundTask.findFirst({ where: { id: taskId, ...(organizationId ? { organizationId } : {}) }, select: TASK_SELECT });
  return row ? (await withProgress([row]))[0]! : null;
}

/** The latest operations of an endpoint, or of the whole organization (the message logs) when `endpointId` is null, newest first. */
export async function listTasks(organizationId: string, endpointId: string | null, take = 5): Promise<TaskView[]> {
  const rows = await db.backgroundTask.findMany({
    where: { organizationId, ...(endpointId ? { endpointId } : {}) },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take,
    select: TASK_SELECT,
  });
  return withProgress(rows);
}

export interface TaskPageFilters {
  statuses?: BackgroundTaskStatus[];
  kinds?: BackgroundTaskKind[];
  cursor?: Cursor;
  limit: number;
  /** Newest first unless `asc`. */
  order?: SortOrder;
}

/**
 * A keyset page of tasks, newest first or in `order`: an organization's (BackgroundTask
 * (organizationId, createdAt)), or every organization's when `organizationId` is null (platform API keys).
 */
export async function listTaskPage(organizationId: string | null, filters: TaskPageFilters): Promise<Page<TaskView>> {
  const page = keysetClauses(Prisma.sql`t."createdAt"`, Prisma.sql`t.id`, filters.cursor, filters.limit, filters.order);
  const conditions: Prisma.Sql[] = [Prisma.sql`true`];
  if (organizationId) conditions.push(Prisma.sql`t."organizationId" = ${organizationId}`);
  if (filters.statuses) conditions.push(Prisma.sql`t.status = ANY (${filters.statuses}::"BackgroundTaskStatus"[])`);
  if (filters.kinds) conditions.push(Prisma.sql`t.kind = ANY (${filters.kinds}::"BackgroundTaskKind"[])`);
  const rows = await db.$queryRaw<TaskRow[]>`
    SELECT t.id, t.kind, t."endpointId", t.status, t.params, t.total, t.error, t."createdBy", t."createdAt", t."startedAt", t."finishedAt"
      FROM "BackgroundTask" t
     WHERE ${Prisma.join(conditions, " AND ")} ${page.where}
     ${page.order} ${page.limit}`;
  const found = toPage(rows, (r) => ({ at: r.createdAt, id: r.id }), filters.cursor, filters.limit);
  return { ...found, items: await withProgress(found.items) };
}
