import Link from "next/link";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Time } from "@/components/ui/time";
import type { ExecutorRow, StallRow } from "@/inngest/executor/watchdog-jobs";
import type { StallKind } from "@/lib/observability/watchdog-kinds";
import { jobsPath, messagePath } from "@/lib/routes";

const KIND_LABEL: Record<StallKind, string> = { run: "run", delivery: "delivery", executor: "executor" };

/** The stalled thing, linked where it has a page: a run to its detail here, a delivery to its message. */
function Subject({ stall }: { stall: StallRow }) {
  const text = <span className="font-mono text-xs break-all">{stall.subject}</span>;
  const href = stall.kind === "run" ? `${jobsPath()}?run=${encodeURIComponent(stall.subject)}` : stall.message ? messagePath(stall.message.org, stall.message.messageId) : null;
  if (!href) return text;
  return (
    <Link href={href} scroll={stall.kind !== "run"} className="underline underline-offset-4">
      {text}
    </Link>
  );
}

/**
 * What the watchdog sees (inngest/executor/watchdog.ts): each executor process and its last
 * heartbeat, and the work it found stalled, newest first.
 */
export function WatchdogPanel({ executors, stalls, embedded }: { executors: ExecutorRow[]; stalls: StallRow[]; embedded: boolean }) {
  const stalled = executors.filter((e) => e.stalledAt !== null);
  return (
    <Card>
      <CardHeader>
        <CardTitle>Watchdog</CardTitle>
        <CardDescription>
          Work that stopped moving: an executor without a heartbeat, a run whose lease ran out with no executor taking it over, a delivery due for too long.
          An executor&apos;s runs are taken over by the others once their leases expire.
        </CardDescription>
      </CardHeader>
      <CardContent className="space-y-6 text-sm">
        {stalled.length > 0 ? (
          <Alert variant="warning">
            <AlertTitle>{stalled.length === 1 ? "An executor stopped claiming work" : `${stalled.length} executors stopped claiming work`}</AlertTitle>
            <AlertDescription>
              No heartbeat for longer than WATCHDOG_EXECUTOR_STALL_MS: the process is frozen, hung, or was killed without stopping. Its runs go to the other
              executors; check the process, and restart it if it is hung.
            </AlertDescription>
          </Alert>
        ) : null}
        {embedded ? (
          <section aria-labelledby="watchdog-executors" className="space-y-2">
            <h2 id="watchdog-executors" className="font-medium">
              Executors
            </h2>
            <p className="text-xs text-muted-foreground">Each named host:process id:suffix, as in the logs and in a run&apos;s Worker.</p>
            {executors.length === 0 ? <p className="text-muted-foreground">No executor is running.</p> : null}
            <ul className="divide-y rounded-md border">
              {executors.map((e) => (
                <li key={e.id} className="flex flex-wrap items-center gap-x-3 gap-y-1 px-3 py-2">
                  <Badge variant={e.stalledAt ? "warning" : "success"}>{e.stalledAt ? "stalled" : "claiming"}</Badge>
                  <span className="min-w-0 font-mono text-xs break-all">{e.id}</span>
                  <span className="text-xs text-muted-foreground">
                    last heartbeat <Time value={e.heartbeatAt} /> · started <Time value={e.startedAt} />
                  </span>
                </li>
              ))}
            </ul>
          </section>
        ) : null}
        <section aria-labelledby="watchdog-stalls" className="space-y-2">
          <h2 id="watchdog-stalls" className="font-medium">
            Recent stalls
          </h2>
          {stalls.length === 0 ? <p className="text-muted-foreground">None recorded: everything moved on time.</p> : null}
          <ol className="divide-y rounded-md border">
            {stalls.map((s) => (
              <li key={s.id} className="space-y-1 px-3 py-2">
                <p className="flex flex-wrap items-center gap-x-3 gap-y-1">
                  <Badge variant={s.kind === "delivery" ? "secondary" : "warning"}>{KIND_LABEL[s.kind]}</Badge>
                  <Subject stall={s} />
                  <span className="text-xs text-muted-foreground">
                    stalled since <Time value={s.since} mode="absolute" />, found <Time value={s.detectedAt} />
                  </span>
                </p>
                <p className="text-xs break-words text-muted-foreground">{s.detail}</p>
              </li>
            ))}
          </ol>
        </section>
      </CardContent>
    </Card>
  );
}
