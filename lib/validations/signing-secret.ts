import { z } from "zod";
import { secretKey, SecretError } from "@/lib/delivery/sign";

/**
 * A signing secret an API client chooses (Svix's `secret` on create, `key` on rotate): the
 * Standard Webhooks format `whsec_` + base64 of 24 to 64 bytes; the bare base64 is accepted and
 * given its prefix, as Svix does. Server-only (the check decodes the key).
 */
export const signingSecretSchema = z
  .string()
  .trim()
  .transform((text) => (text.startsWith("whsec_") ? text : `whsec_${text}`))
  .superRefine((secret, ctx) => {
    try {
      secretKey(secret);
    } catch (error) {
      if (!(error instanceof SecretError)) throw error;
      ctx.addIssue({ code: "custom", message: `Not a usable signing secret: ${error.message}. Omit it to have one generated.` });
    }
  });
