import { decrypt, encrypt } from "@/lib/crypto/aes-gcm";
import { encryptionKey } from "@/lib/crypto/config";
import { db } from "@/lib/db";
import { generateSecret } from "@/lib/delivery/sign";
import type { Prisma } from "@/lib/generated/prisma/client";

/**
 * Endpoint signing secrets (format and generation: lib/delivery/sign.ts). Stored encrypted
 * (AES-256-GCM, bound to the endpoint id). On rotation the previous secret keeps signing for
 * ROTATION_GRACE_MS so receivers can switch without dropping messages.
 */
export const ROTATION_GRACE_MS = 24 * 60 * 60 * 1000;

export function sealSecret(endpointId: string, secret: string): string {
  return encrypt(secret, encryptionKey(), `endpoint-secret:${endpointId}`);
}

export function openSecret(endpointId: string, ciphertext: string): string {
  return decrypt(ciphertext, encryptionKey(), `endpoint-secret:${endpointId}`);
}

type SecretClient = Pick<Prisma.TransactionClient, "endpointSecret">;

const validAt = (now: Date) => ({ OR: [{ expiresAt: null }, { expiresAt: { gt: now } }] });

/** Creates the endpoint's first secret (inside its creation transaction): `secret` when the API client chose one, else a new one. */
export async function createInitialSecret(client: SecretClient, endpointId: string, now: Date, secret: string = generateSecret()): Promise<void> {
  await client.endpointSecret.create({ data: { endpointId, ciphertext: sealSecret(endpointId, secret), createdAt: now } });
}

/**
 * Plaintext secrets that sign at `now`, newest first: the current one plus rotated ones still in
 * their grace period. The signer adds one signature per secret.
 */
export async function activeSigningSecrets(endpointId: string, now: Date = new Date()): Promise<string[]> {
  const rows = await db.endpointSecret.findMany({
    where: { endpointId, ...validAt(now) },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    select: { ciphertext: true },
  });
  return rows.map((r) => openSecret(endpointId, r.ciphertext));
}

/** The current (newest) secret, decrypted; for reveal and copy in the dashboard. */
export async function currentSigningSecret(endpointId: string, now: Date = new Date()): Promise<string | null> {
  return (await activeSigningSecrets(endpointId, now))[0] ?? null;
}

/**
 * Replaces the current secret. Secrets still valid keep signing until now + grace (or their earlier
 * expiry, when an earlier rotation already set one). The new one is `secret` when the API client
 * chose it, else generated. Returns when the previous secret stops.
 */
export async function rotateSecret(client: SecretClient, endpointId: string, now: Date, secret: string = generateSecret()): Promise<{ previousExpiresAt: Date }> {
  const previousExpiresAt = new Date(now.getTime() + ROTATION_GRACE_MS);
  await client.endpointSecret.updateMany({ where: { endpointId, expiresAt: null }, data: { expiresAt: previousExpiresAt } });
  await client.endpointSecret.create({ data: { endpointId, ciphertext: sealSecret(endpointId, secret), createdAt: now } });
  return { previousExpiresAt };
}

/** Expiry of rotated secrets that still sign at `now`, for the Overview's rotation notice. */
export async function rotationInProgress(endpointId: string, now: Date = new Date()): Promise<Date | null> {
  const row = await db.endpointSecret.findFirst({
    where: { endpointId, expiresAt: { gt: now } },
    orderBy: { expiresAt: "desc" },
    select: { expiresAt: true },
  });
  return row?.expiresAt ?? null;
}
