"use client";

import { useQuery } from "@tanstack/react-query";
import { CheckCircle2, Loader2, XCircle } from "lucide-react";
import Link from "next/link";
import { useEffect, useMemo, useRef, useState, useTransition } from "react";
import { checkTestPayloadAction, sendTestAction, testDeliveryStateAction } from "@/actions/endpoint-testing";
import { DeliveryStatusBadge } from "@/components/endpoints/delivery-status-badge";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { Label } from "@/components/ui/label";
import { Select, SelectContent, SelectGroup, SelectItem, SelectLabel, SelectTrigger, SelectValue } from "@/components/ui/select";
import { Textarea } from "@/components/ui/textarea";
import { Time } from "@/components/ui/time";
import { messagePath } from "@/lib/routes";
import { formatDuration } from "@/lib/time";

export interface TestTypeOption {
  name: string;
  subscribed: boolean;
  deprecated: boolean;
  example: Record<string, unknown>;
}

/** How long typing pauses before the payload is checked on the server. */
const CHECK_DELAY_MS = 400;

type Check = { state: "idle" | "checking" | "valid" } | { state: "invalid"; errors: string[] };

function localSyntaxError(text: string): string | null {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === "object" && value !== null && !Array.isArray(value) ? null : "The payload must be a JSON object ({ ... })";
  } catch (error) {
    return `The payload is not valid JSON: ${error instanceof Error ? error.message : String(error)}`;
  }
}

/**
 * The Testing tab. Schema checks run on the server (debounced): Ajv compiles schemas with
 * `new Function`, which the dashboard's CSP forbids in the browser.
 */
export function EndpointTester({
  org,
  endpointId,
  types,
  canManage,
  blocked,
}: {
  org: string;
  endpointId: string;
  types: TestTypeOption[];
  canManage: boolean;
  /** Why nothing can be sent right now (endpoint disabled, webhooks off), or null. */
  blocked: string | null;
}) {
  const [eventType, setEventType] = useState(types[0]?.name ?? "");
  const [payloadJson, setPayloadJson] = useState(() => JSON.stringify(types[0]?.example ?? {}, null, 2));
  const [check, setCheck] = useState<Check>({ state: "idle" });
  const [sent, setSent] = useState<{ messageId: string; deliveryId: string } | null>(null);
  const [sendError, setSendError] = useState<string | null>(null);
  const [sending, startSending] = useTransition();
  const checkSeq = useRef(0);
  const syntaxError = useMemo(() => localSyntaxError(payloadJson), [payloadJson]);
  const subscribed = types.filter((t) => t.subscribed);
  const others = types.filter((t) => !t.subscribed);

  useEffect(() => {
    const seq = ++checkSeq.current;
    if (syntaxError || !eventType) return;
    const timer = setTimeout(async () => {
      setCheck({ state: "checking" });
      const result = await checkTestPayloadAction({ org, endpointId, eventType, payloadJson });
      if (seq !== checkSeq.current) return;
      setCheck(result.ok ? { state: "valid" } : { state: "invalid", errors: result.fieldErrors?.payloadJson ?? [result.error] });
    }, CHECK_DELAY_MS);
    return () => clearTimeout(timer);
  }, [org, endpointId, eventType, payloadJson, syntaxError]);

  function chooseType(name: string) {
    setEventType(name);
    const type = types.find((t) => t.name === name);
    if (type) setPayloadJson(JSON.stringify(type.example, null, 2));
  }

  function send() {
    setSendError(null);
    startSending(async () => {
      const result = await sendTestAction({ org, endpointId, eventType, payloadJson });
      if (result.ok) setSent(result.data);
      else setSendError(result.fieldErrors?.payloadJson?.join("; ") ?? result.error);
    });
  }

  const errors = syntaxError ? [syntaxError] : check.state === "invalid" ? check.errors : [];
  const canSend = canManage && !blocked && !syntaxError && check.state === "valid" && !sending;

  return (
    <div className="grid gap-4 lg:grid-cols-2">
      <Card>
        <CardHeader>
          <CardTitle>Send an example</CardTitle>
          <p className="text-sm text-muted-foreground">
            A real, signed message to this endpoint only (never to your other endpoints), delivered and retried like any other. It is in the message logs; its attempts are recorded with the trigger &ldquo;test&rdquo;.
          </p>
        </CardHeader>
        <CardContent className="grid gap-4">
          {!canManage ? (
            <Alert>
              <AlertTitle>Read only</AlertTitle>
              <AlertDescription>Your role is Viewer: you can look at the example payloads and check them, but only owners and admins can send test messages.</AlertDescription>
            </Alert>
          ) : blocked ? (
            <Alert variant="warning">
              <AlertTitle>Sending is off</AlertTitle>
              <AlertDescription>{blocked}</AlertDescription>
            </Alert>
          ) : null}
          <div className="grid gap-2">
            <Label htmlFor="test-event-type">Event type</Label>
            <Select value={eventType} onValueChange={chooseType}>
              <SelectTrigger id="test-event-type" className="w-full max-w-sm" data-testid="test-event-type">
                <SelectValue placeholder="Choose an event type" />
              </SelectTrigger>
              <SelectContent>
                {[
                  { label: "Subscribed by this endpoint", items: subscribed },
                  { label: "Other event types", items: others },
                ]
                  .filter((g) => g.items.length > 0)
                  .map((g) => (
                    <SelectGroup key={g.label}>
                      <SelectLabel>{g.label}</SelectLabel>
                      {g.items.map((t) => (
                        <SelectItem key={t.name} value={t.name}>
                          {t.name}
                          {t.deprecated ? " (deprecated)" : ""}
                        </SelectItem>
                      ))}
                    </SelectGroup>
                  ))}
              </SelectContent>
            </Select>
            {eventType && !types.find((t) => t.name === eventType)?.subscribed ? (
              <p className="text-sm text-muted-foreground">This endpoint does not subscribe to this type: only a test sends it here.</p>
            ) : null}
          </div>
          <div className="grid gap-2">
            <Label htmlFor="test-payload">Payload (JSON)</Label>
            <Textarea
              id="test-payload"
              value={payloadJson}
              onChange={(e) => setPayloadJson(e.target.value)}
              rows={14}
              spellCheck={false}
              className="font-mono text-xs"
              aria-invalid={errors.length ? true : undefined}
              aria-describedby="test-payload-check"
            />
            <div id="test-payload-check" aria-live="polite" className="text-sm" data-testid="test-payload-check">
              {errors.length ? (
                <ul className="list-disc pl-5 text-destructive">
                  {errors.map((e) => (
                    <li key={e}>{e}</li>
                  ))}
                </ul>
              ) : check.state === "valid" ? (
                <p className="flex items-center gap-1 text-muted-foreground">
                  <CheckCircle2 className="size-4 text-success" aria-hidden /> Matches the schema of {eventType}
                </p>
              ) : (
                <p className="text-muted-foreground">Checking against the schema…</p>
              )}
            </div>
          </div>
          {canManage ? (
            <div className="flex flex-wrap items-center gap-3">
              <Button type="button" onClick={send} disabled={!canSend}>
                {sending ? <Loader2 className="animate-spin" aria-hidden /> : null}
                {sending ? "Sending…" : "Send example"}
              </Button>
              {sendError ? (
                <p className="text-sm text-destructive" role="alert">
                  {sendError}
                </p>
              ) : null}
            </div>
          ) : null}
        </CardContent>
      </Card>
      <Card>
        <CardHeader>
          <CardTitle>Outcome</CardTitle>
        </CardHeader>
        <CardContent>
          {sent ? (
            <TestOutcome key={sent.deliveryId} org={org} endpointId={endpointId} {...sent} />
          ) : (
            <p className="text-sm text-muted-foreground">Send an example to see what this endpoint answers: status code, time taken and response body, within seconds.</p>
          )}
        </CardContent>
      </Card>
    </div>
  );
}

