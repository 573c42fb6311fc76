import { ArrowLeft, CalendarClock, ChevronRight } from "lucide-react";
import Link from "next/link";
import { ExpungeMessageButton } from "@/components/messages/expunge-message";
import { CollapsibleHeaders } from "@/components/messages/collapsible-headers";
import { LiveRefresh } from "@/components/messages/live-refresh";
import { DeliveryStatusBadge } from "@/components/endpoints/delivery-status-badge";
import { ResendMessageButton } from "@/components/recovery/resend-message";
import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Time } from "@/components/ui/time";
import { CopyButton } from "@/components/ui/copy-button";
import { RESPONSE_BODY_LIMIT_BYTES } from "@/lib/delivery/attempt";
import type { AttemptDetail, DeliveryDetail, MessageDetail, SentHeader } from "@/lib/messages/detail";
import { endpointPath, messagesPath } from "@/lib/routes";
import { maskHeaderValue } from "@/lib/headers-mask";
import { formatDuration } from "@/lib/time";

const TRIGGER: Record<AttemptDetail["trigger"], string> = { SCHEDULED: "scheduled", MANUAL: "manual", TEST: "test" };

function Code({ children, label }: { children: string; label: string }) {
  return (
    <pre aria-label={label} tabIndex={0} className="max-h-96 overflow-auto rounded-md bg-muted p-3 font-mono text-xs whitespace-pre outline-none focus-visible:ring-2 focus-visible:ring-ring">
      {children}
    </pre>
  );
}

function HeaderList({ headers }: { headers: SentHeader[] | [string, string][] }) {
  const rows = headers.map((h) => (Array.isArray(h) ? { name: h[0], value: h[1], note: null } : h));
  if (rows.length === 0) return <p className="text-sm text-muted-foreground">None.</p>;
  return (
    <dl className="grid grid-cols-1 gap-x-4 gap-y-1 font-mono text-xs sm:grid-cols-[max-content_1fr]">
      {rows.map((h) => (
        <div key={h.name} className="contents">
          <dt className="font-medium text-muted-foreground">{h.name}</dt>
          <dd className="mb-1 break-all sm:mb-0">
            {h.value !== null ? maskHeaderValue(h.name, h.value) : <span className="font-sans text-muted-foreground italic">{h.note ?? "hidden"}</span>}
          </dd>
        </div>
      ))}
    </dl>
  );
}

/** When content was expunged, where it used to be shown. */
function Expunged({ at, what, testId }: { at: Date; what: string; testId: string }) {
  return (
    <p className="rounded-md border border-dashed p-3 text-sm text-muted-foreground" data-testid={testId}>
      Expunged <Time value={at} mode="absolute" /> (<Time value={at} />): {what}
    </p>
  );
}

/**
 * `canManage`: owners and admins get a Resend per delivery. `canExpunge`: the organization's own
 * owners and admins (not a portal link's visitors) get Expunge.
 */
