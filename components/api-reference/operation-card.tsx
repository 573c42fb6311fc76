import { Link2 } from "lucide-react";
import { OperationDetails } from "@/components/api-reference/operation-details";
import { PathText } from "@/components/api-reference/path-text";
import { Badge, type BadgeProps } from "@/components/ui/badge";
import { RichText } from "@/components/ui/rich-text";
import type { Access, Method, OperationView } from "@/lib/api/v1/reference";

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
  portal: "A portal token (from app-portal-access) instead of an API key. An API key is refused with 403.",
};

/** What opening the operation shows, in the order it shows it. */
function detailsLabel(op: OperationView): string {
  const parts = [...(op.parameters.length ? ["parameters"] : []), ...(op.body ? ["request body"] : []), "responses"];
  const text = parts.length > 1 ? `${parts.slice(0, -1).join(", ")} and ${parts.at(-1)}` : parts[0]!;
  return text[0]!.toUpperCase() + text.slice(1);
}

/** One operation: how to call it and who may; what it takes and answers once opened. */
export function OperationCard({ org, op }: { org: string; op: OperationView }) {
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
          <PathText path={op.path} className="text-sm" />
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
      <OperationDetails org={org} anchor={op.anchor} label={detailsLabel(op)} />
    </article>
  );
}
