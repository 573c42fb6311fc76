/** `npm run db:migrate`: applies pending migrations to DATABASE_URL, or to the embedded database. */
import { EnvError, parseEnv } from "../lib/env";
import { prepareDatabase } from "./lib/server/bootstrap";

const log = (line: string) => console.log(`[migrate] ${line}`);
const env = parseEnv();
prepareDatabase(env, log)
  .then((db) => db.cluster?.stop())
  .catch((error: unknown) => {
    console.error(error instanceof EnvError ? error.message : error instanceof Error ? error.message : error);
    process.exit(1);
  });