export function MessageDetailView({ org, message, canManage = false, canExpunge = false }: { org: string; message: MessageDetail; canManage?: boolean; canExpunge?: boolean }) {
  const unfinished = message.deliveries.some((d) => d.status === "PENDING" || d.status === "SENDING");
  const { scheduled } = message;
  return (
    <div className="space-y-6">
      <LiveRefresh active={unfinished} />
      <div className="space-y-2">
        <Link href={messagesPath(org)} className="inline-flex items-center gap-1 text-sm text-muted-foreground hover:text-foreground">
          <ArrowLeft aria-hidden className="size-4" /> Message logs
        </Link>
        <div className="flex flex-wrap items-center gap-2">
          <h2 className="font-mono text-lg font-semibold break-all">{message.eventType}</h2>
          {message.test ? (
            <Badge variant="outline" title="Sent from an endpoint's Testing tab, to that endpoint only" data-testid="test-message">
              Test
            </Badge>
          ) : null}
          {scheduled ? (
            <Badge variant="outline" className="border-primary text-primary" data-testid="scheduled-message">
              <CalendarClock aria-hidden /> Scheduled
            </Badge>
          ) : null}
          {message.expungedAt ? (
            <Badge variant="outline" className="text-muted-foreground" data-testid="expunged-message">
              Content expunged
            </Badge>
          ) : null}
          {canExpunge ? (
            <div className="sm:ml-auto">
              <ExpungeMessageButton
                org={org}
                messageId={message.id}
                expunged={message.expungedAt !== null}
                storedResponses={message.storedResponses}
                pendingDeliveries={message.deliveries.filter((d) => d.status === "PENDING").length}
              />
            </div>
          ) : null}
        </div>
        <dl className="grid grid-cols-1 gap-x-6 gap-y-1 text-sm sm:grid-cols-[max-content_1fr]">
          <dt className="text-muted-foreground">Message id</dt>
          <dd className="flex flex-wrap items-center gap-2">
            <code className="font-mono text-xs break-all">{message.id}</code>
            <CopyButton value={message.id} label="Copy id" />
          </dd>
          <dt className="text-muted-foreground">Event id</dt>
          <dd className="font-mono text-xs break-all">{message.eventId ?? "—"}</dd>
          <dt className="text-muted-foreground">Recorded</dt>
          <dd>
            <Time value={message.createdAt} mode="absolute" /> (<Time value={message.createdAt} />)
          </dd>
          {message.deliverAt ? (
            <>
              <dt className="text-muted-foreground">Scheduled for</dt>
              <dd data-testid="deliver-at">
                <Time value={message.deliverAt} mode="absolute" /> (<Time value={message.deliverAt} />)
              </dd>
            </>
          ) : null}
          {message.expungedAt ? (
            <>
              <dt className="text-muted-foreground">Content expunged</dt>
              <dd data-testid="expunged-at">
                <Time value={message.expungedAt} mode="absolute" /> (<Time value={message.expungedAt} />)
              </dd>
            </>
          ) : null}
        </dl>
      </div>

      <section aria-labelledby="deliveries-heading" className="space-y-3">
        <h3 id="deliveries-heading" className="text-base font-semibold">
          Deliveries
        </h3>
        {message.deliveries.length === 0 ? (
          <p className="rounded-md border border-dashed p-4 text-sm text-muted-foreground" data-testid="no-deliveries">
            No endpoint subscribed: no enabled endpoint listened for {message.eventType} when this message was recorded, so it {scheduled ? "will be sent" : "was sent"} nowhere.
          </p>
        ) : (
          // What went wrong is what a reader opens this page for: failed deliveries first, otherwise in creation order.
          [...message.deliveries.filter((d) => d.status === "FAILED"), ...message.deliveries.filter((d) => d.status !== "FAILED")].map((d) => (
            <DeliveryCard
              key={d.id}
              org={org}
              delivery={d}
              messageId={message.id}
              canManage={canManage}
              expunged={message.expungedAt !== null}
              scheduled={scheduled}
              notBefore={message.notBefore}
            />
          ))
        )}
      </section>

      <section aria-labelledby="payload-heading" className="space-y-2">
        <div className="flex flex-wrap items-center justify-between gap-2">
          <h3 id="payload-heading" className="text-base font-semibold">
            Payload
          </h3>
          {message.expungedAt ? null : <CopyButton value={message.payloadDisplay} label="Copy payload" />}
        </div>
        {message.expungedAt ? (
          <Expunged at={message.expungedAt} what="the payload was overwritten and cannot be recovered, resent or replayed." testId="payload-expunged" />
        ) : (
          <Code label="Payload">{message.payloadDisplay}</Code>
        )}
      </section>

      <section aria-labelledby="headers-heading" className="space-y-2">
        <h3 id="headers-heading" className="text-base font-semibold">
          Headers sent
        </h3>
        <p className="text-sm text-muted-foreground">Signatures and custom header values are secrets and are never shown.</p>
        <HeaderList headers={message.deliveries[0]?.headers ?? []} />
        {message.deliveries.some((d) => d.endpoint.customHeaderNames.length > 0) ? (
          <p className="text-xs text-muted-foreground">Each endpoint&apos;s custom headers are listed with its delivery.</p>
        ) : null}
      </section>
    </div>
  );
}

