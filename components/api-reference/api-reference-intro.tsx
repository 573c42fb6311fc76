import { Download, KeyRound } from "lucide-react";
import Link from "next/link";
import { BrowserOrigin } from "@/components/ui/browser-origin";
import { Button } from "@/components/ui/button";
import { RichText } from "@/components/ui/rich-text";
import { apiKeysPath, OPENAPI_DOCUMENT_PATH, SDK_SNIPPET_ANCHOR } from "@/lib/routes";

/** What every call has in common: where, how to authenticate, which application; and where to go next. */
export function ApiReferenceIntro({ org, serverUrl, description }: { org: string; serverUrl: string; description: string }) {
  const facts = [
    { term: "Base URL", value: <BrowserOrigin serverGuess={serverUrl} path="/api/v1" />, note: <>The SDK&apos;s serverUrl is <BrowserOrigin serverGuess={serverUrl} /></> },
    { term: "Authentication", value: "Authorization: Bearer <API key>", note: "A key from Settings → API keys" },
    { term: "Application id", value: org, note: "This organization's slug, the {app_id} of every path" },
  ];
  return (
    <section aria-label="Getting started" className="space-y-4 rounded-xl border bg-card p-4 text-card-foreground sm:p-6">
      <RichText text={description} className="text-sm text-muted-foreground" />
      <dl className="grid gap-3 text-sm md:grid-cols-3">
        {facts.map((fact) => (
          <div key={fact.term} className="min-w-0 space-y-1">
            <dt className="font-medium">{fact.term}</dt>
            <dd className="font-mono text-xs break-all">{fact.value}</dd>
            <dd className="text-xs text-muted-foreground">{fact.note}</dd>
          </div>
        ))}
      </dl>
      <div className="flex flex-wrap gap-2">
        <Button asChild size="sm">
          <Link href={`${apiKeysPath(org)}#${SDK_SNIPPET_ANCHOR}`}>
            <KeyRound aria-hidden /> API keys and SDK example
          </Link>
        </Button>
        <Button asChild variant="outline" size="sm">
          <a href={OPENAPI_DOCUMENT_PATH} download="hookrelay-openapi.json">
            <Download aria-hidden /> Download openapi.json
          </a>
        </Button>
      </div>
    </section>
  );
}
