import { randomBytes } from "node:crypto";
import { z } from "zod";
import { apiKeyCache } from "@/lib/api-keys/cache";
import { diffFields } from "@/lib/audit/diff";
import { recordAudit, type Actor } from "@/lib/audit/record";
import { db } from "@/lib/db";
import { keysetClauses, toPage, type Cursor, type Page, type SortOrder } from "@/lib/db/keyset";
import { Prisma } from "@/lib/generated/prisma/client";
import { PLATFORM_ORGANIZATION_ID, isPlatformOrganization } from "@/lib/operational/platform";
import { organizationCache } from "@/lib/organizations/cache";
import { isOrganizationDisabled } from "@/lib/organizations/disabled";
import { slugFromName } from "@/lib/validations/organization";

/** Turns webhooks on or off for an organization. Returns the new state. */
export async function setWebhooksEnabled(organizationId: string, enabled: boolean): Promise<boolean> {
  const org = await db.organization.update({
    where: { id: organizationId },
    data: { webhooksEnabled: enabled },
    select: { webhooksEnabled: true },
  });
  // This process's API cache at once; other processes' caches on the trigger's notification.
  organizationCache.invalidate();
  return org.webhooksEnabled;
}

/** Every organization, for staff tools that act on any of them, with whether the user is a member. */
export async function organizationChoices(userId: string) {
  const rows = await db.organization.findMany({
    where: { id: { not: PLATFORM_ORGANIZATION_ID } },
    orderBy: { name: "asc" },
    select: { slug: true, name: true, webhooksEnabled: true, memberships: { where: { userId }, select: { id: true } } },
  });
  return rows.map(({ memberships, ...organization }) => ({ ...organization, member: memberships.length > 0 }));
}

export type OrganizationChoice = Awaited<ReturnType<typeof organizationChoices>>[number];

/**
 * Organizations as API clients manage them (Svix's applications: the slug is the application's
 * `uid`). Every change is audited; slug changes and deletions reach every process's API caches
 * through the `organization_changed` / `api_key_changed` triggers, and this process's at once.
 */

export type OrganizationMetadata = Record<string, string>;

export interface OrganizationRecord {
  id: string;
  slug: string;
  name: string;
  metadata: OrganizationMetadata;
  webhooksEnabled: boolean;
  createdAt: Date;
  updatedAt: Date;
}

const recordSelect = { id: true, slug: true, name: true, metadata: true, webhooksEnabled: true, createdAt: true, updatedAt: true } as const;
const storedMetadata = z.record(z.string(), z.string());

function toRecord(row: { id: string; slug: string; name: string; metadata: Prisma.JsonValue; webhooksEnabled: boolean; createdAt: Date; updatedAt: Date }): OrganizationRecord {
  const metadata = storedMetadata.safeParse(row.metadata);
  return { ...row, metadata: metadata.success ? metadata.data : {} };
}

function isUniqueViolation(error: unknown): boolean {
  return error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002";
}

export async function findOrganizationRecord(idOrSlug: string): Promise<OrganizationRecord | null> {
  const row = await db.organization.findFirst({ where: { OR: [{ id: idOrSlug }, { slug: idOrSlug }], NOT: { id: PLATFORM_ORGANIZATION_ID } }, select: recordSelect });
  return row ? toRecord(row) : null;
}

/** Organizations newest first, keyset-paginated; `organizationId` limits the list to that one. */
export async function listOrganizationRecords(options: { organizationId?: string; cursor?: Cursor; limit: number; order?: SortOrder }): Promise<Page<OrganizationRecord>> {
  const page = keysetClauses(Prisma.sql`"createdAt"`, Prisma.sql`id`, options.cursor, options.limit, options.order);
  const only = options.organizationId ? Prisma.sql`AND id = ${options.organizationId}` : Prisma.empty;
  const rows = await db.$queryRaw<Parameters<typeof toRecord>[0][]>`
    SELECT id, slug, name, metadata, "webhooksEnabled", "createdAt", "updatedAt" FROM "Organization"
     WHERE id <> ${PLATFORM_ORGANIZATION_ID} ${only} ${page.where} ${page.order} ${page.limit}`;
  return toPage(rows.map(toRecord), (r) => ({ at: r.createdAt, id: r.id }), options.cursor, options.limit);
}

export type CreateOrganizationResult = { ok: true; organization: OrganizationRecord } | { ok: false; code: "slug_taken"; slug: string };