function DeliveryCard({
  org,
  delivery,
  messageId,
  canManage,
  expunged,
  scheduled,
  notBefore,
}: {
  org: string;
  delivery: DeliveryDetail;
  messageId: string;
  canManage: boolean;
  expunged: boolean;
  scheduled: boolean;
  notBefore: Date | null;
}) {
  const [next, ...later] = delivery.remaining;
  const endpoint = delivery.endpoint;
  return (
    <Card data-testid="delivery">
      <CardHeader className="gap-1">
        <CardTitle className="flex min-w-0 flex-wrap items-center gap-2 text-sm">
          <DeliveryStatusBadge status={delivery.status} attemptCount={delivery.attemptCount} scheduled={scheduled} />
          {endpoint.deletedAt ? (
            <span className="min-w-0 truncate font-mono" title={endpoint.url}>
              {endpoint.url} <span className="font-sans text-muted-foreground">(deleted endpoint)</span>
            </span>
          ) : (
            <Link href={endpointPath(org, endpoint.id)} className="min-w-0 truncate font-mono hover:underline" title={endpoint.url}>
              {endpoint.url}
            </Link>
          )}
          {endpoint.disabled && !endpoint.deletedAt ? <Badge variant="outline">endpoint disabled</Badge> : null}
        </CardTitle>
        <CardDescription>
          {endpoint.description ? `${endpoint.description} · ` : ""}
          {delivery.attempts.length === 1 ? "1 attempt" : `${delivery.attempts.length} attempts`}
          {delivery.lastAttemptAt ? (
            <>
              {" "}
              · last <Time value={delivery.lastAttemptAt} />
            </>
          ) : null}
        </CardDescription>
      </CardHeader>
      <CardContent className="space-y-4 text-sm">
        {canManage && !endpoint.deletedAt ? (
          expunged ? (
            <p className="text-muted-foreground">This message&apos;s content was expunged: it cannot be resent.</p>
          ) : endpoint.disabled ? (
            <p className="text-muted-foreground">This endpoint is disabled: enable it first to resend this message.</p>
          ) : (
            <ResendMessageButton org={org} endpointId={endpoint.id} messageId={messageId} status={delivery.status} notBefore={notBefore} />
          )
        ) : null}
        {delivery.failureReason && delivery.status === "FAILED" ? (
          <p className="text-destructive" data-testid="failure-reason">
            Gave up: {delivery.failureReason}
          </p>
        ) : null}
        {next ? (
          <div className="space-y-1" data-testid="schedule">
            <p>
              {scheduled ? "First attempt, as scheduled" : `Next attempt (#${next.attempt})`}: <Time value={next.at} /> ·{" "}
              <Time value={next.at} mode="absolute" className="text-muted-foreground" />
            </p>
            {later.length > 0 ? (
              <details className="text-muted-foreground">
                <summary className="cursor-pointer outline-none focus-visible:ring-2 focus-visible:ring-ring">
                  Then {later.length} more if each fails, the last <Time value={later[later.length - 1]!.at} />
                </summary>
                <ol className="mt-1 space-y-0.5 pl-4">
                  {later.map((p) => (
                    <li key={p.attempt}>
                      #{p.attempt}: <Time value={p.at} mode="absolute" />
                    </li>
                  ))}
                </ol>
              </details>
            ) : (
              <p className="text-muted-foreground">That is the last attempt of the schedule.</p>
            )}
          </div>
        ) : null}
        {endpoint.customHeaderNames.length > 0 ? (
          <p className="text-xs text-muted-foreground">
            Also sent with this endpoint&apos;s custom headers (values hidden): <span className="font-mono">{endpoint.customHeaderNames.join(", ")}</span>
          </p>
        ) : null}
        {delivery.attempts.length === 0 ? (
          <p className="text-muted-foreground">No attempt yet.</p>
        ) : (
          <ol className="space-y-2" aria-label="Attempts">
            {delivery.attempts.map((a, i) => (
              // Numbered in time order across scheduled and manual attempts (a resend's own count restarts at 1).
              // The newest attempt opens by default: it is the one that explains the current state.
              <AttemptRow key={a.id} attempt={a} position={i + 1} open={i === delivery.attempts.length - 1} />
            ))}
          </ol>
        )}
      </CardContent>
    </Card>
  );
}

