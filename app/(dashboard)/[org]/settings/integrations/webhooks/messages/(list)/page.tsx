import type { Metadata } from "next";
import Link from "next/link";
import { MessageFilters } from "@/components/messages/message-filters";
import { MessageLogsTable } from "@/components/messages/message-logs-table";
import { BulkResendButton } from "@/components/recovery/bulk-resend";
import { TaskList } from "@/components/recovery/task-list";
import { hasRole, MANAGE_ROLE } from "@/lib/auth/roles";
import { EmptyState } from "@/components/ui/empty-state";
import { requireMemberPage } from "@/lib/auth/session";
import { listEventTypes } from "@/lib/catalog/event-types";
import { encodeCursor } from "@/lib/db/keyset";
import { listEndpoints } from "@/lib/endpoints/endpoints";
import { listMessages } from "@/lib/messages/list";
import { retentionConfig } from "@/lib/retention/config";
import { formatDuration } from "@/lib/time";
import { apiKeysPath, messagesExportPath, messagesLivePath, sendEventPath } from "@/lib/routes";
import { fieldErrorsByPath } from "@/lib/validations/field-errors";
import { messageLogFiltersSchema, searchParamsRecord } from "@/lib/validations/message-logs";

export const metadata: Metadata = { title: "Message logs · Webhooks" };

type SearchParams = Record<string, string | string[] | undefined>;

export default async function MessageLogsPage({ params, searchParams }: { params: Promise<{ org: string }>; searchParams: Promise<SearchParams> }) {
  const { org } = await params;
  const { organization, user, role, portal } = await requireMemberPage(org, "VIEWER", { portal: true });
  const query = searchParamsRecord(await searchParams);
  const parsed = messageLogFiltersSchema.safeParse(query);
  const [eventTypes, endpoints, page] = await Promise.all([
    listEventTypes({ includeArchived: true }),
    listEndpoints(organization.id),
    parsed.success ? listMessages(organization.id, parsed.data) : null,
  ]);
  const filtered = Object.keys(query).some((k) => k !== "limit" && k !== "cursor");
  const newest = page && !page.prevCursor ? page.items[0] : undefined;
  const canManage = hasRole(role, MANAGE_ROLE);
  // The filter as a bulk resend takes it: every page, so no cursor or page size.
  const { cursor: _cursor, limit: _limit, ...selection } = query;

  const toolbar = (
    <MessageFilters
      // A new URL (Clear filters, back) starts the typed fields from its values.
      key={JSON.stringify(query)}
      eventTypes={eventTypes.map((t) => t.name)}
      endpoints={endpoints.map((e) => ({ id: e.id, url: e.url, description: e.description }))}
      errors={parsed.success ? {} : fieldErrorsByPath(parsed.error)}
      exportHref={messagesExportPath(org)}
    />
  );
  const empty = !parsed.success ? (
    <EmptyState title="Fix the filter above" description="The messages are shown once every filter is valid." />
  ) : filtered ? (
    <EmptyState title="No messages match these filters" description="Widen the time range or clear a filter." />
  ) : (
    <EmptyState
      title="No messages yet"
      description="Every event your organization sends appears here, newest first, with what each endpoint answered."
      action={
        // A portal visitor has no way to send events here: they arrive from the product itself.
        portal ? null : user?.isStaff ? (
          <Link className="text-sm underline" href={sendEventPath(org)}>
            Send an event (Platform → Send event)
          </Link>
        ) : (
          <p className="text-sm text-muted-foreground">
            Send events through the HTTP API with an{" "}
            <Link className="underline" href={apiKeysPath(org)}>
              API key
            </Link>
            : <code className="font-mono text-xs">POST /api/v1/app/{organization.slug}/msg</code>
          </p>
        )
      }
    />
  );

  return (
    <section aria-labelledby="messages-heading" className="space-y-4">
      <h2 id="messages-heading" className="text-lg font-semibold">
        Message logs
      </h2>
      <div className="flex flex-wrap items-center justify-between gap-2">
        <p className="text-sm text-muted-foreground" data-testid="retention">
          History is kept {formatDuration(retentionConfig().messagesMs)}.
        </p>
        {canManage && parsed.success ? (
          <BulkResendButton org={org} filters={selection} endpointLabel={endpoints.find((e) => e.id === parsed.data.endpoint)?.url ?? null} />
        ) : null}
      </div>
      <TaskList org={org} endpointId={null} canManage={canManage} endpointLabels={Object.fromEntries(endpoints.map((e) => [e.id, e.url]))} />
      <MessageLogsTable
        org={org}
        rows={page?.items ?? []}
        page={page ?? { nextCursor: null, prevCursor: null }}
        newestAnchor={newest ? encodeCursor({ direction: "prev", at: newest.createdAt, id: newest.id }) : null}
        livePath={messagesLivePath(org)}
        toolbar={toolbar}
        empty={empty}
      />
    </section>
  );
}
