"use client";

import { Copy, Inbox, RefreshCw } from "lucide-react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useEffect, useTransition } from "react";
import { toast } from "sonner";
import { createReceiverAction } from "@/actions/test-receiver";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardAction, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { Time } from "@/components/ui/time";
import type { DeliveringEndpoint } from "@/lib/messages/delivered-by";
import { endpointPath, messagePath, newEndpointPath, testReceiverPath } from "@/lib/routes";

interface ReceiverItem {
  name: string;
  token: string;
  url: string;
}

interface RequestItem {
  id: string;
  receivedAt: string;
  webhookId: string | null;
  eventType: string | null;
  headers: Record<string, string>;
  body: string;
  bodyTruncated: boolean;
  signatureStatus: string;
  signatureDetail: string | null;
  /** The endpoint whose delivery this request was; null for a request HookRelay did not send. */
  deliveredBy: DeliveringEndpoint | null;
}

const SIGNATURE_BADGE: Record<string, { label: string; variant: "success" | "destructive" | "secondary" | "warning" }> = {
  verified: { label: "Signature verified", variant: "success" },
  invalid: { label: "Signature invalid", variant: "destructive" },
  unsigned: { label: "Unsigned", variant: "warning" },
  no_secret: { label: "Not checked", variant: "secondary" },
};

/** How often the page looks for new requests while it is open. */
const REFRESH_MS = 2_000;

function prettyBody(body: string): string {
  try {
    return JSON.stringify(JSON.parse(body), null, 2);
  } catch {
    return body;
  }
}

