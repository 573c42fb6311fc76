import type { Metadata } from "next";
import Link from "next/link";
import { Plus } from "lucide-react";
import { CatalogBrowser } from "@/components/catalog/catalog-browser";
import { Button } from "@/components/ui/button";
import { requireMemberPage } from "@/lib/auth/session";
import { listEventTypes } from "@/lib/catalog/event-types";
import { newEventTypePath } from "@/lib/routes";

export const metadata: Metadata = { title: "Event catalog · Webhooks" };

export default async function CatalogPage({ params }: { params: Promise<{ org: string }> }) {
  const { org } = await params;
  const { user } = await requireMemberPage(org);
  // Staff also see archived types, to restore them; members see what they can subscribe to.
  const eventTypes = await listEventTypes({ includeArchived: user.isStaff });
  return (
    <section aria-labelledby="catalog-heading" className="space-y-4">
      <div className="flex items-center justify-between gap-4">
        <div>
          <h2 id="catalog-heading" className="text-lg font-semibold">
            Event catalog
          </h2>
          <p className="text-sm text-muted-foreground">Every event type you can subscribe an endpoint to, with its payload schema and examples.</p>
        </div>
        {user.isStaff ? (
          <Button asChild>
            <Link href={newEventTypePath(org)}>
              <Plus aria-hidden /> New event type
            </Link>
          </Button>
        ) : null}
      </div>
      <CatalogBrowser org={org} eventTypes={eventTypes} />
    </section>
  );
}
