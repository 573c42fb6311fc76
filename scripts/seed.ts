/** `npm run db:seed`: idempotent seed of DATABASE_URL, or of the embedded database. */
import { createPrismaClient } from "../lib/db";
import { parseEnv } from "../lib/env";
import { seed } from "../lib/seed";
import { persistentSecret, prepareDatabase } from "./lib/server/bootstrap";
import { loggerFor } from "../lib/observability/log";

const logger = loggerFor("[seed]");
const log = (line: string) => logger.info(line);

async function main() {
  const env = parseEnv();
  const database = await prepareDatabase(env, log);
  const prisma = createPrismaClient(database.url);
  try {
    process.env.APP_ENCRYPTION_KEY = persistentSecret(env, "encryption", process.env.APP_ENCRYPTION_KEY);
    await seed(prisma, { adminEmail: env.ADMIN_EMAIL, adminPassword: env.ADMIN_PASSWORD, appUrl: `http://127.0.0.1:${env.PORT}`, log });
    log("done");
  } finally {
    await prisma.$disconnect();
    await database.cluster?.stop();
  }
}

main().catch((error: unknown) => {
  logger.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
