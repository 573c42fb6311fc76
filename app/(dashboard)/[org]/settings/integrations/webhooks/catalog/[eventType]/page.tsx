import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { FieldTable } from "@/components/catalog/field-table";
import { JsonBlock } from "@/components/catalog/json-block";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { InlineCodeText } from "@/components/ui/inline-code-text";
import { requireMemberPage } from "@/lib/auth/session";
import { getEventType } from "@/lib/catalog/event-types";
import { deriveFields } from "@/lib/catalog/schema-fields";
import { catalogPath, editEventTypePath } from "@/lib/routes";

type Params = Promise<{ org: string; eventType: string }>;

export async function generateMetadata({ params }: { params: Params }): Promise<Metadata> {
  return { title: `${decodeURIComponent((await params).eventType)} · Event catalog` };
}

export default async function EventTypePage({ params }: { params: Params }) {
  const { org, eventType } = await params;
  const { user } = await requireMemberPage(org, "VIEWER", { portal: true });
  const type = await getEventType(decodeURIComponent(eventType));
  if (!type) notFound();
  return (
    <article className="space-y-6">
      <div className="flex flex-wrap items-start justify-between gap-4">
        <div className="space-y-2">
          <Link href={catalogPath(org)} className="text-sm text-muted-foreground hover:underline">
            ← Event catalog
          </Link>
          <div className="flex flex-wrap items-center gap-2">
            <h2 className="font-mono text-xl font-semibold">{type.name}</h2>
            <Badge variant="outline">{type.group}</Badge>
            {type.deprecated ? <Badge variant="warning">Deprecated</Badge> : null}
            {type.archived ? <Badge variant="secondary">Archived</Badge> : null}
          </div>
          <p className="text-muted-foreground">
            <InlineCodeText text={type.description} />
          </p>
        </div>
        {user?.isStaff ? (
          <Button asChild variant="outline">
            <Link href={editEventTypePath(type.name)}>Edit in the platform catalog</Link>
          </Button>
        ) : null}
      </div>
      {type.archived ? (
        <Alert>
          <AlertTitle>Archived</AlertTitle>
          <AlertDescription>This type can no longer be chosen for new subscriptions. Its definition stays here for past messages.</AlertDescription>
        </Alert>
      ) : null}
      <section aria-labelledby="fields-heading" className="space-y-2">
        <h3 id="fields-heading" className="font-semibold">
          Payload fields
        </h3>
        <FieldTable rows={deriveFields(type.schema)} />
      </section>
      <section aria-labelledby="examples-heading" className="space-y-2">
        <h3 id="examples-heading" className="font-semibold">
          Examples
        </h3>
        {type.examples.map((example) => (
          <JsonBlock key={example.name} title={example.name} value={example.payload} testId="example" />
        ))}
      </section>
      <section aria-labelledby="schema-heading" className="space-y-2">
        <h3 id="schema-heading" className="font-semibold">
          JSON Schema
        </h3>
        <JsonBlock title="Schema (draft 2020-12)" value={type.schema} testId="raw-schema" />
      </section>
    </article>
  );
}
