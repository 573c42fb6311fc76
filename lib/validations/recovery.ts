import { z } from "zod";
import { endpointIdSchema, endpointRefSchema } from "@/lib/validations/endpoint";
import { orgSlugSchema } from "@/lib/validations/organization";

/**
 * Manual recovery's inputs, one schema per operation, shared by the dashboard's actions and the
 * HTTP API (docs/recovery.md).
 */

/** The longest window one recovery may cover, as Svix allows. */
export const RECOVERY_MAX_WINDOW_MS = 14 * 86_400_000;

const instant = (label: string) =>
  z.preprocess(
    (v) => (v instanceof Date ? v.toISOString() : v),
    z.iso
      .datetime({ offset: true, message: `${label} is a date and time such as 2026-05-01T09:00:00Z` })
      .transform((text) => new Date(text)),
  );

/**
 * A window of message times: `since` (inclusive) to `until` (exclusive, now when absent). Until
 * before since, a start in the future and a window longer than 14 days are refused.
 */
export function windowSchema(now: () => Date = () => new Date()) {
  return z
    .object({
      since: instant("since").optional(),
      until: instant("until").optional(),
    })
    .superRefine((w, ctx) => {
      // A malformed time already has its issue (zod still runs refinements after format checks).
      if ((w.since !== undefined && !(w.since instanceof Date)) || (w.until !== undefined && !(w.until instanceof Date))) return;
      if (!w.since) {
        ctx.addIssue({ code: "custom", path: ["since"], message: "Give `since`: where the window starts (ISO 8601, e.g. 2026-05-01T09:00:00Z)" });
        return;
      }
      const end = w.until ?? now();
      if (w.since >= end) ctx.addIssue({ code: "custom", path: [w.until ? "until" : "since"], message: w.until ? "`until` must be after `since`" : "`since` must be in the past" });
      else if (end.getTime() - w.since.getTime() > RECOVERY_MAX_WINDOW_MS) {
        ctx.addIssue({ code: "custom", path: ["since"], message: "The window is longer than 14 days: split it into several recoveries" });
      }
    })
    .transform((w) => ({ since: w.since!, until: w.until ?? now() }));
}

export type RecoveryWindow = { since: Date; until: Date };

/** The two windowed operations of an endpoint. */
export const RECOVERY_KINDS = ["resend_failed", "replay_missing"] as const;
export type RecoveryKind = (typeof RECOVERY_KINDS)[number];

/** The dashboard's recovery form: the operation and its window (the browser turns presets into times). */
export const recoveryRequestSchema = endpointRefSchema.extend({
  kind: z.enum(RECOVERY_KINDS, { message: "Operation is resend_failed or replay_missing" }),
  since: z.string().optional(),
  until: z.string().optional(),
});

/** Resend of one message to one endpoint; `confirmDelivered` is the explicit yes for a delivery that already succeeded. */
export const resendMessageSchema = endpointRefSchema.extend({
  messageId: z.string().regex(/^msg_[0-9A-Za-z]{8,64}$/, "Unknown message id"),
  confirmDelivered: z.boolean().default(false),
});

/** The message logs' filter (its URL search params) resent as one operation. */
export const bulkResendSchema = z.object({
  org: orgSlugSchema,
  filters: z.record(z.string(), z.union([z.string(), z.array(z.string())])),
  includeDelivered: z.boolean().default(false),
});

export const taskRefSchema = z.object({
  org: orgSlugSchema,
  taskId: z.string().regex(/^qtask_[0-9A-Za-z]{8,64}$/, "Unknown task id"),
});

export const endpointTasksSchema = z.object({ org: orgSlugSchema, endpointId: endpointIdSchema.optional() });
