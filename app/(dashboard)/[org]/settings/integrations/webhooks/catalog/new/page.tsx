import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { EventTypeForm, emptyEventType } from "@/components/catalog/event-type-form";
import { requireMemberPage } from "@/lib/auth/session";

export const metadata: Metadata = { title: "New event type · Event catalog" };

export default async function NewEventTypePage({ params }: { params: Promise<{ org: string }> }) {
  const { org } = await params;
  const { user } = await requireMemberPage(org);
  if (!user.isStaff) notFound();
  return (
    <section className="space-y-4">
      <h2 className="text-lg font-semibold">New event type</h2>
      <EventTypeForm org={org} mode="create" initial={emptyEventType} />
    </section>
  );
}
