"use client";

import { useBrowserOrigin } from "@/components/ui/browser-origin";
import { CodeBlock } from "@/components/ui/code-block";
import { sdkSnippet, type SnippetEvent } from "@/lib/api/sdk-snippet";

/** The SDK example as a copyable block, its `serverUrl` the address the browser is using. */
export function SdkExample(props: { apiKey: string; serverUrl: string; app: string; event: SnippetEvent; copyLabel: string; testId: string }) {
  const { apiKey, app, event, copyLabel, testId } = props;
  const serverUrl = useBrowserOrigin(props.serverUrl);
  return <CodeBlock title="Send an event (TypeScript)" code={sdkSnippet({ apiKey, serverUrl, app, event })} copyLabel={copyLabel} testId={testId} />;
}
