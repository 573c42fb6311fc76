"use client";

import Link from "next/link";
import { useMemo, useState, useTransition } from "react";
import { sendEventAction } from "@/app/(dashboard)/[org]/admin/send-event/actions";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card, CardContent } from "@/components/ui/card";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { Select, SelectContent, SelectGroup, SelectItem, SelectLabel, SelectTrigger, SelectValue } from "@/components/ui/select";
import { Textarea } from "@/components/ui/textarea";
import { testReceiverPath, webhooksPath } from "@/lib/routes";

interface TypeOption {
  name: string;
  group: string;
  deprecated: boolean;
  example: Record<string, unknown>;
}

type Result = { kind: "sent"; id: string; created: boolean; deliveries: number } | { kind: "error"; message: string; fieldErrors: Record<string, string[]> };

export function SendEventForm({ org, webhooksEnabled, types }: { org: string; webhooksEnabled: boolean; types: TypeOption[] }) {
  const [eventType, setEventType] = useState(types[0]?.name ?? "");
  const [payloadJson, setPayloadJson] = useState(() => JSON.stringify(types[0]?.example ?? {}, null, 2));
  const [eventId, setEventId] = useState("");
  const [result, setResult] = useState<Result | null>(null);
  const [pending, startTransition] = useTransition();
  const groups = useMemo(() => {
    const byGroup = new Map<string, TypeOption[]>();
    for (const t of types) byGroup.set(t.group, [...(byGroup.get(t.group) ?? []), t]);
    return [...byGroup.entries()];
  }, [types]);
  const fieldErrors = result?.kind === "error" ? result.fieldErrors : {};

  function chooseType(name: string) {
    setEventType(name);
    const type = types.find((t) => t.name === name);
    if (type) setPayloadJson(JSON.stringify(type.example, null, 2));
  }

  function submit(event: React.FormEvent) {
    event.preventDefault();
    startTransition(async () => {
      const res = await sendEventAction({ org, eventType, payloadJson, eventId });
      setResult(
        res.ok
          ? { kind: "sent", id: res.data.message.id, created: res.data.created, deliveries: res.data.deliveries }
          : { kind: "error", message: res.error, fieldErrors: res.fieldErrors ?? {} },
      );
    });
  }

  return (
    <Card>
      <CardContent>
        <form onSubmit={submit} className="grid gap-5">
          {!webhooksEnabled ? (
            <Alert variant="warning">
              <AlertTitle>Webhooks are disabled for this organization</AlertTitle>
              <AlertDescription>
                Events are refused until they are enabled in <Link className="underline" href={webhooksPath(org)}>Settings → Integrations → Webhooks</Link>.
              </AlertDescription>
            </Alert>
          ) : null}
          <div className="grid gap-2">
            <Label htmlFor="event-type">Event type</Label>
            <Select value={eventType} onValueChange={chooseType}>
              <SelectTrigger id="event-type" className="w-80" aria-invalid={fieldErrors.eventType ? true : undefined}>
                <SelectValue placeholder="Choose an event type" />
              </SelectTrigger>
              <SelectContent>
                {groups.map(([group, items]) => (
                  <SelectGroup key={group}>
                    <SelectLabel>{group}</SelectLabel>
                    {items.map((t) => (
                      <SelectItem key={t.name} value={t.name}>
                        {t.name}
                        {t.deprecated ? " (deprecated)" : ""}
                      </SelectItem>
                    ))}
                  </SelectGroup>
                ))}
              </SelectContent>
            </Select>
            <p className="text-sm text-muted-foreground">The payload below starts as the type&apos;s first catalog example.</p>
          </div>
          <div className="grid gap-2">
            <Label htmlFor="payload">Payload (JSON)</Label>
            <Textarea
              id="payload"
              value={payloadJson}
              onChange={(e) => setPayloadJson(e.target.value)}
              rows={16}
              spellCheck={false}
              className="font-mono text-xs"
              aria-invalid={fieldErrors.payloadJson?.length ? true : undefined}
              aria-describedby={fieldErrors.payloadJson?.length ? "payload-errors" : undefined}
            />
            {fieldErrors.payloadJson?.length ? (
              <ul id="payload-errors" className="list-disc pl-5 text-sm text-destructive">
                {fieldErrors.payloadJson.map((e) => (
                  <li key={e}>{e}</li>
                ))}
              </ul>
            ) : null}
          </div>
          <div className="grid gap-2">
            <Label htmlFor="event-id">Event id (optional)</Label>
            <Input id="event-id" value={eventId} onChange={(e) => setEventId(e.target.value)} className="w-80" placeholder="e.g. evt-2026-0001" />
            <p className="text-sm text-muted-foreground">Sending the same event id again within 24 hours returns the original message.</p>
            {fieldErrors.eventId?.length ? <p className="text-sm text-destructive">{fieldErrors.eventId[0]}</p> : null}
          </div>
          <div>
            <Button type="submit" disabled={pending || !eventType}>
              {pending ? "Sending…" : "Send event"}
            </Button>
          </div>
          <div aria-live="polite">
            {result?.kind === "sent" ? (
              <Alert data-testid="send-event-result">
                <AlertTitle>{result.created ? "Event recorded" : "Already recorded: the original message is returned"}</AlertTitle>
                <AlertDescription>
                  Message <code className="font-mono">{result.id}</code>; {result.deliveries === 1 ? "1 delivery" : `${result.deliveries} deliveries`} scheduled.{" "}
                  <Link className="underline" href={testReceiverPath(org)}>Open the test receiver</Link>
                </AlertDescription>
              </Alert>
            ) : result?.kind === "error" ? (
              <Alert variant="destructive" data-testid="send-event-error">
                <AlertTitle>Not sent</AlertTitle>
                <AlertDescription>{result.message}</AlertDescription>
              </Alert>
            ) : null}
          </div>
        </form>
      </CardContent>
    </Card>
  );
}
