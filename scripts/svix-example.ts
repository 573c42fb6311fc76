/**
 * The README's SDK example: drives HookRelay with the official `svix` SDK only, as an existing Svix
 * user's code would. It creates an endpoint on the built-in test receiver, sends an event to it,
 * waits for the delivery and checks that the receiver verified its signature.
 *
 *   HOOKRELAY_API_KEY=hr_org_… npm run example:svix
 *
 * Settings (environment): HOOKRELAY_API_KEY (an organization key from Settings → API keys),
 * HOOKRELAY_URL (default http://localhost:3000), HOOKRELAY_APP (the organization slug; default the
 * key's own organization, found with the SDK).
 */
import { ApiException, MessageStatus, Svix } from "svix";

const EVENT_TYPE = "contract.created";
const WAIT_MS = 30_000;

function fail(message: string): never {
  console.error(`✗ ${message}`);
  process.exit(1);
}

async function main() {
  const key = process.env.HOOKRELAY_API_KEY;
  if (!key) fail("Set HOOKRELAY_API_KEY to an organization API key (Settings → API keys in the dashboard).");
  const serverUrl = process.env.HOOKRELAY_URL ?? "http://localhost:3000";
  const svix = new Svix(key, { serverUrl });

  // The application (organization): the one named, or the only one an organization key sees.
  const app = process.env.HOOKRELAY_APP ?? (await svix.application.list({ limit: 1 })).data[0]?.uid;
  if (!app) fail("This key sees no organization: set HOOKRELAY_APP to the organization slug.");
  console.log(`• application ${app} on ${serverUrl}`);

  // The built-in test receiver: the seeded demo endpoint points at it.
  const endpoints = await svix.endpoint.list(app, { limit: 250 });
  const receiverUrl = endpoints.data.find((e) => e.url.includes("/test-receiver/"))?.url;
  if (!receiverUrl) fail("No endpoint points at a built-in test receiver: create one under Webhooks → Test receiver, with an endpoint to it.");

  const eventType = await svix.eventType.get(EVENT_TYPE);
  const schema = (eventType.schemas as Record<string, { examples?: unknown[] }> | null)?.["1"];
  const payload = schema?.examples?.[0];
  if (!payload || typeof payload !== "object") fail(`The catalog has no example payload for ${EVENT_TYPE}.`);

  const endpoint = await svix.endpoint.create(app, {
    url: receiverUrl,
    description: "svix SDK example (scripts/svix-example.ts)",
    eventTypes: [EVENT_TYPE],
    uid: `svix-example-${Date.now()}`,
  });
  console.log(`• endpoint ${endpoint.id} → ${receiverUrl}`);
  try {
    const message = await svix.message.create(app, { eventType: EVENT_TYPE, payload });
    console.log(`• message ${message.id} (${EVENT_TYPE})`);

    const deadline = Date.now() + WAIT_MS;
    for (;;) {
      const attempts = await svix.messageAttempt.listByMsg(app, message.id, { endpointId: endpoint.id, withContent: true });
      const attempt = attempts.data[0];
      if (attempt && attempt.status !== MessageStatus.Pending && attempt.status !== MessageStatus.Sending) {
        if (attempt.status !== MessageStatus.Success) fail(`the delivery failed: ${attempt.responseStatusCode} ${attempt.response}`);
        const answer = JSON.parse(attempt.response || "{}") as { signature?: string };
        if (answer.signature !== "verified") fail(`delivered (${attempt.responseStatusCode}), but the receiver says the signature is "${answer.signature}"`);
        console.log(`✓ delivered in ${attempt.responseDurationMs} ms, answered ${attempt.responseStatusCode}: the test receiver verified the signature`);
        break;
      }
      if (Date.now() > deadline) fail(`no answer from the test receiver within ${WAIT_MS / 1000} s`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  } finally {
    await svix.endpoint.delete(app, endpoint.id);
  }
}

main().catch((error: unknown) => {
  if (error instanceof ApiException) fail(`the API answered ${error.code}: ${JSON.stringify(error.body)}`);
  fail(error instanceof Error ? error.message : String(error));
});
