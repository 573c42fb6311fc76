import { formatPercent, formatWait } from "@/components/overview/format";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import type { OverviewBucket } from "@/lib/overview/wire";

/**
 * The charts' figures as text, for screen readers and for reading exact numbers: one row per
 * bucket in which anything happened or anything waited, newest first.
 */
export function OverviewTable({ buckets, label, per, zoneNote }: { buckets: OverviewBucket[]; label: (start: number) => string; per: string; zoneNote: string }) {
  const rows = buckets.filter((b) => b.succeeded + b.failed > 0 || b.backlog > 0).reverse();
  return (
    <details className="rounded-md border p-3 text-sm" data-testid="overview-table">
      <summary className="cursor-pointer font-medium outline-none focus-visible:ring-2 focus-visible:ring-ring">
        Figures per {per} as a table ({rows.length.toLocaleString()} {rows.length === 1 ? "row" : "rows"})
      </summary>
      {rows.length === 0 ? (
        <p className="pt-3 text-muted-foreground">Nothing was attempted and nothing waited in this range.</p>
      ) : (
        <div className="max-h-96 overflow-auto pt-3">
          <Table>
            <caption className="pb-2 text-left text-xs text-muted-foreground">
              Each {per} from its start ({zoneNote.toLowerCase()}); periods with no attempt and no backlog are left out.
            </caption>
            <TableHeader>
              <TableRow>
                <TableHead scope="col">Time</TableHead>
                <TableHead scope="col" className="text-right">Succeeded</TableHead>
                <TableHead scope="col" className="text-right">Failed</TableHead>
                <TableHead scope="col" className="text-right">Failure rate</TableHead>
                <TableHead scope="col" className="text-right">Backlog</TableHead>
                <TableHead scope="col" className="text-right">p95 wait</TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {rows.map((b) => (
                <TableRow key={b.start} data-testid="overview-row">
                  <TableHead scope="row" className="font-normal whitespace-nowrap">
                    <time dateTime={new Date(b.start).toISOString()}>{label(b.start)}</time>
                  </TableHead>
                  <TableCell className="text-right tabular-nums">{b.succeeded.toLocaleString()}</TableCell>
                  <TableCell className="text-right tabular-nums">{b.failed.toLocaleString()}</TableCell>
                  <TableCell className="text-right tabular-nums">{formatPercent(b.failureRate)}</TableCell>
                  <TableCell className="text-right tabular-nums">{b.backlog.toLocaleString()}</TableCell>
                  <TableCell className="text-right tabular-nums">{formatWait(b.p95FirstAttemptMs)}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </div>
      )}
    </details>
  );
}
