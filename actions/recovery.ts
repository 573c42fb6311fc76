"use server";

import { revalidatePath } from "next/cache";
import { defineAction, fail, member } from "@/lib/actions/define-action";
import { MANAGE_ROLE } from "@/lib/auth/roles";
import type { MemberOrPortalContext } from "@/lib/auth/session";
import { isOrganizationDisabled, ORGANIZATION_DISABLED, organizationDisabledMessage } from "@/lib/organizations/disabled";
import { resendMessage } from "@/lib/recovery/resend";
import { cancelTask, listTasks, previewBulkResend, previewRecovery, startBulkResend, startRecovery } from "@/lib/recovery/tasks";
import { toTaskWire } from "@/lib/recovery/wire";
import { webhooksPath } from "@/lib/routes";
import { fieldErrorsByPath } from "@/lib/validations/field-errors";
import { messageLogFiltersSchema } from "@/lib/validations/message-logs";
import { bulkResendSchema, endpointTasksSchema, recoveryRequestSchema, resendMessageSchema, taskRefSchema, windowSchema } from "@/lib/validations/recovery";

/**
 * Manual recovery from the dashboard (docs/recovery.md): owners and admins preview, start and
 * cancel; everyone in the organization sees the operations and their progress.
 */

function parseWindow(input: { since?: string; until?: string }) {
  const window = windowSchema().safeParse({ since: input.since || undefined, until: input.until || undefined });
  return window.success ? window.data : fail("invalid_input", window.error.issues[0]?.message ?? "Invalid window", fieldErrorsByPath(window.error));
}

/** A disabled organization's deliveries wait (docs/delivery.md): manual sends too. */
function refusedWhenDisabled(organization: MemberOrPortalContext["organization"]) {
  return isOrganizationDisabled(organization) ? fail(ORGANIZATION_DISABLED, organizationDisabledMessage.dashboard) : null;
}

function parseFilters(filters: Record<string, string | string[]>) {
  const parsed = messageLogFiltersSchema.safeParse(filters);
  return parsed.success ? parsed.data : fail("invalid_input", "Fix the message-log filter first.", fieldErrorsByPath(parsed.error));
}

export const previewRecoveryAction = defineAction({
  input: recoveryRequestSchema,
  access: member(MANAGE_ROLE, { portal: true }),
  run: async ({ endpointId, kind, ...input }, { organization }) => {
    const window = parseWindow(input);
    if (!("since" in window)) return window;
    const preview = await previewRecovery(organization, endpointId, kind, window);
    if (!preview.ok) return fail(preview.code, preview.message);
    return { count: preview.count, retentionNote: preview.retentionNote, expungedNote: preview.expungedNote, since: window.since.toISOString(), until: window.until.toISOString() };
  },
});

export const startRecoveryAction = defineAction({
  input: recoveryRequestSchema,
  access: member(MANAGE_ROLE, { portal: true }),
  run: async ({ org, endpointId, kind, ...input }, { organization, actor }) => {
    const disabled = refusedWhenDisabled(organization);
    if (disabled) return disabled;
    const window = parseWindow(input);
    if (!("since" in window)) return window;
    const started = await startRecovery(organization, actor, endpointId, kind, window);
    if (!started.ok) return fail(started.code, started.message);
    revalidatePath(webhooksPath(org), "layout");
    return toTaskWire(started.task);
  },
});

export const resendMessageAction = defineAction({
  input: resendMessageSchema,
  access: member(MANAGE_ROLE, { portal: true }),
  run: async ({ org, endpointId, messageId, confirmDelivered }, { organization, actor }) => {
    const disabled = refusedWhenDisabled(organization);
    if (disabled) return disabled;
    const result = await resendMessage(organization, endpointId, messageId, { confirmDelivered }, actor);
    if (!result.ok) return fail(result.code, result.message);
    revalidatePath(webhooksPath(org), "layout");
    return result.attempt;
  },
});

export const previewBulkResendAction = defineAction({
  input: bulkResendSchema,
  access: member(MANAGE_ROLE, { portal: true }),
  run: async ({ filters }, { organization }) => {
    const parsed = parseFilters(filters);
    if (!("eventType" in parsed)) return parsed;
    const preview = await previewBulkResend(organization, parsed);
    if (!preview.ok) return fail(preview.code, preview.message);
    return { count: preview.count, delivered: preview.delivered, retentionNote: preview.retentionNote, expungedNote: preview.expungedNote };
  },
});

export const startBulkResendAction = defineAction({
  input: bulkResendSchema,
  access: member(MANAGE_ROLE, { portal: true }),
  run: async ({ org, filters, includeDelivered }, { organization, actor }) => {
    const disabled = refusedWhenDisabled(organization);
    if (disabled) return disabled;
    const parsed = parseFilters(filters);
    if (!("eventType" in parsed)) return parsed;
    const started = await startBulkResend(organization, actor, parsed, includeDelivered);
    if (!started.ok) return fail(started.code, started.message);
    revalidatePath(webhooksPath(org), "layout");
    return toTaskWire(started.task);
  },
});

export const cancelTaskAction = defineAction({
  input: taskRefSchema,
  access: member(MANAGE_ROLE, { portal: true }),
  run: async ({ taskId }, { organization, actor }) => {
    const result = await cancelTask(organization.id, taskId, actor);
    if (!result.ok) return fail(result.code, result.message);
    return toTaskWire(result.task);
  },
});

/** The latest operations of an endpoint, or of the organization (the message logs): polled while one runs. */
export const listTasksAction = defineAction({
  input: endpointTasksSchema,
  access: member("VIEWER", { portal: true }),
  run: async ({ endpointId }, { organization }) => (await listTasks(organization.id, endpointId ?? null)).map(toTaskWire),
});
