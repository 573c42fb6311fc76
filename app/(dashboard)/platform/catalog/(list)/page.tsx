import type { Metadata } from "next";
import Link from "next/link";
import { Plus } from "lucide-react";
import { PlatformCatalogTable } from "@/components/catalog/platform-catalog-table";
import { PageHeader } from "@/components/layout/page-header";
import { Button } from "@/components/ui/button";
import { requireStaffPage } from "@/lib/auth/session";
import { listEventTypes } from "@/lib/catalog/event-types";
import { newEventTypePath, platformCatalogPath } from "@/lib/routes";

export const metadata: Metadata = { title: "Event catalog · Platform" };

export default async function PlatformCatalogPage() {
  await requireStaffPage(platformCatalogPath());
  const eventTypes = await listEventTypes({ includeArchived: true });
  return (
    <div className="mx-auto max-w-5xl space-y-6">
      <PageHeader
        breadcrumb={["Platform"]}
        title="Event catalog"
        description="The event types every organization can subscribe to. Archived types stay listed here so they can be restored."
        actions={
          <Button asChild>
            <Link href={newEventTypePath()}>
              <Plus aria-hidden /> New event type
            </Link>
          </Button>
        }
      />
      <PlatformCatalogTable eventTypes={eventTypes} />
    </div>
  );
}
