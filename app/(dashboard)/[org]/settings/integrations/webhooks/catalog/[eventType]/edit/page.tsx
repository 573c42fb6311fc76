import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { EventTypeForm } from "@/components/catalog/event-type-form";
import { requireMemberPage } from "@/lib/auth/session";
import { getEventType } from "@/lib/catalog/event-types";

export const metadata: Metadata = { title: "Edit event type · Event catalog" };

export default async function EditEventTypePage({ params }: { params: Promise<{ org: string; eventType: string }> }) {
  const { org, eventType } = await params;
  const { user } = await requireMemberPage(org);
  if (!user.isStaff) notFound();
  const type = await getEventType(decodeURIComponent(eventType));
  if (!type) notFound();
  return (
    <section className="space-y-4">
      <h2 className="text-lg font-semibold">
        Edit <span className="font-mono">{type.name}</span>
      </h2>
      <EventTypeForm
        org={org}
        mode="edit"
        initial={{
          name: type.name,
          description: type.description,
          deprecated: type.deprecated,
          schema: JSON.stringify(type.schema, null, 2),
          examples: type.examples.map((e) => ({ name: e.name, payload: JSON.stringify(e.payload, null, 2) })),
        }}
      />
    </section>
  );
}
