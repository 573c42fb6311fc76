import { Time } from "@/components/ui/time";
import { EmptyState } from "@/components/ui/empty-state";
import { auditLabel } from "@/lib/audit/actions";
import type { AuditEntry } from "@/lib/audit/queries";
import { maskHeaderValue } from "@/lib/headers-mask";
import { isIsoInstant } from "@/lib/time";

const FIELD_LABEL: Record<string, string> = {
  url: "URL",
  description: "Description",
  eventTypes: "Event types",
  rateLimit: "Rate limit",
  headers: "Custom headers",
  previousSecretValidUntil: "Previous secret valid until",
};

function show(value: unknown): React.ReactNode {
  if (value === null || value === undefined || value === "") return "(none)";
  // Stored as ISO instants; shown like every other time of the page (viewer's zone, 24-hour).
  if (isIsoInstant(value)) return <Time value={value} mode="absolute" />;
  if (Array.isArray(value) && value.every((v) => typeof v === "object" && v !== null && "name" in v && "value" in v)) {
    return value.length ? value.map((h: { name: string; value: string }) => `${h.name}: ${maskHeaderValue(h.name, h.value)}`).join(", ") : "(none)";
  }
  if (Array.isArray(value)) return value.length ? value.join(", ") : "(none)";
  return typeof value === "string" ? value : JSON.stringify(value);
}

const isChange = (v: unknown): v is { before: unknown; after: unknown } => typeof v === "object" && v !== null && "before" in v && "after" in v;

export function ActivityList({ entries }: { entries: AuditEntry[] }) {
  if (!entries.length) return <EmptyState title="No activity yet" description="Configuration changes to this endpoint appear here, with who made them and when." />;
  return (
    <ol className="space-y-3" aria-label="Activity">
      {entries.map((entry) => (
        <li key={entry.id} className="rounded-lg border p-3" data-testid="activity-entry">
          <div className="flex flex-wrap items-baseline gap-x-2">
            <span className="font-medium">{auditLabel(entry.action)}</span>
            <span className="text-sm text-muted-foreground">
              by {entry.actorEmail} · <Time value={entry.createdAt} mode="absolute" />
            </span>
          </div>
          {entry.changes && Object.keys(entry.changes).length ? (
            <dl className="mt-2 space-y-1 text-sm">
              {Object.entries(entry.changes).map(([field, change]) => (
                <div key={field} className="grid gap-1 sm:grid-cols-[10rem_1fr]">
                  <dt className="text-muted-foreground">{FIELD_LABEL[field] ?? field}</dt>
                  <dd className="break-all">
                    {isChange(change) ? (
                      <>
                        {entry.action !== "endpoint.created" ? (
                          <>
                            <del className="text-muted-foreground">{show(change.before)}</del> →{" "}
                          </>
                        ) : null}
                        <ins className="no-underline">{show(change.after)}</ins>
                      </>
                    ) : (
                      show(change)
                    )}
                  </dd>
                </div>
              ))}
            </dl>
          ) : null}
        </li>
      ))}
    </ol>
  );
}
