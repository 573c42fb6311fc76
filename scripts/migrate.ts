/** `npm run db:migrate`: applies pending migrations to DATABASE_URL, or to the embedded database. */
import { EnvError, parseEnv } from "../lib/env";
import { prepareDatabase } from "./lib/server/bootstrap";
import { loggerFor } from "../lib/observability/log";

const logger = loggerFor("[migrate]");
const log = (line: string) => logger.info(line);
const env = parseEnv();
prepareDatabase(env, log)
  .then((db) => db.cluster?.stop())
  .catch((error: unknown) => {
    logger.error(error instanceof EnvError || error instanceof Error ? error.message : String(error));
    process.exit(1);
  });
