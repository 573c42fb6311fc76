import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { migrate } from "../../lib/db/migrate";
import { createDatabaseIfMissing, dropDatabase, startEmbeddedPostgres } from "./server/embedded-postgres";

/** A free TCP port on loopback. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

export interface TestDatabase {
  url: string;
  /** URL of the server's maintenance database, for tests that create databases of their own. */
  adminUrl: string;
  /** The throwaway cluster's server process and folder (undefined on TEST_DATABASE_URL's server). */
  cluster?: { pid?: number; folder: string };
  cleanup(): Promise<void>;
}

/**
 * A fresh, migrated database for one test run: on TEST_DATABASE_URL's server when given, otherwise
 * on a throwaway embedded cluster (fsync off: its data dies with the run). `migrate: false` leaves
 * it empty, for an app that migrates it itself (bench/compare.ts starts another checkout's).
 */
export async function createTestDatabase(prefix: string, log: (l: string) => void = () => {}, options: { migrate?: boolean } = {}): Promise<TestDatabase> {
  const name = `${prefix}_${Date.now().toString(36)}_${process.pid}`;
  let adminUrl: string;
  let stopCluster = async () => {};
  let cluster: TestDatabase["cluster"];
  const external = process.env.TEST_DATABASE_URL;
  if (external) {
    adminUrl = withDatabase(external, "postgres");
  } else {
    const dir = mkdtempSync(path.join(os.tmpdir(), "hookrelay-pg-"));
    // As root, PostgreSQL runs as the `postgres` user, which must be able to enter this folder.
    chmodSync(dir, 0o755);
    const server = await startEmbeddedPostgres({
      dataDir: path.join(dir, "data"),
      port: await freePort(),
      settings: { fsync: "off", synchronous_commit: "off", full_page_writes: "off", max_connections: "300" },
      log,
    });
    adminUrl = server.adminUrl;
    cluster = { pid: server.pid, folder: dir };
    stopCluster = async () => {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    };
  }
  await createDatabaseIfMissing(adminUrl, name);
  const url = withDatabase(adminUrl, name);
  if (options.migrate !== false) await migrate(url);
  return {
    url,
    adminUrl,
    cluster,
    async cleanup() {
      await dropDatabase(adminUrl, name).catch(() => {});
      await stopCluster();
    },
  };
}
