"use client";

import { useQuery } from "@tanstack/react-query";
import { ChevronDown } from "lucide-react";
import { useEffect, useState } from "react";
import { FieldTable } from "@/components/catalog/field-table";
import { Button } from "@/components/ui/button";
import { InlineMarkup } from "@/components/ui/rich-text";
import { Skeleton } from "@/components/ui/skeleton";
import type { OperationDetails as Details, SchemaView } from "@/lib/api/v1/reference";
import { apiReferenceOperationPath } from "@/lib/routes";

function Block({ title, aside, children }: { title: string; aside?: React.ReactNode; children: React.ReactNode }) {
  return (
    <div className="min-w-0 space-y-2">
      <h4 className="flex flex-wrap items-baseline gap-x-2 text-sm font-semibold">
        {title}
        {aside}
      </h4>
      {children}
    </div>
  );
}

function SchemaFields({ schema }: { schema: SchemaView }) {
  if (schema.fields.length) return <FieldTable rows={schema.fields} />;
  return (
    <p className="text-sm text-muted-foreground">
      A JSON <span className="font-mono">{schema.type}</span>.
    </p>
  );
}

const SchemaName = ({ schema }: { schema: SchemaView }) =>
  schema.name ? <span className="font-mono text-xs font-normal break-all text-muted-foreground">{schema.name}</span> : null;

const LOCATION_TITLE = { path: "Path parameters", query: "Query parameters", header: "Headers" } as const;

function DetailTables({ details }: { details: Details }) {
  return (
    <>
      {details.parameters.map((group) => (
        <Block key={group.location} title={LOCATION_TITLE[group.location]}>
          <FieldTable rows={group.fields} />
        </Block>
      ))}
      {details.body ? (
        <Block title="Request body" aside={<SchemaName schema={details.body} />}>
          <SchemaFields schema={details.body} />
        </Block>
      ) : null}
      <Block title={`Response ${details.success.status}`} aside={details.success.body ? <SchemaName schema={details.success.body} /> : null}>
        {details.success.description ? <p className="text-sm text-muted-foreground">{details.success.description}</p> : null}
        {details.success.body ? <SchemaFields schema={details.success.body} /> : <p className="text-sm text-muted-foreground">No body.</p>}
      </Block>
      {details.errors.length ? (
        <Block title="Errors">
          <ul className="grid gap-1 text-sm sm:grid-cols-2">
            {details.errors.map((error) => (
              <li key={error.status} className="flex items-baseline gap-2">
                <span className="font-mono text-xs font-semibold">{error.status}</span>
                <span className="min-w-0 text-muted-foreground">
                  <InlineMarkup text={error.description} />
                </span>
              </li>
            ))}
          </ul>
        </Block>
      ) : null}
    </>
  );
}

/**
 * An operation's tables, folded until opened and only then fetched: the page carries every
 * operation's header but no tables. A link to the operation (`#anchor`) opens it.
 */
export function OperationDetails({ org, anchor, label }: { org: string; anchor: string; label: string }) {
  const [open, setOpen] = useState(false);
  useEffect(() => {
    const openIfTarget = () => {
      if (decodeURIComponent(window.location.hash.slice(1)) === anchor) setOpen(true);
    };
    openIfTarget();
    window.addEventListener("hashchange", openIfTarget);
    return () => window.removeEventListener("hashchange", openIfTarget);
  }, [anchor]);
  const details = useQuery({
    queryKey: ["api-reference-operation", org, anchor],
    queryFn: async (): Promise<Details> => {
      const response = await fetch(apiReferenceOperationPath(org, anchor));
      if (!response.ok) throw new Error(`the server answered ${response.status}`);
      return (await response.json()) as Details;
    },
    enabled: open,
    // The document only changes with a new release of the server.
    staleTime: Infinity,
  });
  return (
    <details className="group rounded-lg border" open={open} onToggle={(event) => setOpen(event.currentTarget.open)}>
      <summary className="flex cursor-pointer list-none items-center justify-between gap-2 rounded-lg px-3 py-2 text-sm font-medium outline-none hover:bg-accent focus-visible:ring-2 focus-visible:ring-ring [&::-webkit-details-marker]:hidden">
        {label}
        <ChevronDown className="size-4 shrink-0 transition-transform group-open:rotate-180" aria-hidden />
      </summary>
      {open ? (
        <div className="space-y-5 border-t p-3 sm:p-4" aria-busy={details.isFetching}>
          {details.isPending ? (
            <div role="status" className="space-y-2" aria-busy="true" aria-label="Loading the tables">
              <Skeleton className="h-4 w-40" />
              <Skeleton className="h-24 w-full" />
            </div>
          ) : details.isError ? (
            <div className="flex flex-wrap items-center gap-3 text-sm">
              <p className="text-destructive">The tables could not be loaded: {details.error.message}.</p>
              <Button size="sm" variant="outline" onClick={() => void details.refetch()}>
                Try again
              </Button>
            </div>
          ) : (
            <DetailTables details={details.data} />
          )}
        </div>
      ) : null}
    </details>
  );
}
