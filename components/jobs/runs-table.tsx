import Link from "next/link";
import { RunStatusBadge } from "@/components/jobs/run-status-badge";
import { formatTime } from "@/components/jobs/format";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import type { RunSummary } from "@/inngest/executor/jobs";

export function RunsTable({ runs, runHref }: { runs: RunSummary[]; runHref: (runId: string) => string }) {
  if (runs.length === 0) {
    return <p className="rounded-md border p-6 text-center text-sm text-muted-foreground">No runs yet.</p>;
  }
  return (
    <Table>
      <TableHeader>
        <TableRow>
          <TableHead>Status</TableHead>
          <TableHead>Function</TableHead>
          <TableHead>Event</TableHead>
          <TableHead className="text-right">Steps</TableHead>
          <TableHead className="text-right">Attempt</TableHead>
          <TableHead>Next wake-up</TableHead>
          <TableHead>Started</TableHead>
        </TableRow>
      </TableHeader>
      <TableBody>
        {runs.map((run) => (
          <TableRow key={run.id}>
            <TableCell>
              <RunStatusBadge status={run.status} />
            </TableCell>
            <TableCell>
              <Link href={runHref(run.id)} className="font-medium underline-offset-4 hover:underline">
                {run.functionId}
              </Link>
            </TableCell>
            <TableCell className="font-mono text-xs">{run.event.name}</TableCell>
            <TableCell className="text-right tabular-nums">{run.stepCount}</TableCell>
            <TableCell className="text-right tabular-nums">
              {run.attempt + 1} / {run.maxAttempts}
            </TableCell>
            <TableCell className="text-xs">{formatTime(run.wakeAt)}</TableCell>
            <TableCell className="text-xs">{formatTime(run.createdAt)}</TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