/**
 * A new organization, without members (staff or an API client add them). With no slug one is made
 * from the name, with a random suffix when that one is taken. Webhooks start off unless
 * `webhooksEnabled` says otherwise: staff turn them on in the dashboard, while an API client that
 * creates an application means to send to it at once (the API passes true).
 */
export async function createOrganization(
  input: { name: string; slug?: string; metadata?: OrganizationMetadata; webhooksEnabled?: boolean },
  actor: Actor,
): Promise<CreateOrganizationResult> {
  const candidates = input.slug ? [input.slug] : [slugFromName(input.name), slugFromName(input.name, randomBytes(3).toString("hex")), slugFromName(input.name, randomBytes(4).toString("hex"))];
  for (const slug of candidates) {
    try {
      const organization = await db.$transaction(async (tx) => {
        const row = await tx.organization.create({ data: { name: input.name, slug, metadata: input.metadata ?? {}, webhooksEnabled: input.webhooksEnabled ?? false }, select: recordSelect });
        await recordAudit(tx, {
          actor,
          action: "organization.created",
          organizationId: row.id,
          changes: { name: row.name, slug: row.slug, metadata: row.metadata, webhooksEnabled: row.webhooksEnabled },
        });
        return toRecord(row);
      });
      return { ok: true, organization };
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
    }
  }
  return { ok: false, code: "slug_taken", slug: candidates[0]! };
}

export type UpdateOrganizationResult =
  | { ok: true; organization: OrganizationRecord }
  | { ok: false; code: "not_found" }
  | { ok: false; code: "slug_taken"; slug: string }
  /** `webhooksEnabled` would change, and the caller may not change it. */
  | { ok: false; code: "webhooks_locked"; enabled: boolean };

/**
 * Changes the given fields only. A new slug changes every dashboard and API path of the
 * organization. With `lockWebhooks` (an organization's own API key), `webhooksEnabled` may be
 * repeated as it is but not changed. A `webhooksEnabled` equal to the current value is not
 * written, so it never undoes a toggle made meanwhile.
 */
export async function updateOrganization(
  id: string,
  changes: { name?: string; slug?: string; metadata?: OrganizationMetadata; webhooksEnabled?: boolean },
  actor: Actor,
  { lockWebhooks = false }: { lockWebhooks?: boolean } = {},
): Promise<UpdateOrganizationResult> {
  if (isPlatformOrganization(id)) return { ok: false, code: "not_found" };
  try {
    const result = await db.$transaction(async (tx): Promise<OrganizationRecord | Extract<UpdateOrganizationResult, { ok: false }>> => {
      const before = await tx.organization.findUnique({ where: { id }, select: recordSelect });
      if (!before) return { ok: false, code: "not_found" };
      const { webhooksEnabled, ...rest } = changes;
      const toggles = webhooksEnabled !== undefined && webhooksEnabled !== before.webhooksEnabled;
      if (toggles && lockWebhooks) return { ok: false, code: "webhooks_locked", enabled: before.webhooksEnabled };
      const row = await tx.organization.update({ where: { id }, data: toggles ? { ...rest, webhooksEnabled } : rest, select: recordSelect });
      const diff = diffFields<Record<string, unknown>>(
        { name: before.name, slug: before.slug, metadata: before.metadata, webhooksEnabled: before.webhooksEnabled },
        { name: row.name, slug: row.slug, metadata: row.metadata, webhooksEnabled: row.webhooksEnabled },
      );
      if (Object.keys(diff).length) await recordAudit(tx, { actor, action: "organization.updated", organizationId: id, changes: diff });
      return toRecord(row);
    });
    if ("ok" in result) return result;
    if (changes.slug !== undefined || changes.webhooksEnabled !== undefined) organizationCache.invalidate();
    return { ok: true, organization: result };
  } catch (error) {
    if (isUniqueViolation(error)) return { ok: false, code: "slug_taken", slug: changes.slug ?? "" };
    throw error;
  }
}

/**
 * Deletes the organization and, by the database's cascades, everything it owns: memberships,
 * endpoints and their secrets, messages, deliveries and attempts, API keys, background tasks, test
 * receivers and its audit log. The audit entry of the deletion is platform-wide (no organization),
 * so it outlives it.
 */
