import { z } from "zod";

/**
 * APP_ENCRYPTION_KEY: the AES-256 key that encrypts endpoint signing secrets at rest. Exactly 32
 * bytes, given as 64 hex characters or base64/base64url. When the operator leaves it unset,
 * `npm start` generates it once into DATA_DIR/encryption.secret (like AUTH_SECRET, through
 * `persistentSecret`) and passes it to the server, so the embedded default needs no setup. This
 * module only reads the environment: importing the bootstrap here would pull the migration runner
 * into the Next server bundle.
 */
const KEY_HINT = "generate one with `openssl rand -base64 32`";

export const encryptionKeySchema = z
  .string()
  .trim()
  .min(1, `APP_ENCRYPTION_KEY is not set: start the app with \`npm start\` (which generates one into DATA_DIR) or set it (${KEY_HINT})`)
  .transform((value, ctx) => {
    const bytes = /^[0-9a-fA-F]{64}$/.test(value)
      ? Buffer.from(value, "hex")
      : /^[A-Za-z0-9+/_-]+={0,2}$/.test(value)
        ? Buffer.from(value.replace(/-/g, "+").replace(/_/g, "/"), "base64")
        : null;
    if (!bytes || bytes.length !== 32) {
      ctx.addIssue({
        code: "custom",
        message: `APP_ENCRYPTION_KEY must be 32 bytes written as 64 hex characters or base64 (${KEY_HINT}); got ${bytes ? `${bytes.length} bytes` : "characters that are neither hex nor base64"}`,
      });
      return z.NEVER;
    }
    return bytes;
  });

export class CryptoConfigError extends Error {}

export function parseEncryptionKey(value: string): Buffer {
  const result = encryptionKeySchema.safeParse(value);
  if (!result.success) throw new CryptoConfigError(result.error.issues.map((i) => i.message).join("; "));
  return result.data;
}

let cached: Buffer | undefined;

/** The key for this process, read once. Never logged. */
export function encryptionKey(): Buffer {
  cached ??= parseEncryptionKey(process.env.APP_ENCRYPTION_KEY ?? "");
  return cached;
}