function AttemptRow({ attempt, position, open }: { attempt: AttemptDetail; position: number; open: boolean }) {
  const headers = Object.entries(attempt.responseHeaders);
  const expungedAt = attempt.responseExpungedAt;
  return (
    <li data-testid="attempt">
      <details open={open} className="group rounded-md border">
        <summary className="flex cursor-pointer list-none flex-wrap items-center gap-x-3 gap-y-1 rounded-md px-3 py-2 outline-none hover:bg-muted/50 focus-visible:ring-2 focus-visible:ring-ring [&::-webkit-details-marker]:hidden">
          <ChevronRight aria-hidden className="size-4 shrink-0 transition-transform group-open:rotate-90" />
          <span className="tabular-nums font-medium">#{position}</span>
          <Badge variant={attempt.diagnosis.tone === "success" ? "success" : "destructive"}>{attempt.diagnosis.label}</Badge>
          <Time value={attempt.startedAt} mode="absolute" className="text-muted-foreground" />
          <span className="text-muted-foreground">{formatDuration(attempt.durationMs)}</span>
          <Badge variant="outline">{TRIGGER[attempt.trigger]}</Badge>
        </summary>
        <div className="space-y-3 border-t px-3 py-3">
          <p className={attempt.diagnosis.tone === "failure" ? "font-medium text-destructive" : "font-medium"} data-testid="diagnosis">
            {attempt.diagnosis.sentence}
          </p>
          <dl className="grid grid-cols-1 gap-x-4 gap-y-1 sm:grid-cols-[max-content_1fr]">
            <dt className="text-muted-foreground">URL used</dt>
            <dd className="font-mono text-xs break-all">{attempt.url}</dd>
            <dt className="text-muted-foreground">Status code</dt>
            <dd className="tabular-nums" data-testid="status-code">
              {attempt.statusCode ?? "no response"}
            </dd>
            <dt className="text-muted-foreground">Duration</dt>
            <dd className="tabular-nums">{attempt.durationMs} ms</dd>
            <dt className="text-muted-foreground">Trigger</dt>
            <dd>{TRIGGER[attempt.trigger]}</dd>
          </dl>
          {expungedAt ? (
            <div className="space-y-1">
              <h4 className="text-xs font-medium tracking-wide text-muted-foreground uppercase">Response</h4>
              <Expunged at={expungedAt} what="the receiver's answer (body and headers) was overwritten." testId="response-expunged" />
            </div>
          ) : attempt.statusCode !== null ? (
            <>
              <CollapsibleHeaders count={headers.length}>
                <HeaderList headers={headers} />
              </CollapsibleHeaders>
              <div className="space-y-1">
                <div className="flex flex-wrap items-center gap-2">
                  <h4 className="text-xs font-medium tracking-wide text-muted-foreground uppercase">Response body</h4>
                  {attempt.responseBodyIsJson ? <Badge variant="outline">JSON</Badge> : null}
                  {attempt.responseBodyTruncated ? <Badge variant="warning">truncated at {RESPONSE_BODY_LIMIT_BYTES / 1024} KB</Badge> : null}
                </div>
                {attempt.responseBodyDisplay ? (
                  <Code label={`Response body of attempt ${position}`}>{attempt.responseBodyDisplay}</Code>
                ) : (
                  <p className="text-muted-foreground">Empty.</p>
                )}
              </div>
            </>
          ) : null}
        </div>
      </details>
    </li>
  );
}
