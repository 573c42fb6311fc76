import { z } from "zod";

/**
 * Top-level paths the app itself uses: an organization with one of these slugs would be
 * unreachable (`/platform` is the staff section, the others are sign-in, the API and receivers).
 */
export const RESERVED_SLUGS: ReadonlySet<string> = new Set(["platform", "sign-in", "login", "api", "test-receiver", "play", "invite", "account", "portal"]);

/** A slug made from a name (`Acme Corp.` → `acme-corp`), valid for orgSlugSchema (also the create form's suggestion); `suffix` makes it unique. */
export function slugFromName(name: string, suffix?: string): string {
  const base =
    name
      .normalize("NFKD")
      .replace(/[\u0300-\u036f]/g, "")
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-+|-+$/g, "")
      .slice(0, 50)
      .replace(/-+$/, "") || "org";
  const slug = RESERVED_SLUGS.has(base) ? `${base}-org` : base;
  return suffix ? `${slug}-${suffix}` : slug;
}

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


/** A slug typed into a form: the same rule as every slug, with messages about the field. */
export const slugFieldSchema = z
  .string()
  .trim()
  .min(1, "Slug is required")
  .max(64, "Slug must be at most 64 characters")
  .pipe(orgSlugSchema);

const organizationIdSchema = z.string().min(1, "Organization is required").max(100);

const ownerEmailSchema = z
  .string()
  .trim()
  .max(254, "E-mail address must be at most 254 characters")
  .pipe(z.email("Enter an e-mail address such as owner@example.com"));

/** Staff create an organization (Platform → Organizations); an owner e-mail also makes an OWNER invite. */
export const staffCreateOrganizationSchema = z.object({
  name: organizationNameSchema,
  slug: slugFieldSchema,
  ownerEmail: z.preprocess((value) => (typeof value === "string" && value.trim() === "" ? undefined : value), ownerEmailSchema.optional()),
});

export const staffRenameOrganizationSchema = z.object({ id: organizationIdSchema, name: organizationNameSchema, slug: slugFieldSchema });

export const staffSetOrganizationDisabledSchema = z.object({
  id: organizationIdSchema,
  disabled: z.boolean({ error: "disabled must be true or false" }),
});

export const staffInviteOwnerSchema = z.object({ id: organizationIdSchema, email: ownerEmailSchema });

export type StaffCreateOrganizationInput = z.input<typeof staffCreateOrganizationSchema>;
