import { Badge } from "@/components/ui/badge";
import { InlineCodeText } from "@/components/ui/inline-code-text";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import type { FieldRow } from "@/lib/catalog/schema-fields";

function FieldType({ row }: { row: FieldRow }) {
  return (
    <span className="font-mono text-xs">
      {row.type}
      {row.format ? <span className="text-muted-foreground"> ({row.format})</span> : null}
    </span>
  );
}

function Required({ row }: { row: FieldRow }) {
  return row.required ? <Badge variant="outline">required</Badge> : <span className="text-sm text-muted-foreground">optional</span>;
}

/** Short values set in code, after an optional label: a field's limits, its allowed values. */
function CodeList({ label, values }: { label?: string; values: string[] }) {
  if (!values.length) return null;
  return (
    <div className="mt-1 flex flex-wrap gap-1">
      {label ? <span className="text-xs text-muted-foreground">{label}</span> : null}
      {values.map((v) => (
        <code key={v} className="rounded bg-muted px-1 text-xs break-all">
          {v}
        </code>
      ))}
    </div>
  );
}

function Description({ row }: { row: FieldRow }) {
  return (
    <>
      {row.description ? <InlineCodeText text={row.description} /> : null}
      <CodeList values={row.constraints} />
      <CodeList label="One of:" values={row.enumValues} />
    </>
  );
}

/**
 * The payload's fields, nested levels indented under their parent. Below md the type, the
 * required flag and the description sit under the name instead of in columns of their own.
 */
export function FieldTable({ rows }: { rows: FieldRow[] }) {
  if (!rows.length) return <p className="text-sm text-muted-foreground">The schema declares no fields.</p>;
  return (
    <Table>
      <TableHeader>
        <TableRow>
          <TableHead>Field</TableHead>
          <TableHead className="hidden md:table-cell">Type</TableHead>
          <TableHead className="hidden md:table-cell">Required</TableHead>
          <TableHead className="hidden md:table-cell">Description</TableHead>
        </TableRow>
      </TableHeader>
      <TableBody>
        {rows.map((row) => (
          <TableRow key={row.path} data-testid={`field-${row.path}`}>
            <TableCell className="align-top whitespace-normal md:whitespace-nowrap">
              <div style={{ paddingLeft: `${row.depth * 1.25}rem` }}>
                <span className="font-mono text-sm break-all" title={row.path}>
                  {row.depth > 0 ? <span className="text-muted-foreground" aria-hidden>└ </span> : null}
                  {row.name}
                </span>
                <div className="mt-1 space-y-1 text-sm md:hidden">
                  <div className="flex flex-wrap items-center gap-2">
                    <FieldType row={row} />
                    <Required row={row} />
                  </div>
                  <Description row={row} />
                </div>
              </div>
            </TableCell>
            <TableCell className="hidden align-top md:table-cell">
              <FieldType row={row} />
            </TableCell>
            <TableCell className="hidden align-top md:table-cell">
              <Required row={row} />
            </TableCell>
            <TableCell className="hidden align-top text-sm whitespace-normal md:table-cell">
              <Description row={row} />
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