export function ReceiverView(props: { org: string; canManage: boolean; receivers: ReceiverItem[]; selected: string | null; requests: RequestItem[] }) {
  const { org, canManage, receivers, selected, requests } = props;
  const router = useRouter();
  const current = receivers.find((r) => r.token === selected);

  useEffect(() => {
    if (!current) return;
    const timer = setInterval(() => {
      if (document.visibilityState === "visible") router.refresh();
    }, REFRESH_MS);
    return () => clearInterval(timer);
  }, [current, router]);

  return (
    <div className="space-y-6">
      <Card>
        <CardHeader>
          <CardTitle>Test receiver</CardTitle>
          <CardDescription>
            A built-in address that accepts webhooks, checks their signatures and shows what arrived, so you can try
            deliveries before your own system is ready. Add an endpoint with this URL to start receiving.
          </CardDescription>
          {canManage ? (
            <CardAction>
              <NewReceiver org={org} />
            </CardAction>
          ) : null}
        </CardHeader>
        <CardContent className="space-y-4">
          {receivers.length === 0 ? (
            <div className="flex flex-col items-center gap-2 rounded-md border border-dashed p-8 text-center">
              <Inbox className="size-6 text-muted-foreground" aria-hidden />
              <p className="font-medium">No test receiver yet</p>
              <p className="text-sm text-muted-foreground">{canManage ? "Create one to get an address that accepts webhooks." : "Owners and admins can create one."}</p>
            </div>
          ) : (
            <>
              {receivers.length > 1 ? (
                <nav aria-label="Receivers" className="flex flex-wrap gap-2">
                  {receivers.map((r) => (
                    <Button key={r.token} asChild size="sm" variant={r.token === selected ? "default" : "outline"}>
                      <Link href={`${testReceiverPath(org)}?r=${r.token}`}>{r.name}</Link>
                    </Button>
                  ))}
                </nav>
              ) : null}
              {current ? (
                <div className="grid gap-2">
                  <Label htmlFor="receiver-url">{current.name}: URL</Label>
                  <div className="flex items-center gap-2">
                    <Input id="receiver-url" readOnly value={current.url} className="font-mono text-xs" data-testid="receiver-url" />
                    <Button
                      type="button"
                      variant="outline"
                      size="icon"
                      aria-label="Copy receiver URL"
                      onClick={() => void navigator.clipboard?.writeText(current.url).then(() => toast.success("URL copied"))}
                    >
                      <Copy className="size-4" aria-hidden />
                    </Button>
                    {canManage ? (
                      <Button asChild variant="outline" size="sm">
                        <Link href={`${newEndpointPath(org)}?url=${encodeURIComponent(current.url)}`}>Add as endpoint</Link>
                      </Button>
                    ) : null}
                  </div>
                </div>
              ) : null}
            </>
          )}
        </CardContent>
      </Card>

      {current ? (
        <section aria-labelledby="received-heading" className="space-y-3">
          <div className="flex items-center gap-2">
            <h2 id="received-heading" className="text-lg font-semibold">
              Received requests
            </h2>
            <span className="flex items-center gap-1 text-xs text-muted-foreground">
              <RefreshCw className="size-3" aria-hidden /> updates every {REFRESH_MS / 1000} s
            </span>
          </div>
          {requests.length === 0 ? (
            <p className="rounded-md border border-dashed p-6 text-center text-sm text-muted-foreground">
              Nothing has arrived yet. Send an event to an endpoint that points at this URL.
            </p>
          ) : (
            <ul className="space-y-3" data-testid="received-requests">
              {requests.map((q) => {
                const badge = SIGNATURE_BADGE[q.signatureStatus] ?? SIGNATURE_BADGE.no_secret!;
                return (
                  <li key={q.id} className="rounded-lg border bg-card">
                    <details>
                      <summary className="flex cursor-pointer flex-wrap items-center gap-3 p-3 outline-none focus-visible:ring-2 focus-visible:ring-ring">
                        <span className="font-mono text-sm">{q.eventType ?? "unknown type"}</span>
                        <Badge variant={badge.variant} title={q.signatureDetail ?? undefined}>
                          {badge.label}
                        </Badge>
                        <span className="font-mono text-xs text-muted-foreground">{q.webhookId ?? "no webhook-id"}</span>
                        <Time value={q.receivedAt} className="ml-auto text-xs text-muted-foreground" />
                      </summary>
                      {q.deliveredBy && q.webhookId ? (
                        <p className="flex flex-wrap items-center gap-x-2 border-t px-3 py-2 text-sm" data-testid="delivered-by">
                          <span className="text-muted-foreground">Delivered by</span>
                          <Link href={endpointPath(org, q.deliveredBy.endpointId)} className="min-w-0 truncate font-mono text-xs hover:underline" title={q.deliveredBy.url}>
                            {q.deliveredBy.description || q.deliveredBy.url}
                          </Link>
                          <Link href={messagePath(org, q.webhookId)} className="underline">
                            Open the message
                          </Link>
                        </p>
                      ) : null}
                      <div className="grid gap-3 border-t p-3 md:grid-cols-2">
                        <div>
                          <h3 className="mb-1 text-xs font-semibold uppercase text-muted-foreground">Headers</h3>
                          <dl className="space-y-1 font-mono text-xs">
                            {Object.entries(q.headers).map(([k, v]) => (
                              <div key={k} className="break-all">
                                <dt className="inline text-muted-foreground">{k}: </dt>
                                <dd className="inline">{v}</dd>
                              </div>
                            ))}
                          </dl>
                          {q.signatureDetail ? <p className="mt-2 text-xs text-muted-foreground">{q.signatureDetail}</p> : null}
                        </div>
                        <div>
                          <h3 className="mb-1 text-xs font-semibold uppercase text-muted-foreground">Body{q.bodyTruncated ? " (truncated)" : ""}</h3>
                          <pre className="max-h-80 overflow-auto rounded bg-muted p-2 text-xs">{prettyBody(q.body)}</pre>
                        </div>
                      </div>
                    </details>
                  </li>
                );
              })}
            </ul>
          )}
        </section>
      ) : null}
    </div>
  );
}

function NewReceiver({ org }: { org: string }) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  return (
    <Button
      size="sm"
      disabled={pending}
      onClick={() =>
        startTransition(async () => {
          const result = await createReceiverAction({ org, name: "Test receiver" });
          if (result.ok) {
            toast.success("Test receiver created");
            router.push(`${testReceiverPath(org)}?r=${result.data.token}`);
          } else toast.error(result.error);
        })
      }
    >
      New test receiver
    </Button>
  );
}
