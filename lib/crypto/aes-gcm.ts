import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";

/**
 * AES-256-GCM with a random 96-bit nonce. Output: `v1.<base64url(nonce | tag | ciphertext)>`.
 * `context` is bound as additional authenticated data, so a ciphertext copied to another row
 * (another endpoint) fails to decrypt instead of silently working there.
 */
const VERSION = "v1";
const NONCE_BYTES = 12;
const TAG_BYTES = 16;

export class DecryptionError extends Error {}

export function encrypt(plaintext: string, key: Buffer, context: string): string {
  const nonce = randomBytes(NONCE_BYTES);
  const cipher = createCipheriv("aes-256-gcm", key, nonce);
  cipher.setAAD(Buffer.from(context, "utf8"));
  const body = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  return `${VERSION}.${Buffer.concat([nonce, cipher.getAuthTag(), body]).toString("base64url")}`;
}

export function decrypt(sealed: string, key: Buffer, context: string): string {
  const [version, payload] = sealed.split(".", 2);
  if (version !== VERSION || !payload) throw new DecryptionError(`Unsupported ciphertext format (expected ${VERSION})`);
  const raw = Buffer.from(payload, "base64url");
  if (raw.length < NONCE_BYTES + TAG_BYTES) throw new DecryptionError("Ciphertext is truncated");
  const decipher = createDecipheriv("aes-256-gcm", key, raw.subarray(0, NONCE_BYTES));
  decipher.setAAD(Buffer.from(context, "utf8"));
  decipher.setAuthTag(raw.subarray(NONCE_BYTES, NONCE_BYTES + TAG_BYTES));
  try {
    return Buffer.concat([decipher.update(raw.subarray(NONCE_BYTES + TAG_BYTES)), decipher.final()]).toString("utf8");
  } catch {
    throw new DecryptionError("Ciphertext failed authentication: wrong APP_ENCRYPTION_KEY, or the data was altered");
  }
}
