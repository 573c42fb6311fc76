import { Link2 } from "lucide-react";
import { FieldTable } from "@/components/catalog/field-table";
import { Badge, type BadgeProps } from "@/components/ui/badge";
import { InlineMarkup, RichText } from "@/components/ui/rich-text";
import type { Access, Method, OperationView, SchemaView } from "@/lib/api/v1/reference";

const METHOD_VARIANT: Record<Method, BadgeProps["variant"]> = {
  GET: "success",
  POST: "default",
  PUT: "warning",
  PATCH: "warning",
  DELETE: "destructive",
};

export function MethodBadge({ method }: { method: Method }) {
  return (
    <Badge variant={METHOD_VARIANT[method]} className="w-16 font-mono">
      {method}
    </Badge>
  );
}

const ACCESS_TEXT: Record<Access, string> = {
  public: "No API key needed.",
  any: "Any API key: an organization key or a platform key.",
  platform: "Platform keys only: organization keys are refused with 403.",
  app: "An organization key for this application, or a platform key. Another organization's key is refused with 403.",
};

/** The path with its `{parameters}` set apart; it wraps anywhere, so long paths fit a phone. */
export function PathText({ path }: { path: string }) {
  return (
    <code className="font-mono text-sm break-all">
      {path.split(/(\{[^}]+\})/).map((part, i) =>
        part.startsWith("{") ? (
          <span key={i} className="text-muted-foreground">
            {part}
          </span>
        ) : (
          part
        ),
      )}
    </code>
  );
}

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
  schema.name ? <span className="font-mono text-xs font-normal text-muted-foreground">{schema.name}</span> : null;

const LOCATION_TITLE = { path: "Path parameters", query: "Query parameters", header: "Headers" } as const;

/** One operation: how to call it, what it takes and what it answers. */
export function OperationCard({ op }: { op: OperationView }) {
  return (
    <article id={op.anchor} aria-labelledby={`${op.anchor}-title`} className="scroll-mt-20 space-y-5 rounded-xl border bg-card p-4 text-card-foreground sm:p-6" data-testid="operation">
      <header className="space-y-2">
        <h3 id={`${op.anchor}-title`} className="flex items-center gap-2 text-lg font-semibold">
          {op.summary}
          <a href={`#${op.anchor}`} className="rounded text-muted-foreground outline-none hover:text-foreground focus-visible:ring-2 focus-visible:ring-ring" aria-label={`Link to ${op.summary}`}>
            <Link2 className="size-4" aria-hidden />
          </a>
        </h3>
        <div className="flex items-start gap-2">
          <MethodBadge method={op.method} />
          <PathText path={op.path} />
        </div>
        <p className="font-mono text-xs break-all text-muted-foreground" data-testid="operation-id">
          {op.operationId}
        </p>
      </header>
      {op.access ? (
        <p className="rounded-md bg-muted px-3 py-2 text-sm">
          <span className="font-medium">Who may call it: </span>
          {ACCESS_TEXT[op.access]}
        </p>
      ) : null}
      {op.description ? <RichText text={op.description} className="text-sm text-muted-foreground" /> : null}
      {op.parameters.map((group) => (
        <Block key={group.location} title={LOCATION_TITLE[group.location]}>
          <FieldTable rows={group.fields} />
        </Block>
      ))}
      {op.body ? (
        <Block title="Request body" aside={<SchemaName schema={op.body} />}>
          <SchemaFields schema={op.body} />
        </Block>
      ) : null}
      <Block title={`Response ${op.success.status}`} aside={op.success.body ? <SchemaName schema={op.success.body} /> : null}>
        {op.success.description ? <p className="text-sm text-muted-foreground">{op.success.description}</p> : null}
        {op.success.body ? <SchemaFields schema={op.success.body} /> : <p className="text-sm text-muted-foreground">No body.</p>}
      </Block>
      {op.errors.length ? (
        <Block title="Errors">
          <ul className="grid gap-1 text-sm sm:grid-cols-2">
            {op.errors.map((error) => (
              <li key={error.status} className="flex items-baseline gap-2">
                <span className="font-mono text-xs font-semibold">{error.status}</span>
                <span className="text-muted-foreground">
                  <InlineMarkup text={error.description} />
                </span>
              </li>
            ))}
          </ul>
        </Block>
      ) : null}
    </article>
  );
}
