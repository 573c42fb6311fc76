import { z } from "zod";

/**
 * Top-level paths the app itself uses: an organization with one of these slugs would be
 * unreachable (`/platform` is the staff section, the others are sign-in, the API and receivers).
 */
export const RESERVED_SLUGS: ReadonlySet<string> = new Set(["platform", "sign-in", "login", "api", "test-receiver", "play", "portal"]);

export const orgSlugSchema = z
  .string()
  .min(1, "Organization is required")
  .max(64)
  .regex(/^[a-z0-9][a-z0-9-]*$/, "Organization slugs use lowercase letters, digits and dashes")
  .refine((slug) => !RESERVED_SLUGS.has(slug), { error: (issue) => `"${String(issue.input)}" is reserved by HookRelay; choose another slug` });

export const setWebhooksEnabledSchema = z.object({
  org: orgSlugSchema,
  enabled: z.boolean({ error: "enabled must be true or false" }),
});

export type SetWebhooksEnabledInput = z.infer<typeof setWebhooksEnabledSchema>;

export const organizationNameSchema = z.string().trim().min(1, "Name is required").max(100, "Name must be at most 100 characters");

