import type { Metadata } from "next";
import { PageHeader } from "@/components/layout/page-header";
import { OperatorEndpointDialog } from "@/components/operational/operator-endpoint-dialog";
import { OperatorEndpointsTable } from "@/components/operational/operator-endpoints-table";
import { EmptyState } from "@/components/ui/empty-state";
import { InlineCodeText } from "@/components/ui/inline-code-text";
import { requireStaffPage } from "@/lib/auth/session";
import { OPERATIONAL_EVENT_TYPES, OPERATIONAL_EVENT_TYPE_NAMES } from "@/lib/operational/events";
import { listOperatorEndpoints } from "@/lib/operational/log";
import { operationalWebhooksPath } from "@/lib/routes";

export const metadata: Metadata = { title: "Operational webhooks · Platform" };

export default async function OperationalWebhooksPage() {
  await requireStaffPage(operationalWebhooksPath());
  const endpoints = await listOperatorEndpoints();
  // Only what the list shows goes to the browser: custom header values can hold credentials.
  const rows = endpoints.map(({ id, url, description, disabled, automaticDisable, eventTypes, createdAt }) => ({ id, url, description, disabled, automaticDisable, eventTypes, createdAt }));
  return (
    <div className="mx-auto max-w-6xl space-y-6">
      <PageHeader
        breadcrumb={["Platform"]}
        title="Operational webhooks"
        description="Your own endpoints that hear about your customers' webhooks: an endpoint created, changed, failing or disabled. Each is signed with its own secret and retried like any webhook (Svix's operational webhooks)."
        actions={<OperatorEndpointDialog />}
      />
      <OperatorEndpointsTable
        rows={rows}
        empty={
          <EmptyState
            title="No operator endpoints yet"
            description="Add one to be told, for example, when a customer's endpoint keeps failing or is disabled automatically."
            action={<OperatorEndpointDialog />}
          />
        }
      />
      <section aria-labelledby="events-heading" className="space-y-2">
        <h2 id="events-heading" className="text-base font-semibold">
          Events
        </h2>
        <p className="text-sm text-muted-foreground">
          Each request&apos;s body is <code>{'{ "type": "…", "data": { … } }'}</code> with Svix&apos;s fields; <code>appId</code> is the organization&apos;s id and{" "}
          <code>appUid</code> its slug.
        </p>
        <dl className="grid grid-cols-1 gap-x-6 gap-y-2 text-sm sm:grid-cols-[max-content_1fr]">
          {OPERATIONAL_EVENT_TYPE_NAMES.map((type) => (
            <div key={type} className="contents">
              <dt className="font-mono break-all">{type}</dt>
              <dd className="text-muted-foreground">
                <InlineCodeText text={OPERATIONAL_EVENT_TYPES[type]} />
              </dd>
            </div>
          ))}
        </dl>
      </section>
    </div>
  );
}
