/**
 * A product process in Inngest mode for the outbox's crash tests (tests/integration/outbox.test.ts),
 * run with `node --import tsx` so that SIGKILL kills it outright:
 *
 *   publish <organizationId> [<ms ahead>]
 *                              sends one contract.created event (message, deliveries and their
 *                              events committed in one statement), scheduled that many ms ahead
 *                              when given (`deliverAt`), prints `committed <messageId>`, then waits
 *                              to be killed: no relay runs in it.
 *   relay                      runs the outbox relay as the app's server does (scripts/serve.ts),
 *                              printing `relay started`.
 */
import { SEED_CATALOG } from "@/lib/catalog/seed-catalog";
import { sendEvent } from "@/lib/messages/send-event";
import { startInngestRelay } from "@/lib/outbox/relay";

const [mode, organizationId, ahead] = process.argv.slice(2);

async function main() {
  if (mode === "publish") {
    const payload = SEED_CATALOG.find((t) => t.name === "contract.created")!.examples[0]!.payload;
    const deliverAt = ahead ? new Date(Date.now() + Number(ahead)) : undefined;
    const sent = await sendEvent({ id: organizationId!, webhooksEnabled: true }, { eventType: "contract.created", payload, deliverAt });
    if (!sent.ok) throw new Error(sent.message);
    console.log(`committed ${sent.message.id}`);
    setInterval(() => {}, 60_000);
    return;
  }
  if (mode === "relay") {
    const url = process.env.DATABASE_URL;
    if (!url) throw new Error("DATABASE_URL is not set");
    await startInngestRelay(url, (line) => console.log(`[outbox] ${line}`));
    console.log("relay started");
    return;
  }
  throw new Error(`unknown mode ${mode}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
