import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { ArchiveEventTypeButton } from "@/components/catalog/archive-event-type-button";
import { EventTypeForm } from "@/components/catalog/event-type-form";
import { PageHeader } from "@/components/layout/page-header";
import { requireStaffPage } from "@/lib/auth/session";
import { getEventType } from "@/lib/catalog/event-types";
import { editEventTypePath } from "@/lib/routes";

export const metadata: Metadata = { title: "Edit event type · Event catalog" };

export default async function EditEventTypePage({ params }: { params: Promise<{ eventType: string }> }) {
  const name = decodeURIComponent((await params).eventType);
  await requireStaffPage(editEventTypePath(name));
  const type = await getEventType(name);
  if (!type) notFound();
  return (
    <div className="mx-auto max-w-4xl space-y-6">
      <PageHeader
        breadcrumb={["Platform", "Event catalog"]}
        title={`Edit ${type.name}`}
        description={type.archived ? "Archived: it can no longer be chosen for new subscriptions. Its definition stays for past messages." : undefined}
        actions={<ArchiveEventTypeButton name={type.name} archived={type.archived} />}
      />
      <EventTypeForm
        mode="edit"
        initial={{
          name: type.name,
          description: type.description,
          deprecated: type.deprecated,
          schema: JSON.stringify(type.schema, null, 2),
          examples: type.examples.map((e) => ({ name: e.name, payload: JSON.stringify(e.payload, null, 2) })),
        }}
      />
    </div>
  );
}
