import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { PageHeader } from "@/components/layout/page-header";
import { SendEventForm } from "@/components/messages/send-event-form";
import { listEventTypeDetails } from "@/lib/catalog/event-types";
import { requireMemberPage } from "@/lib/auth/session";

export const metadata: Metadata = { title: "Send event" };

export default async function SendEventPage({ params }: { params: Promise<{ org: string }> }) {
  const { org } = await params;
  const { organization, user } = await requireMemberPage(org);
  if (!user.isStaff) notFound();
  const types = (await listEventTypeDetails()).map((t) => ({ name: t.name, group: t.group, deprecated: t.deprecated, example: t.examples[0]?.payload ?? {} }));
  return (
    <div className="mx-auto max-w-4xl space-y-6">
      <PageHeader
        breadcrumb={["Platform"]}
        title="Send event"
        description={`Record an event for ${organization.name} as the platform's internal tools do, and fan it out to its subscribed endpoints.`}
      />
      <SendEventForm org={organization.slug} webhooksEnabled={organization.webhooksEnabled} types={types} />
    </div>
  );
}