export async function deleteOrganization(id: string, actor: Actor): Promise<"deleted" | "not_found"> {
  if (isPlatformOrganization(id)) return "not_found";
  const deleted = await db.$transaction(async (tx) => {
    const row = await tx.organization.findUnique({ where: { id }, select: { id: true, slug: true, name: true } });
    if (!row) return false;
    await tx.organization.delete({ where: { id } });
    await recordAudit(tx, { actor, action: "organization.deleted", organizationId: null, changes: { id: row.id, slug: row.slug, name: row.name } });
    return true;
  });
  if (!deleted) return "not_found";
  organizationCache.invalidate();
  apiKeyCache.invalidate();
  return "deleted";
}

export type SetOrganizationDisabledResult = { ok: true; disabledAt: Date | null; changed: boolean } | { ok: false; code: "not_found" };

/**
 * Staff disable an organization, or enable it again; what that refuses is the rule of
 * lib/organizations/disabled.ts. This process's cache forgets at once; other processes' on the
 * `organization_changed` trigger.
 */
export async function setOrganizationDisabled(id: string, disabled: boolean, actor: Actor, now = new Date()): Promise<SetOrganizationDisabledResult> {
  if (isPlatformOrganization(id)) return { ok: false, code: "not_found" };
  const result = await db.$transaction(async (tx) => {
    const before = await tx.organization.findUnique({ where: { id }, select: { disabledAt: true } });
    if (!before) return null;
    // Disabling twice keeps the first time; enabling an active organization changes nothing.
    if (isOrganizationDisabled(before) === disabled) return { disabledAt: before.disabledAt, changed: false };
    const row = await tx.organization.update({ where: { id }, data: { disabledAt: disabled ? now : null }, select: { disabledAt: true } });
    await recordAudit(tx, { actor, action: disabled ? "organization.disabled" : "organization.enabled", organizationId: id, changes: { disabledAt: row.disabledAt?.toISOString() ?? null } });
    return { disabledAt: row.disabledAt, changed: true };
  });
  if (!result) return { ok: false, code: "not_found" };
  if (result.changed) organizationCache.invalidate();
  return { ok: true, ...result };
}

/**
 * Message counts stop at this many: counting every message of a large organization reads its
 * whole index on each page view, while "10,000+" says all an operator needs from a list.
 */
export const MESSAGE_COUNT_CAP = 10_000;
export const STAFF_ORGANIZATIONS_PAGE_SIZE = 50;

export interface StaffOrganizationRow {
  id: string;
  slug: string;
  name: string;
  disabledAt: Date | null;
  createdAt: Date;
  /** Endpoints not deleted (disabled ones included). */
  endpoints: number;
  /** Messages, at most MESSAGE_COUNT_CAP; `messagesCapped` says there are more. */
  messages: number;
  messagesCapped: boolean;
}

/**
 * Every organization for the staff list, newest first, a keyset page at a time, with its endpoint
 * count and a message count capped at MESSAGE_COUNT_CAP (an index-only scan of at most that many
 * entries of `Message(organizationId, createdAt, id)` per row; bench/organizations-list.ts).
 */
export async function listOrganizationsForStaff(options: { cursor?: Cursor; limit?: number } = {}): Promise<Page<StaffOrganizationRow>> {
  const limit = options.limit ?? STAFF_ORGANIZATIONS_PAGE_SIZE;
  const page = keysetClauses(Prisma.sql`o."createdAt"`, Prisma.sql`o.id`, options.cursor, limit);
  const rows = await db.$queryRaw<(Omit<StaffOrganizationRow, "messagesCapped">)[]>`
    SELECT o.id, o.slug, o.name, o."disabledAt", o."createdAt",
           (SELECT count(*)::int FROM "Endpoint" e WHERE e."organizationId" = o.id AND e."deletedAt" IS NULL) AS endpoints,
           (SELECT count(*)::int FROM (SELECT 1 FROM "Message" m WHERE m."organizationId" = o.id LIMIT ${MESSAGE_COUNT_CAP + 1}) capped) AS messages
      FROM "Organization" o
     WHERE o.id <> ${PLATFORM_ORGANIZATION_ID} ${page.where} ${page.order} ${page.limit}`;
  const items = rows.map((row) => ({ ...row, messages: Math.min(row.messages, MESSAGE_COUNT_CAP), messagesCapped: row.messages > MESSAGE_COUNT_CAP }));
  return toPage(items, (r) => ({ at: r.createdAt, id: r.id }), options.cursor, limit);
}
