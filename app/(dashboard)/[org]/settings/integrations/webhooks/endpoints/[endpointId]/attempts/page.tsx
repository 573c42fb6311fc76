import type { Metadata } from "next";
import { AttemptedMessagesTable } from "@/components/endpoints/attempted-messages-table";
import { hasRole, MANAGE_ROLE } from "@/lib/auth/roles";
import { requireMemberPage } from "@/lib/auth/session";
import { encodeCursor } from "@/lib/db/keyset";
import { listAttemptedMessages } from "@/lib/endpoints/attempted-messages";
import { endpointForPage } from "@/lib/endpoints/lookup";
import { attemptedMessagesFiltersSchema, searchParamsRecord } from "@/lib/validations/message-logs";

export const metadata: Metadata = { title: "Attempted messages · Endpoint · Webhooks" };

export default async function AttemptedMessagesPage({
  params,
  searchParams,
}: {
  params: Promise<{ org: string; endpointId: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { org, endpointId } = await params;
  const { organization, role } = await requireMemberPage(org, "VIEWER", { portal: true });
  // The layout answers an unknown endpoint with a 404; under this page's loading boundary it could not.
  const endpoint = await endpointForPage(organization.id, endpointId);
  if (!endpoint) return null;
  // A stale or hand-edited URL falls back to the unfiltered first page.
  const parsed = attemptedMessagesFiltersSchema.safeParse(searchParamsRecord(await searchParams));
  const filters = parsed.success ? parsed.data : attemptedMessagesFiltersSchema.parse({});
  const page = await listAttemptedMessages(organization.id, endpoint.id, filters);
  const newest = page.prevCursor ? undefined : page.items[0];
  return (
    <AttemptedMessagesTable
      org={org}
      endpointId={endpoint.id}
      status={filters.status ?? null}
      manage={hasRole(role, MANAGE_ROLE) ? { endpointDisabled: endpoint.disabled } : null}
      page={page}
      newestAnchor={newest ? encodeCursor({ direction: "prev", at: newest.createdAt, id: newest.deliveryId }) : null}
    />
  );
}
