import type { Metadata } from "next";
import Link from "next/link";
import { CatalogBrowser } from "@/components/catalog/catalog-browser";
import { Button } from "@/components/ui/button";
import { requireMemberPage } from "@/lib/auth/session";
import { listEventTypes } from "@/lib/catalog/event-types";
import { platformCatalogPath } from "@/lib/routes";

export const metadata: Metadata = { title: "Event catalog · Webhooks" };

export default async function CatalogPage({ params }: { params: Promise<{ org: string }> }) {
  const { org } = await params;
  const { user } = await requireMemberPage(org, "VIEWER", { portal: true });
  // Members see what they can subscribe to; staff manage the catalog, archived types included, on the platform pages.
  const eventTypes = await listEventTypes();
  return (
    <section aria-labelledby="catalog-heading" className="space-y-4">
      <div className="flex items-center justify-between gap-4">
        <div>
          <h2 id="catalog-heading" className="text-lg font-semibold">
            Event catalog
          </h2>
          <p className="text-sm text-muted-foreground">Every event type you can subscribe an endpoint to, with its payload schema and examples.</p>
        </div>
        {user?.isStaff ? (
          <Button asChild variant="outline">
            <Link href={platformCatalogPath()}>Manage the catalog</Link>
          </Button>
        ) : null}
      </div>
      <CatalogBrowser org={org} eventTypes={eventTypes} />
    </section>
  );
}