/** Polls the test delivery while its first attempt is under way, then slowly while it waits for a retry. */
function TestOutcome({ org, endpointId, messageId, deliveryId }: { org: string; endpointId: string; messageId: string; deliveryId: string }) {
  const query = useQuery({
    queryKey: ["test-delivery", org, endpointId, deliveryId],
    queryFn: async () => {
      const result = await testDeliveryStateAction({ org, endpointId, deliveryId });
      if (!result.ok) throw new Error(result.error);
      return result.data;
    },
    staleTime: 0,
    refetchInterval: (q) => {
      const d = q.state.data;
      if (!d || !d.attempt || d.status === "SENDING") return 1_000;
      return d.status === "PENDING" ? 15_000 : false;
    },
  });
  const data = query.data;
  const attempt = data?.attempt ?? null;
  return (
    <div className="grid gap-3" data-testid="test-outcome" aria-live="polite">
      {query.error ? <p className="text-sm text-destructive">{query.error.message}</p> : null}
      {!attempt ? (
        <p className="flex items-center gap-2 text-sm text-muted-foreground">
          <Loader2 className="size-4 animate-spin" aria-hidden /> Sending to the endpoint…
        </p>
      ) : (
        <>
          <div className="flex flex-wrap items-center gap-2">
            {attempt.succeeded ? <CheckCircle2 className="size-5 text-success" aria-hidden /> : <XCircle className="size-5 text-destructive" aria-hidden />}
            <span className="font-medium" data-testid="test-outcome-sentence">
              {attempt.diagnosis.sentence}
            </span>
          </div>
          <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm">
            <dt className="text-muted-foreground">Status</dt>
            <dd>
              <Badge variant={attempt.succeeded ? "success" : "destructive"}>{attempt.diagnosis.label}</Badge>
            </dd>
            <dt className="text-muted-foreground">Duration</dt>
            <dd className="tabular-nums">{formatDuration(attempt.durationMs)}</dd>
            <dt className="text-muted-foreground">Sent</dt>
            <dd>
              <Time value={attempt.startedAt} mode="absolute" />
            </dd>
            <dt className="text-muted-foreground">Delivery</dt>
            <dd className="flex flex-wrap items-center gap-2">
              {data ? <DeliveryStatusBadge status={data.status} attemptCount={1} /> : null}
              {data?.status === "PENDING" && data.nextAttemptAt ? (
                <span className="text-muted-foreground">
                  next attempt <Time value={data.nextAttemptAt} />
                </span>
              ) : null}
            </dd>
          </dl>
          <div className="grid gap-1">
            <p className="text-sm text-muted-foreground">Response body{attempt.responseBody.truncated ? " (truncated at 64 KB)" : ""}</p>
            <pre className="max-h-64 overflow-auto rounded-md bg-muted p-3 font-mono text-xs whitespace-pre-wrap break-all" data-testid="test-response-body">
              {attempt.responseBody.text || "(empty)"}
            </pre>
          </div>
        </>
      )}
      <Link className="text-sm underline" href={messagePath(org, messageId)}>
        Open message {messageId}
      </Link>
    </div>
  );
}
