import type { Metadata } from "next";
import { PageHeader } from "@/components/layout/page-header";
import { SendEventForm } from "@/components/messages/send-event-form";
import { requireStaffPage } from "@/lib/auth/session";
import { listEventTypeDetails } from "@/lib/catalog/event-types";
import { organizationChoices } from "@/lib/organizations/organizations";
import { sendEventPath } from "@/lib/routes";

export const metadata: Metadata = { title: "Send event" };

export default async function SendEventPage({ searchParams }: { searchParams: Promise<{ org?: string | string[] }> }) {
  const user = await requireStaffPage(sendEventPath());
  const { org } = await searchParams;
  const [details, organizations] = await Promise.all([listEventTypeDetails(), organizationChoices(user.id)]);
  const types = details.map((t) => ({ name: t.name, group: t.group, deprecated: t.deprecated, example: t.examples[0]?.payload ?? {} }));
  const initial = organizations.find((o) => o.slug === org)?.slug ?? null;
  return (
    <div className="mx-auto max-w-4xl space-y-6">
      <PageHeader
        breadcrumb={["Platform"]}
        title="Send event"
        description="Record an event for an organization as the platform's internal tools do, and fan it out to its subscribed endpoints."
      />
      <SendEventForm organizations={organizations} initialOrg={initial} types={types} />
    </div>
  );
}
