/** The official SDK drives this API unchanged (issue 12); the API keys page shows how. */
export const SDK_INSTALL = "npm install svix";

/** Stands in for a key: keys are shown once, at creation, and never again. */
export const API_KEY_PLACEHOLDER = "<your API key>";

export interface SnippetEvent {
  eventType: string;
  payload: Record<string, unknown>;
}

/**
 * A TypeScript example that sends one event to `app` (the organization's slug) through the svix SDK.
 * JSON string literals are valid TypeScript, so every value is written with JSON.stringify: a
 * quote in a slug or a payload cannot break the example.
 */
export function sdkSnippet(options: { apiKey: string; serverUrl: string; app: string; event: SnippetEvent }): string {
  const { apiKey, serverUrl, app, event } = options;
  const payload = JSON.stringify(event.payload, null, 2).replace(/\n/g, "\n  ");
  return [
    `import { Svix } from "svix";`,
    ``,
    `const svix = new Svix(${JSON.stringify(apiKey)}, {`,
    `  serverUrl: ${JSON.stringify(serverUrl)},`,
    `});`,
    ``,
    `await svix.message.create(${JSON.stringify(app)}, {`,
    `  eventType: ${JSON.stringify(event.eventType)},`,
    `  payload: ${payload},`,
    `});`,
    ``,
  ].join("\n");
}

/** The event the example sends: the first current catalog type that has an example payload. */
export function snippetEvent(eventTypes: { name: string; deprecated: boolean; examples: { payload: Record<string, unknown> }[] }[]): SnippetEvent | null {
  const chosen = eventTypes.find((t) => !t.deprecated && t.examples.length > 0) ?? eventTypes.find((t) => t.examples.length > 0);
  return chosen ? { eventType: chosen.name, payload: chosen.examples[0]!.payload } : null;
}
