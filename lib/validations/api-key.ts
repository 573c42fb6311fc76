import { z } from "zod";
import { orgSlugSchema } from "@/lib/validations/organization";

export const apiKeyNameSchema = z
  .string()
  .trim()
  .min(1, "Give the key a name, e.g. the system that will use it")
  .max(80, "Key names are at most 80 characters");

export const createApiKeySchema = z.object({
  org: orgSlugSchema,
  name: apiKeyNameSchema,
  scope: z.enum(["ORGANIZATION", "PLATFORM"], { error: "Scope must be ORGANIZATION or PLATFORM" }),
});

export const revokeApiKeySchema = z.object({ org: orgSlugSchema, id: z.string().min(1, "Key id is required") });

export type CreateApiKeyInput = z.infer<typeof createApiKeySchema>;
