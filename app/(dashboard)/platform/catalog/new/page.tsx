import type { Metadata } from "next";
import { EventTypeForm, emptyEventType } from "@/components/catalog/event-type-form";
import { PageHeader } from "@/components/layout/page-header";
import { requireStaffPage } from "@/lib/auth/session";
import { newEventTypePath } from "@/lib/routes";

export const metadata: Metadata = { title: "New event type · Event catalog" };

export default async function NewEventTypePage() {
  await requireStaffPage(newEventTypePath());
  return (
    <div className="mx-auto max-w-4xl space-y-6">
      <PageHeader breadcrumb={["Platform", "Event catalog"]} title="New event type" />
      <EventTypeForm mode="create" initial={emptyEventType} />
    </div>
  );
}
