import { createHmac, randomBytes } from "node:crypto";

/**
 * Standard Webhooks signatures (https://www.standardwebhooks.com), the scheme Svix uses:
 * `v1,<base64 HMAC-SHA256 of "{id}.{timestamp}.{body}">`, keyed by the base64 bytes after `whsec_`.
 */

const SECRET_PREFIX = "whsec_";
const SECRET_BYTES = 32;
/** Standard Webhooks allows keys from 24 to 64 bytes. */
const MIN_KEY_BYTES = 24;
const MAX_KEY_BYTES = 64;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

export class SecretError extends Error {}

/** A new endpoint secret: `whsec_` and the base64 of 32 random bytes. */
export function generateSecret(): string {
  return SECRET_PREFIX + randomBytes(SECRET_BYTES).toString("base64");
}

/** The HMAC key of a `whsec_...` secret; throws SecretError with the reason when it is malformed. */
export function secretKey(secret: string): Buffer {
  if (!secret.startsWith(SECRET_PREFIX)) throw new SecretError(`a signing secret starts with "${SECRET_PREFIX}"`);
  const encoded = secret.slice(SECRET_PREFIX.length);
  if (!BASE64.test(encoded)) throw new SecretError(`the part after "${SECRET_PREFIX}" must be base64`);
  const key = Buffer.from(encoded, "base64");
  if (key.length < MIN_KEY_BYTES || key.length > MAX_KEY_BYTES) {
    throw new SecretError(`a signing secret must decode to ${MIN_KEY_BYTES} to ${MAX_KEY_BYTES} bytes, got ${key.length}`);
  }
  return key;
}

export interface SignInput {
  /** The message id, sent as `webhook-id`. */
  messageId: string;
  /** Unix seconds, sent as `webhook-timestamp`. */
  timestamp: number;
  /** The exact bytes that will be sent. */
  body: Uint8Array;
  /** Every secret currently valid for the endpoint, newest first (more than one during rotation). */
  secrets: readonly string[];
}

/** `v1,<sig>` per secret, space-separated, in the order given. */
export function signatureHeader({ messageId, timestamp, body, secrets }: SignInput): string {
  if (secrets.length === 0) throw new SecretError("at least one signing secret is required");
  if (!Number.isSafeInteger(timestamp) || timestamp < 0) throw new RangeError("timestamp must be whole unix seconds");
  const signedContent = Buffer.concat([Buffer.from(`${messageId}.${timestamp}.`, "utf8"), body]);
  return secrets
    .map((secret) => `v1,${createHmac("sha256", secretKey(secret)).update(signedContent).digest("base64")}`)
    .join(" ");
}

export interface SignatureHeaders {
  "webhook-id": string;
  "webhook-timestamp": string;
  "webhook-signature": string;
}

export function signatureHeaders(input: SignInput): SignatureHeaders {
  return {
    "webhook-id": input.messageId,
    "webhook-timestamp": String(input.timestamp),
    "webhook-signature": signatureHeader(input),
  };
}

export function unixSeconds(date: Date = new Date()): number {
  return Math.floor(date.getTime() / 1000);
}
