import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { Env } from "@/lib/env";
import { migrate } from "@/lib/db/migrate";
import { startEmbeddedPostgres, type EmbeddedCluster } from "./embedded-postgres";

export const EMBEDDED_DATABASE = "hookrelay";

export interface PreparedDatabase {
  url: string;
  /** Set when the embedded cluster is in use. */
  cluster?: EmbeddedCluster;
}

/** DATABASE_URL when given; otherwise the embedded cluster under DATA_DIR. Migrations applied either way. */
export async function prepareDatabase(env: Env, log: (line: string) => void): Promise<PreparedDatabase> {
  let prepared: PreparedDatabase;
  if (env.DATABASE_URL) {
    prepared = { url: env.DATABASE_URL };
  } else {
    const cluster = await startEmbeddedPostgres({
      dataDir: path.join(env.DATA_DIR, "pg"),
      port: env.EMBEDDED_PG_PORT,
      log,
    });
    prepared = { url: await cluster.ensureDatabase(EMBEDDED_DATABASE), cluster };
  }
  try {
    const { applied } = await migrate(prepared.url, { log });
    if (applied.length === 0) log("database schema is up to date");
  } catch (error) {
    await prepared.cluster?.stop();
    throw error;
  }
  return prepared;
}

/**
 * A secret the operator may set; otherwise generated once and kept in DATA_DIR so restarts keep
 * sessions (and, later, encrypted data) valid.
 */
export function persistentSecret(env: Env, name: string, given: string | undefined, bytes = 32): string {
  if (given) return given;
  const file = path.join(env.DATA_DIR, `${name}.secret`);
  if (existsSync(file)) return readFileSync(file, "utf8").trim();
  mkdirSync(env.DATA_DIR, { recursive: true });
  const value = randomBytes(bytes).toString("base64url");
  writeFileSync(file, value + "\n", { mode: 0o600 });
  return value;
}

/**
 * Drops npm's own `npm_*` variables (about a hundred under `npm start`) from this process: the
 * Inngest SDK scans the whole environment several times per request, so in a process that runs
 * functions every variable costs time on the delivery path. Nothing here reads them.
 */
export function dropNpmVariables(env: NodeJS.ProcessEnv = process.env): void {
  for (const key of Object.keys(env)) if (key.startsWith("npm_")) delete env[key];
}
