import type { Metadata } from "next";
import { AuditFilters } from "@/components/audit/audit-filters";
import { AuditLogTable } from "@/components/audit/audit-log-table";
import { PageHeader } from "@/components/layout/page-header";
import { EmptyState } from "@/components/ui/empty-state";
import { AUDIT_FILTER_KEYS } from "@/lib/audit/filters";
import { auditOrganizationChoices, listPlatformAudit } from "@/lib/audit/platform-log";
import { requireStaffPage } from "@/lib/auth/session";
import { platformAuditPath } from "@/lib/routes";
import { AUDIT_PAGE_SIZE, auditLogFiltersSchema } from "@/lib/validations/audit-log";
import { fieldErrorsByPath } from "@/lib/validations/field-errors";
import { searchParamsRecord } from "@/lib/validations/message-logs";
import { maskAuditChanges } from "@/lib/headers-mask";

export const metadata: Metadata = { title: "Audit log · Platform" };

export default async function PlatformAuditPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await requireStaffPage(platformAuditPath());
  const query = searchParamsRecord(await searchParams);
  const parsed = auditLogFiltersSchema.safeParse(query);
  const [organizations, page] = await Promise.all([auditOrganizationChoices(), parsed.success ? listPlatformAudit(parsed.data) : null]);
  const filtered = AUDIT_FILTER_KEYS.some((key) => key in query);
  const toolbar = (
    // A new URL (Clear filters, back) starts the typed fields from its values.
    <AuditFilters key={JSON.stringify(query)} organizations={organizations} errors={parsed.success ? {} : fieldErrorsByPath(parsed.error)} />
  );
  return (
    <div className="mx-auto max-w-6xl space-y-6">
      <PageHeader
        breadcrumb={["Platform"]}
        title="Audit log"
        description={`Who changed what, in every organization and on the platform (accounts), newest first, ${AUDIT_PAGE_SIZE} a page.`}
      />
      {page ? (
        // Entries written before values were masked at write time must not show them either.
        <AuditLogTable page={{ ...page, items: page.items.map((r) => ({ ...r, changes: maskAuditChanges(r.changes) })) }} toolbar={toolbar} filtered={filtered} />
      ) : (
        <div className="space-y-3">
          {toolbar}
          <EmptyState title="Fix the filter above" description="The entries are shown once every filter is valid." />
        </div>
      )}
    </div>
  );
}
