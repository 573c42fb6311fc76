import type { Metadata } from "next";
import { z } from "zod";
import { AutomaticDisableNotice } from "@/components/endpoints/automatic-disable-notice";
import { EndpointStatusBadge } from "@/components/endpoints/endpoint-status-badge";
import { SigningSecretCard } from "@/components/endpoints/signing-secret-card";
import { OperationalLogTable } from "@/components/operational/operational-log-table";
import { OperatorEndpointControls } from "@/components/operational/operator-endpoint-controls";
import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { requireStaffPage } from "@/lib/auth/session";
import { cursorField } from "@/lib/db/keyset";
import { operationalLog, operatorEndpoint } from "@/lib/operational/log";
import { operatorEndpointPath } from "@/lib/routes";

export const metadata: Metadata = { title: "Operator endpoint · Operational webhooks" };

/** A stale or hand-edited cursor falls back to the first page. */
const searchSchema = z.object({ cursor: cursorField.optional().catch(undefined) });

function Row({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div className="grid gap-1 py-2 sm:grid-cols-[10rem_1fr]">
      <dt className="text-sm font-medium text-muted-foreground">{label}</dt>
      <dd className="min-w-0 text-sm">{children}</dd>
    </div>
  );
}

export default async function OperatorEndpointPage({ params, searchParams }: { params: Promise<{ endpointId: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { endpointId } = await params;
  await requireStaffPage(operatorEndpointPath(endpointId));
  const endpoint = await operatorEndpoint(endpointId);
  // The layout answers an unknown endpoint with a 404; under this page's loading boundary it could not.
  if (!endpoint) return null;
  const { cursor } = searchSchema.parse(await searchParams);
  const log = await operationalLog(endpoint.id, cursor);
  const values = { url: endpoint.url, description: endpoint.description, eventTypes: endpoint.eventTypes, rateLimit: endpoint.rateLimit === null ? "" : String(endpoint.rateLimit) };
  return (
    <div className="mx-auto max-w-6xl space-y-6">
      <div className="flex flex-wrap items-start justify-between gap-4">
        <div className="min-w-0 space-y-1">
          <p className="text-sm text-muted-foreground">Platform → Operational webhooks</p>
          <div className="flex min-w-0 items-center gap-2">
            <h1 className="truncate font-mono text-lg font-semibold" title={endpoint.url}>
              {endpoint.url}
            </h1>
            <EndpointStatusBadge disabled={endpoint.disabled} />
          </div>
          {endpoint.description ? <p className="text-sm text-muted-foreground">{endpoint.description}</p> : null}
        </div>
        <OperatorEndpointControls endpointId={endpoint.id} disabled={endpoint.disabled} values={values} />
      </div>
      {endpoint.automaticDisable ? (
        <AutomaticDisableNotice disable={endpoint.automaticDisable} canManage advice="Fix the receiver, then enable the endpoint and resend what it missed from its log below." />
      ) : null}
      <Card>
        <CardHeader>
          <CardTitle>Configuration</CardTitle>
        </CardHeader>
        <CardContent>
          <dl className="divide-y" data-testid="operator-endpoint-config">
            <Row label="Events">
              {endpoint.eventTypes.length === 0 ? (
                "Every operational event"
              ) : (
                <ul className="flex flex-wrap gap-1" aria-label="Subscribed operational events">
                  {endpoint.eventTypes.map((t) => (
                    <li key={t}>
                      <Badge variant="outline" className="font-mono">
                        {t}
                      </Badge>
                    </li>
                  ))}
                </ul>
              )}
            </Row>
            <Row label="Rate limit">{endpoint.rateLimit === null ? "No limit" : `${endpoint.rateLimit.toLocaleString("en-US")} messages per second`}</Row>
            <Row label="Endpoint id">
              <code className="break-all">{endpoint.id}</code>
            </Row>
            {endpoint.uid ? (
              <Row label="uid">
                <code className="break-all">{endpoint.uid}</code>
              </Row>
            ) : null}
          </dl>
        </CardContent>
      </Card>
      <SigningSecretCard owner={{ operatorEndpointId: endpoint.id }} canManage previousValidUntil={endpoint.previousSecretValidUntil?.toISOString() ?? null} />
      <section aria-labelledby="log-heading" className="space-y-3">
        <h2 id="log-heading" className="text-base font-semibold">
          Log
        </h2>
        <OperationalLogTable endpointId={endpoint.id} page={log} />
      </section>
    </div>
  );
}
