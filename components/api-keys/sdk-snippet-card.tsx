import { BookOpen } from "lucide-react";
import Link from "next/link";
import { SdkExample } from "@/components/api-keys/sdk-example";
import { Button } from "@/components/ui/button";
import { Card, CardAction, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { CodeBlock } from "@/components/ui/code-block";
import { API_KEY_PLACEHOLDER, SDK_INSTALL, type SnippetEvent } from "@/lib/api/sdk-snippet";
import { apiReferencePath, SDK_SNIPPET_ANCHOR } from "@/lib/routes";

/** How to send this organization an event with the official svix SDK, pointed at this server. */
export function SdkSnippetCard({ org, serverUrl, event }: { org: string; serverUrl: string; event: SnippetEvent | null }) {
  return (
    <section id={SDK_SNIPPET_ANCHOR} className="scroll-mt-20" aria-labelledby="sdk-heading" data-testid="sdk-snippet">
    <Card>
      <CardHeader>
        <CardTitle>
          <h2 id="sdk-heading">Send events with the SDK</h2>
        </CardTitle>
        <CardDescription>
          The API is compatible with Svix, so the official <code className="font-mono">svix</code> package works as is: point{" "}
          <code className="font-mono">serverUrl</code> at this server and use <code className="font-mono">{org}</code> as the application.
          Replace <code className="font-mono">{API_KEY_PLACEHOLDER}</code> with a key from above.
        </CardDescription>
        <CardAction>
          <Button asChild variant="outline" size="sm">
            <Link href={apiReferencePath(org)}>
              <BookOpen aria-hidden /> API reference
            </Link>
          </Button>
        </CardAction>
      </CardHeader>
      <CardContent className="space-y-4">
        <CodeBlock title="Install" code={SDK_INSTALL} copyLabel="Copy install command" testId="sdk-install" />
        <SdkExample apiKey={API_KEY_PLACEHOLDER} serverUrl={serverUrl} app={org} event={event ?? { eventType: "<event type>", payload: {} }} copyLabel="Copy example" testId="sdk-example" />
        {event ? null : <p className="text-sm text-muted-foreground">The event catalog is empty: use the name of an event type once one is defined.</p>}
      </CardContent>
    </Card>
    </section>
  );
}
