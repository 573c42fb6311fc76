import { z } from "zod";

export const orgSlugSchema = z
  .string()
  .min(1, "Organization is required")
  .max(64)
  .regex(/^[a-z0-9][a-z0-9-]*$/, "Organization slugs use lowercase letters, digits and dashes");

export const setWebhooksEnabledSchema = z.object({
  org: orgSlugSchema,
  enabled: z.boolean({ error: "enabled must be true or false" }),
});

export type SetWebhooksEnabledInput = z.infer<typeof setWebhooksEnabledSchema>;
