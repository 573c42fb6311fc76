import { Badge } from "@/components/ui/badge";
import { InlineCodeText } from "@/components/ui/inline-code-text";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import type { FieldRow } from "@/lib/catalog/schema-fields";

/** The payload's fields, nested levels indented under their parent. */
export function FieldTable({ rows }: { rows: FieldRow[] }) {
  if (!rows.length) return <p className="text-sm text-muted-foreground">The schema declares no fields.</p>;
  return (
    <Table>
      <TableHeader>
        <TableRow>
          <TableHead>Field</TableHead>
          <TableHead>Type</TableHead>
          <TableHead>Required</TableHead>
          <TableHead>Description</TableHead>
        </TableRow>
      </TableHeader>
      <TableBody>
        {rows.map((row) => (
          <TableRow key={row.path} data-testid={`field-${row.path}`}>
            <TableCell className="align-top">
              <span className="font-mono text-sm" style={{ paddingLeft: `${row.depth * 1.25}rem` }} title={row.path}>
                {row.depth > 0 ? <span className="text-muted-foreground" aria-hidden>└ </span> : null}
                {row.name}
              </span>
            </TableCell>
            <TableCell className="align-top font-mono text-xs">
              {row.type}
              {row.format ? <span className="text-muted-foreground"> ({row.format})</span> : null}
            </TableCell>
            <TableCell className="align-top">{row.required ? <Badge variant="outline">required</Badge> : <span className="text-sm text-muted-foreground">optional</span>}</TableCell>
            <TableCell className="align-top text-sm whitespace-normal">
              {row.description ? <InlineCodeText text={row.description} /> : null}
              {row.enumValues.length ? (
                <div className="mt-1 flex flex-wrap gap-1">
                  <span className="text-xs text-muted-foreground">One of:</span>
                  {row.enumValues.map((v) => (
                    <code key={v} className="rounded bg-muted px-1 text-xs">
                      {v}
                    </code>
                  ))}
                </div>
              ) : null}
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
