/**
 * `npm run seed:load -- --messages N [--org slug]`: fills an organization (created when missing,
 * default slug "load") of DATABASE_URL, or of the embedded database, with N messages and their
 * deliveries and attempts. See scripts/lib/seed-load.ts for the mix.
 */
import { parseArgs } from "node:util";
import { parseEnv } from "../lib/env";
import { prepareDatabase } from "./lib/server/bootstrap";
import { seedLoad } from "./lib/seed-load";

const log = (line: string) => console.log(`[seed:load] ${line}`);

async function main() {
  const { values } = parseArgs({ options: { messages: { type: "string" }, org: { type: "string", default: "load" } } });
  const messages = Number(values.messages);
  if (!Number.isSafeInteger(messages) || messages < 1 || messages > 50_000_000) {
    console.error("usage: npm run seed:load -- --messages <1..50000000> [--org <slug>]");
    process.exit(2);
  }
  if (!/^[a-z0-9][a-z0-9-]{0,62}$/.test(values.org)) {
    console.error("--org must be a slug: lower-case letters, digits and dashes");
    process.exit(2);
  }
  const database = await prepareDatabase(parseEnv(), log);
  try {
    const result = await seedLoad(database.url, { messages, orgSlug: values.org, log });
    log(`loaded ${result.messages} messages into "${values.org}" in ${result.seconds} s`);
  } finally {
    await database.cluster?.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
