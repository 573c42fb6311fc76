import type { Metadata } from "next";
import { headers } from "next/headers";
import { z } from "zod";
import { PageHeader } from "@/components/layout/page-header";
import { CreateOrganizationDialog } from "@/components/organizations/create-organization-dialog";
import { OrganizationsTable } from "@/components/organizations/organizations-table";
import { requireStaffPage } from "@/lib/auth/session";
import { cursorField } from "@/lib/db/keyset";
import { deliveryConfig } from "@/lib/delivery/config";
import { env } from "@/lib/env";
import { requestOrigin } from "@/lib/http/public-origin";
import { listOrganizationsForStaff, MESSAGE_COUNT_CAP } from "@/lib/organizations/organizations";
import { organizationsPath } from "@/lib/routes";

export const metadata: Metadata = { title: "Organizations · Platform" };

/** A stale or hand-edited cursor falls back to the first page. */
const searchSchema = z.object({ cursor: cursorField.optional().catch(undefined) });

export default async function OrganizationsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await requireStaffPage(organizationsPath());
  const { cursor } = searchSchema.parse(await searchParams);
  const page = await listOrganizationsForStaff({ cursor });
  const origin = requestOrigin(await headers(), env().PORT);
  return (
    <div className="mx-auto max-w-6xl space-y-6">
      <PageHeader
        breadcrumb={["Platform"]}
        title="Organizations"
        description={`Your customers, newest first. Message counts stop at ${MESSAGE_COUNT_CAP.toLocaleString("en")}.`}
        actions={<CreateOrganizationDialog origin={origin} />}
      />
      <OrganizationsTable page={page} origin={origin} recheckMs={deliveryConfig().organizationPauseRecheckMs} firstPage={!cursor} />
    </div>
  );
}
