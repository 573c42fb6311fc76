import { ArrowLeft } from "lucide-react";
import Link from "next/link";
import { DeliveryStatusBadge } from "@/components/endpoints/delivery-status-badge";
import { OperationalResend } from "@/components/operational/operational-resend";
import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { CopyButton } from "@/components/ui/copy-button";
import { Time } from "@/components/ui/time";
import type { AttemptDetail, MessageDetail } from "@/lib/messages/detail";
import { operatorEndpointPath } from "@/lib/routes";
import { formatDuration } from "@/lib/time";

const TRIGGER: Record<AttemptDetail["trigger"], string> = { SCHEDULED: "scheduled", MANUAL: "manual", TEST: "test" };

function Code({ children, label }: { children: string; label: string }) {
  return (
    <pre aria-label={label} tabIndex={0} className="max-h-96 overflow-auto rounded-md bg-muted p-3 font-mono text-xs whitespace-pre outline-none focus-visible:ring-2 focus-visible:ring-ring">
      {children}
    </pre>
  );
}

/** One operational event sent to one operator endpoint: its delivery, every attempt with the answer, and the payload. */
export function OperationalMessageView({ endpointId, endpointUrl, message }: { endpointId: string; endpointUrl: string; message: MessageDetail }) {
  const delivery = message.deliveries[0];
  return (
    <div className="space-y-6">
      <div className="space-y-2">
        <Link href={operatorEndpointPath(endpointId)} className="inline-flex max-w-full items-center gap-1 text-sm text-muted-foreground hover:text-foreground">
          <ArrowLeft aria-hidden className="size-4 shrink-0" /> <span className="truncate font-mono">{endpointUrl}</span>
        </Link>
        <h1 className="font-mono text-xl font-semibold break-all">{message.eventType}</h1>
        <dl className="grid grid-cols-1 gap-x-6 gap-y-1 text-sm sm:grid-cols-[max-content_1fr]">
          <dt className="text-muted-foreground">Message id (webhook-id)</dt>
          <dd className="flex flex-wrap items-center gap-2">
            <code className="font-mono text-xs break-all">{message.id}</code>
            <CopyButton value={message.id} label="Copy id" />
          </dd>
          <dt className="text-muted-foreground">Recorded</dt>
          <dd>
            <Time value={message.createdAt} mode="absolute" />
          </dd>
        </dl>
      </div>

      {delivery ? (
        <Card data-testid="operational-delivery">
          <CardHeader className="gap-1">
            <CardTitle className="flex flex-wrap items-center gap-2 text-base">
              Delivery <DeliveryStatusBadge status={delivery.status} attemptCount={delivery.attemptCount} />
            </CardTitle>
            <CardDescription>
              {delivery.attemptCount === 1 ? "1 scheduled attempt" : `${delivery.attemptCount} scheduled attempts`}
              {delivery.nextAttemptAt ? (
                <>
                  {" "}
                  · next <Time value={delivery.nextAttemptAt} />
                </>
              ) : null}
            </CardDescription>
          </CardHeader>
          <CardContent className="space-y-4 text-sm">
            {delivery.status === "FAILED" || delivery.status === "SUCCEEDED" ? (
              delivery.endpoint.disabled ? (
                <p className="text-muted-foreground">This operator endpoint is disabled: enable it first to resend.</p>
              ) : (
                <OperationalResend endpointId={endpointId} messageId={message.id} delivered={delivery.status === "SUCCEEDED"} />
              )
            ) : null}
            {delivery.failureReason && delivery.status === "FAILED" ? <p className="text-destructive">Gave up: {delivery.failureReason}</p> : null}
            {delivery.attempts.length === 0 ? (
              <p className="text-muted-foreground">No attempt yet.</p>
            ) : (
              <ol className="space-y-2" aria-label="Attempts">
                {delivery.attempts.map((a) => (
                  <li key={a.id} className="space-y-1 rounded-md border px-3 py-2" data-testid="operational-attempt">
                    <div className="flex flex-wrap items-center gap-x-3 gap-y-1">
                      <span className="font-medium tabular-nums">#{a.attemptNumber}</span>
                      <Badge variant={a.diagnosis.tone === "success" ? "success" : "destructive"}>{a.diagnosis.label}</Badge>
                      <Time value={a.startedAt} mode="absolute" className="text-muted-foreground" />
                      <span className="text-muted-foreground">{formatDuration(a.durationMs)}</span>
                      <Badge variant="outline">{TRIGGER[a.trigger]}</Badge>
                    </div>
                    <p className={a.diagnosis.tone === "failure" ? "text-destructive" : undefined}>{a.diagnosis.sentence}</p>
                    {a.responseBodyDisplay ? (
                      <details>
                        <summary className="cursor-pointer text-muted-foreground outline-none focus-visible:ring-2 focus-visible:ring-ring">Response body</summary>
                        <Code label={`Response body of attempt ${a.attemptNumber}`}>{a.responseBodyDisplay}</Code>
                      </details>
                    ) : null}
                  </li>
                ))}
              </ol>
            )}
          </CardContent>
        </Card>
      ) : (
        <p className="rounded-md border border-dashed p-4 text-sm text-muted-foreground">This event was not sent to this operator endpoint.</p>
      )}

      <section aria-labelledby="payload-heading" className="space-y-2">
        <div className="flex flex-wrap items-center justify-between gap-2">
          <h2 id="payload-heading" className="text-base font-semibold">
            Payload
          </h2>
          <CopyButton value={message.payloadDisplay} label="Copy payload" />
        </div>
        <Code label="Payload">{message.payloadDisplay}</Code>
      </section>
    </div>
  );
}
