import { z } from "zod";
import { TRUST_NONE, trustProxySchema } from "@/lib/http/forwarded";
import { settingsErrorText } from "@/lib/settings-error";

/**
 * Every environment variable the product reads, validated once. The README's table is written
 * from this file: keep them in step.
 */
const booleanish = z
  .enum(["1", "0", "true", "false", "yes", "no", ""])
  .transform((v) => v === "1" || v === "true" || v === "yes");

const envSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("production"),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  DATA_DIR: z.string().min(1).default(".data"),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, "DATABASE_URL must be a postgres:// or postgresql:// URL")
    .optional(),
  EMBEDDED_PG_PORT: z.coerce.number().int().min(1).max(65535).default(54329),
  AUTH_SECRET: z.string().min(32, "AUTH_SECRET must be at least 32 characters").optional(),
  AUTH_TRUST_HOST: booleanish.optional(),
  ADMIN_EMAIL: z.email("ADMIN_EMAIL must be an email address").default("admin@acme.test"),
  ADMIN_PASSWORD: z.string().min(8, "ADMIN_PASSWORD must be at least 8 characters").default("hookrelay-admin"),
  SEED_DEMO: booleanish.default(true),
  TRUST_PROXY: trustProxySchema.default(TRUST_NONE),
  /** Where invites are e-mailed from; without it nothing is sent and the link is shown to copy. */
  SMTP_URL: z
    .url({ protocol: /^smtps?$/, error: "SMTP_URL must be an smtp:// or smtps:// URL, e.g. smtp://user:pass@mail.example.com:587" })
    .optional(),
  SMTP_FROM: z.string().min(3, "SMTP_FROM must be an address, e.g. HookRelay <hooks@example.com>").default("HookRelay <no-reply@hookrelay.invalid>"),
});

export type Env = z.infer<typeof envSchema>;

export class EnvError extends Error {}

export function parseEnv(source: Record<string, string | undefined> = process.env): Env {
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ""));
  const result = envSchema.safeParse(cleaned);
  if (!result.success) {
    throw new EnvError(settingsErrorText("Invalid environment", result.error));
  }
  return result.data;
}

let cached: Env | undefined;
/** The validated environment of this process (read once). */
export function env(): Env {
  return (cached ??= parseEnv());
}
