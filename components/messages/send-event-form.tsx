"use client";

import Link from "next/link";
import { useMemo, useState, useTransition } from "react";
import { sendEventAction } from "@/actions/send-event";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card, CardContent } from "@/components/ui/card";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { Select, SelectContent, SelectGroup, SelectItem, SelectLabel, SelectTrigger, SelectValue } from "@/components/ui/select";
import { Textarea } from "@/components/ui/textarea";
import { CopyButton } from "@/components/ui/copy-button";
import type { OrganizationChoice } from "@/lib/organizations/organizations";
import { messagePath, sendEventPath, testReceiverPath, webhooksPath } from "@/lib/routes";

interface TypeOption {
  name: string;
  group: string;
  deprecated: boolean;
  example: Record<string, unknown>;
}

type Result =
  | { kind: "sent"; id: string; created: boolean; deliveries: number; organization: OrganizationChoice }
  | { kind: "error"; message: string; fieldErrors: Record<string, string[]> };

export function SendEventForm({ organizations, initialOrg, types }: { organizations: OrganizationChoice[]; initialOrg: string | null; types: TypeOption[] }) {
  const [org, setOrg] = useState(initialOrg ?? "");
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
  const organization = organizations.find((o) => o.slug === org);

  function chooseOrg(slug: string) {
    setOrg(slug);
    setResult(null);
    // The address names the organization, so the page can be shared or reloaded with it chosen.
    window.history.replaceState(null, "", sendEventPath(slug));
  }

  function chooseType(name: string) {
    setEventType(name);
    const type = types.find((t) => t.name === name);
    if (type) setPayloadJson(JSON.stringify(type.example, null, 2));
  }

  function submit(event: React.FormEvent) {
    event.preventDefault();
    if (!organization) return;
    startTransition(async () => {
      const res = await sendEventAction({ org, eventType, payloadJson, eventId });
      setResult(
        res.ok
          ? { kind: "sent", id: res.data.message.id, created: res.data.created, deliveries: res.data.deliveries, organization }
          : { kind: "error", message: res.error, fieldErrors: res.fieldErrors ?? {} },
      );
    });
  }

  return (
    <Card>
      <CardContent>
        <form onSubmit={submit} className="grid gap-5">
          <div className="grid gap-2">
            <Label htmlFor="organization">Organization</Label>
            <Select value={org} onValueChange={chooseOrg}>
              <SelectTrigger id="organization" className="w-80 max-w-full" aria-invalid={fieldErrors.org ? true : undefined}>
                <SelectValue placeholder="Choose an organization" />
              </SelectTrigger>
              <SelectContent>
                {organizations.map((o) => (
                  <SelectItem key={o.slug} value={o.slug}>
                    {o.name} ({o.slug})
                  </SelectItem>
                ))}
              </SelectContent>
            </Select>
            {fieldErrors.org?.length ? <p className="text-sm text-destructive">{fieldErrors.org[0]}</p> : null}
          </div>
          {organization && !organization.webhooksEnabled ? (
            <Alert variant="warning">
              <AlertTitle>Webhooks are disabled for {organization.name}</AlertTitle>
              <AlertDescription>
                <p>
                  Events are refused until they are enabled in{" "}
                  {organization.member ? (
                    <Link className="underline" href={webhooksPath(organization.slug)}>
                      Settings → Integrations → Webhooks
                    </Link>
                  ) : (
                    "Settings → Integrations → Webhooks"
                  )}
                  .
                </p>
              </AlertDescription>
            </Alert>
          ) : null}
          <div className="grid gap-2">
            <Label htmlFor="event-type">Event type</Label>
            <Select value={eventType} onValueChange={chooseType}>
              <SelectTrigger id="event-type" className="w-80 max-w-full" aria-invalid={fieldErrors.eventType ? true : undefined}>
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
            <Input id="event-id" value={eventId} onChange={(e) => setEventId(e.target.value)} className="w-80 max-w-full" placeholder="e.g. evt-2026-0001" />
            <p className="text-sm text-muted-foreground">An event id is used once per organization in 24 hours: sent again, nothing is recorded and the original message is shown (the API answers 409).</p>
            {fieldErrors.eventId?.length ? <p className="text-sm text-destructive">{fieldErrors.eventId[0]}</p> : null}
          </div>
          <div>
            <Button type="submit" disabled={pending || !eventType || !organization}>
              {pending ? "Sending…" : "Send event"}
            </Button>
          </div>
          <div aria-live="polite">
            {result?.kind === "sent" ? (
              <Alert variant={result.created ? "default" : "warning"} data-testid="send-event-result">
                <AlertTitle>{result.created ? "Event recorded" : "Already recorded: nothing sent again"}</AlertTitle>
                <AlertDescription className="gap-2">
                  <p>
                    {!result.created
                      ? `This event id was used for ${result.organization.name} in the last 24 hours, by the message below.`
                      : result.deliveries === 0
                        ? `No delivery scheduled for ${result.organization.name}: no enabled endpoint subscribes to this event type.`
                        : `${result.deliveries === 1 ? "1 delivery" : `${result.deliveries} deliveries`} scheduled for ${result.organization.name}.`}
                  </p>
                  <div className="flex flex-wrap items-center gap-2">
                    <span>Message id</span>
                    <code className="rounded bg-muted px-1.5 py-0.5 font-mono text-foreground break-all">{result.id}</code>
                    <CopyButton value={result.id} label="Copy id" />
                  </div>
                  {result.organization.member ? (
                    <div className="flex flex-wrap gap-x-4 gap-y-1">
                      <Link className="underline" href={messagePath(result.organization.slug, result.id)}>
                        Open the message
                      </Link>
                      <Link className="underline" href={testReceiverPath(result.organization.slug)}>
                        Open the test receiver
                      </Link>
                    </div>
                  ) : null}
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
