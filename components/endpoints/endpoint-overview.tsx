import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { CustomHeadersList } from "@/components/endpoints/custom-headers-list";
import { maskHeaders } from "@/lib/headers-mask";
import type { EndpointView } from "@/lib/endpoints/endpoints";
import { eventTypePath } from "@/lib/routes";

function Row({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div className="grid gap-1 py-2 sm:grid-cols-[12rem_1fr]">
      <dt className="text-sm font-medium text-muted-foreground">{label}</dt>
      <dd className="text-sm">{children}</dd>
    </div>
  );
}

export function EndpointOverview({ org, endpoint, canManage }: { org: string; endpoint: EndpointView; canManage: boolean }) {
  return (
    <Card>
      <CardHeader>
        <CardTitle>Configuration</CardTitle>
      </CardHeader>
      <CardContent>
        <dl className="divide-y" data-testid="endpoint-config">
          <Row label="URL">
            <span className="font-mono break-all">{endpoint.url}</span>
          </Row>
          <Row label="Description">{endpoint.description || <span className="text-muted-foreground">None</span>}</Row>
          <Row label="Event types">
            <ul className="flex flex-wrap gap-1" aria-label="Subscribed event types">
              {endpoint.eventTypes.map((t) => (
                <li key={t}>
                  <Badge asChild variant="outline" className="font-mono">
                    <Link href={eventTypePath(org, t)}>{t}</Link>
                  </Badge>
                </li>
              ))}
            </ul>
          </Row>
          <Row label="Rate limit">
            <span data-testid="endpoint-rate-limit">{endpoint.rateLimit === null ? "No limit" : `${endpoint.rateLimit.toLocaleString("en-US")} messages per second`}</span>
          </Row>
          <Row label="Custom headers">
            {endpoint.headers.length ? (
              <CustomHeadersList org={org} endpointId={endpoint.id} headers={maskHeaders(endpoint.headers)} canReveal={canManage} />
            ) : (
              <span className="text-muted-foreground">None</span>
            )}
          </Row>
          <Row label="Endpoint id">
            <code>{endpoint.id}</code>
          </Row>
        </dl>
      </CardContent>
    </Card>
  );
}
