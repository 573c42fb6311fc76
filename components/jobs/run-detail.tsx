import Link from "next/link";
import { RunStatusBadge } from "@/components/jobs/run-status-badge";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Time } from "@/components/ui/time";
import type { RunDetail as Run } from "@/inngest/executor/jobs";
import { messagePath } from "@/lib/routes";

/** JSON for display, cut to keep the page light. */
function formatJson(value: unknown, max = 2_000): string {
  if (value === null || value === undefined) return "null";
  const text = JSON.stringify(value, null, 2);
  return text.length > max ? `${text.slice(0, max)}\n… (${text.length - max} more characters)` : text;
}

function Json({ value }: { value: unknown }) {
  return <pre className="max-h-64 overflow-auto rounded-md bg-muted p-3 text-xs">{formatJson(value)}</pre>;
}

/** `message`: the message a delivery run is about, linked to its detail page. */
export function RunDetail({ run, message = null }: { run: Run; message?: { org: string; messageId: string } | null }) {
  return (
    <Card>
      <CardHeader>
        <CardTitle className="flex items-center gap-2">
          {run.functionId} <RunStatusBadge status={run.status} />
        </CardTitle>
        <CardDescription className="font-mono text-xs">run {run.id}</CardDescription>
      </CardHeader>
      <CardContent className="space-y-6 text-sm">
        <dl className="grid grid-cols-[max-content_1fr] gap-x-6 gap-y-1">
          <dt className="text-muted-foreground">Event</dt>
          <dd className="font-mono text-xs">
            {run.event.name} · {run.event.id}
          </dd>
          {message ? (
            <>
              <dt className="text-muted-foreground">Message</dt>
              <dd>
                <Link href={messagePath(message.org, message.messageId)} className="font-mono text-xs underline">
                  {message.messageId}
                </Link>{" "}
                <span className="text-xs text-muted-foreground">({message.org})</span>
              </dd>
            </>
          ) : null}
          <dt className="text-muted-foreground">Attempt</dt>
          <dd>
            {run.attempt + 1} of {run.maxAttempts}
          </dd>
          <dt className="text-muted-foreground">Next wake-up</dt>
          <dd><Time value={run.wakeAt} mode="absolute" /></dd>
          <dt className="text-muted-foreground">Created · ended</dt>
          <dd>
            <Time value={run.createdAt} mode="absolute" /> · <Time value={run.endedAt} mode="absolute" />
          </dd>
          <dt className="text-muted-foreground">Worker</dt>
          <dd className="font-mono text-xs">{run.leasedBy ?? "—"}</dd>
          {run.cancelledBy ? (
            <>
              <dt className="text-muted-foreground">Cancelled by event</dt>
              <dd className="font-mono text-xs">{run.cancelledBy}</dd>
            </>
          ) : null}
        </dl>
        <section className="space-y-2">
          <h2 className="font-medium">Steps in completion order</h2>
          {run.steps.length === 0 ? <p className="text-muted-foreground">No step completed yet.</p> : null}
          <ol className="space-y-3">
            {run.steps.map((step) => (
              <li key={step.seq} className="space-y-1 rounded-md border p-3">
                <p className="flex flex-wrap items-center gap-2">
                  <span className="tabular-nums text-muted-foreground">#{step.seq}</span>
                  <span className="font-medium">{step.name ?? "(unnamed)"}</span>
                  <span className="font-mono text-xs text-muted-foreground">{step.op}</span>
                  <span className="text-xs text-muted-foreground">
                    attempt {step.attempt + 1} · <Time value={step.completedAt} mode="absolute" />
                  </span>
                </p>
                <Json value={step.op === "StepFailed" ? step.error : step.data} />
              </li>
            ))}
          </ol>
        </section>
        {Array.isArray(run.pending) && run.pending.length > 0 ? (
          <section className="space-y-2">
            <h2 className="font-medium">Pending</h2>
            <Json value={run.pending} />
          </section>
        ) : null}
        {run.error ? (
          <section className="space-y-2">
            <h2 className="font-medium">{run.status === "FAILED" ? "Error" : "Last attempt's error"}</h2>
            <Json value={run.error} />
          </section>
        ) : null}
        {run.status === "COMPLETED" ? (
          <section className="space-y-2">
            <h2 className="font-medium">Output</h2>
            <Json value={run.output} />
          </section>
        ) : null}
        <section className="space-y-2">
          <h2 className="font-medium">Event data</h2>
          <Json value={run.event.data} />
        </section>
      </CardContent>
    </Card>
  );
}
