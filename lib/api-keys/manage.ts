import { apiKeyCache } from "@/lib/api-keys/cache";
import { generateApiKey, type KeyScope } from "@/lib/api-keys/key";
import { db } from "@/lib/db";

export interface ApiKeySummary {
  id: string;
  name: string;
  scope: KeyScope;
  prefix: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
  createdBy: string | null;
}

const summarySelect = {
  id: true,
  name: true,
  scope: true,
  prefix: true,
  createdAt: true,
  lastUsedAt: true,
  revokedAt: true,
  createdBy: { select: { email: true } },
} as const;

type Row = { createdBy: { email: string } | null } & Omit<ApiKeySummary, "createdBy">;
const toSummary = ({ createdBy, ...rest }: Row): ApiKeySummary => ({ ...rest, createdBy: createdBy?.email ?? null });

/** Creates a key and returns it in clear text: the only time it is ever visible. */
export async function createApiKey(input: {
  name: string;
  scope: KeyScope;
  organizationId: string | null;
  createdById: string;
}): Promise<{ key: string; summary: ApiKeySummary }> {
  if ((input.scope === "ORGANIZATION") !== (input.organizationId !== null)) {
    throw new Error("Organization keys need an organization; platform keys must not have one");
  }
  const generated = generateApiKey(input.scope);
  const row = await db.apiKey.create({
    data: {
      name: input.name,
      scope: input.scope,
      organizationId: input.organizationId,
      prefix: generated.prefix,
      hash: generated.hash,
      createdById: input.createdById,
    },
    select: summarySelect,
  });
  return { key: generated.key, summary: toSummary(row) };
}

export async function listOrganizationKeys(organizationId: string): Promise<ApiKeySummary[]> {
  const rows = await db.apiKey.findMany({ where: { organizationId }, select: summarySelect, orderBy: { createdAt: "desc" } });
  return rows.map(toSummary);
}

export async function listPlatformKeys(): Promise<ApiKeySummary[]> {
  const rows = await db.apiKey.findMany({ where: { scope: "PLATFORM" }, select: summarySelect, orderBy: { createdAt: "desc" } });
  return rows.map(toSummary);
}

/** Revokes a key within the given scope; false when no such active key exists there. */
export async function revokeApiKey(id: string, where: { scope: KeyScope; organizationId: string | null }): Promise<boolean> {
  const { count } = await db.apiKey.updateMany({
    where: { id, scope: where.scope, organizationId: where.organizationId, revokedAt: null },
    data: { revokedAt: new Date() },
  });
  // This process's cache at once; other processes' caches on the trigger's notification.
  apiKeyCache.invalidate();
  return count === 1;
}
