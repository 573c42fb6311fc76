import { db } from "@/lib/db";
import { keysetClauses, toPage, type Page } from "@/lib/db/keyset";
import { Prisma } from "@/lib/generated/prisma/client";
import { TIME_PRESETS } from "@/lib/validations/message-logs";
import { PLATFORM_SCOPE } from "@/lib/audit/filters";
import { AUDIT_PAGE_SIZE, type AuditLogFilters } from "@/lib/validations/audit-log";

/**
 * The platform audit log, for staff: every organization's entries and the platform's own (a
 * user's password change, with no organization), newest first, a keyset page at a time. Each
 * filter has an index ending in (createdAt, id), so a page reads about as many index entries as
 * it shows whatever the log holds: `AuditLog(createdAt, id)` unfiltered, `(actorEmail, createdAt,
 * id)`, `(action, createdAt, id)`, `(organizationId, createdAt)`; a time range bounds the same
 * scans (docs/benchmarks.md, "Platform audit log").
 */

export interface PlatformAuditEntry {
  id: string;
  action: string;
  actorEmail: string;
  createdAt: Date;
  changes: Record<string, unknown> | null;
  /** Null for a platform entry. */
  organization: { name: string; slug: string } | null;
}

interface Row {
  id: string;
  action: string;
  actorEmail: string;
  createdAt: Date;
  changes: Record<string, unknown> | null;
  organizationName: string | null;
  organizationSlug: string | null;
}

function conditions(filters: AuditLogFilters, now: Date): Prisma.Sql[] {
  const where: Prisma.Sql[] = [];
  if (filters.actor) where.push(Prisma.sql`a."actorEmail" = ${filters.actor}`);
  if (filters.action) where.push(Prisma.sql`a.action = ${filters.action}`);
  if (filters.organization === PLATFORM_SCOPE) where.push(Prisma.sql`a."organizationId" IS NULL`);
  else if (filters.organization) where.push(Prisma.sql`a."organizationId" = (SELECT o.id FROM "Organization" o WHERE o.slug = ${filters.organization})`);
  const from = filters.since ? new Date(now.getTime() - TIME_PRESETS[filters.since]) : filters.from;
  if (from) where.push(Prisma.sql`a."createdAt" >= ${from}`);
  if (filters.to) where.push(Prisma.sql`a."createdAt" < ${filters.to}`);
  return where;
}

export async function listPlatformAudit(filters: AuditLogFilters, now = new Date()): Promise<Page<PlatformAuditEntry>> {
  const page = keysetClauses(Prisma.sql`a."createdAt"`, Prisma.sql`a.id`, filters.cursor, AUDIT_PAGE_SIZE);
  const where = conditions(filters, now);
  const rows = await db.$queryRaw<Row[]>`
    SELECT a.id, a.action, a."actorEmail", a."createdAt", a.changes, o.name AS "organizationName", o.slug AS "organizationSlug"
      FROM "AuditLog" a
      LEFT JOIN "Organization" o ON o.id = a."organizationId"
     WHERE ${where.length ? Prisma.join(where, " AND ") : Prisma.sql`TRUE`} ${page.where}
     ${page.order} ${page.limit}`;
  const result = toPage(rows, (r) => ({ at: r.createdAt, id: r.id }), filters.cursor, AUDIT_PAGE_SIZE);
  return {
    ...result,
    items: result.items.map(({ organizationName, organizationSlug, ...entry }) => ({
      ...entry,
      organization: organizationName !== null && organizationSlug !== null ? { name: organizationName, slug: organizationSlug } : null,
    })),
  };
}

/** The organization filter's choices: every organization, by name. */
export function auditOrganizationChoices(): Promise<{ name: string; slug: string }[]> {
  return db.organization.findMany({ select: { name: true, slug: true }, orderBy: [{ name: "asc" }, { slug: "asc" }] });
}
