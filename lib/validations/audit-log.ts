import { z } from "zod";
import { AUDIT_ACTIONS, type AuditAction } from "@/lib/audit/actions";
import { cursorField } from "@/lib/db/keyset";
import { TIME_PRESETS, type TimePreset } from "@/lib/validations/message-logs";

/**
 * The platform audit page's filters, as they arrive in the URL's search params. Every one is
 * served by an index of `AuditLog` ending in (createdAt, id), the keyset of the page.
 */

export const AUDIT_PAGE_SIZE = 50;

const blankToUndefined = (value: unknown) => (typeof value === "string" && value.trim() === "" ? undefined : value);
const optional = <T extends z.ZodType>(schema: T) => z.preprocess(blankToUndefined, schema.optional());

const instant = z.iso.datetime({ offset: true, message: "Use a date and time such as 2026-05-01T09:00:00Z" }).transform((text) => new Date(text));

const actions = Object.keys(AUDIT_ACTIONS) as [AuditAction, ...AuditAction[]];

export const auditLogFiltersSchema = z
  .object({
    /** Exact: a user's e-mail (any case), or an API key's or portal link's name as the log shows it. */
    actor: optional(
      z
        .string()
        .trim()
        .max(320, "An actor is at most 320 characters")
        .transform((actor) => (z.email().safeParse(actor).success ? actor.toLowerCase() : actor)),
    ),
    action: optional(z.enum(actions, { message: "Choose an action from the list" })),
    /** An organization's slug, or `platform` (PLATFORM_SCOPE, lib/audit/filters.ts) for the entries of no organization. */
    organization: optional(z.string().max(64, "Not an organization")),
    since: optional(z.enum(Object.keys(TIME_PRESETS) as [TimePreset, ...TimePreset[]], { message: "Range is one of: 1h, 24h, 7d, 30d" })),
    from: optional(instant),
    to: optional(instant),
    cursor: optional(cursorField),
  })
  .superRefine((f, ctx) => {
    if (f.from && f.to && f.from >= f.to) ctx.addIssue({ code: "custom", path: ["to"], message: "The end of the range must be after its start" });
    if (f.since && (f.from || f.to)) ctx.addIssue({ code: "custom", path: ["since"], message: "Choose either a preset range or a custom one, not both" });
  });

export type AuditLogFilters = z.output<typeof auditLogFiltersSchema>;
