import { spawn } from "node:child_process";
import { chmodSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, inject, it } from "vitest";
import { tree } from "@/bench/lib/processes";
import { createDatabaseIfMissing, dropDatabase, portAcceptsConnections } from "@/scripts/lib/server/embedded-postgres";
import { freePort, withDatabase } from "@/scripts/lib/test-database";
import { waitFor } from "@/tests/helpers/executor-harness";

/**
 * `npm start` killed outright (SIGKILL, the out-of-memory killer) cannot stop its children, so
 * they stop themselves: the server (`scripts/serve.ts`, Next's `next-server`) and the executor
 * workers notice their parent is gone (scripts/lib/exit-with-parent.ts) and exit, freeing the
 * port. An earlier benchmark run left such an orphan `next-server` behind. Dev mode spares a
 * production build; DATABASE_URL spares an embedded PostgreSQL.
 */

const root = path.resolve(import.meta.dirname, "../..");
const adminUrl = inject("adminDatabaseUrl");
const databaseName = `orphans_${Date.now().toString(36)}_${process.pid}`;
/** The children check every 500 ms, then stop as on SIGTERM (no request or delivery in flight). */
const STOP_BOUND_MS = 20_000;
const dataDir = mkdtempSync(path.join(os.tmpdir(), "hookrelay-orphans-"));

/** Alive and not a zombie waiting for init to reap it. */
function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3) !== "Z";
  } catch {
    return false;
  }
}

afterAll(async () => {
  await dropDatabase(adminUrl, databaseName).catch(() => {});
  rmSync(dataDir, { recursive: true, force: true });
});

describe("npm start killed with SIGKILL", () => {
  it("leaves no process behind: its server and its executor worker exit by themselves and the port is freed", async () => {
    await createDatabaseIfMissing(adminUrl, databaseName);
    chmodSync(dataDir, 0o755);
    const port = await freePort();
    const start = spawn(process.execPath, ["--import", "tsx", path.join(root, "scripts/start.ts"), "--dev"], {
      cwd: root,
      // Its own process group, so that the cleanup below can reach whatever the test failed to see stop.
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
      env: {
        NODE_ENV: "development",
        PATH: process.env.PATH ?? "",
        HOME: process.env.HOME ?? "",
        PORT: String(port),
        DATA_DIR: dataDir,
        DATABASE_URL: withDatabase(adminUrl, databaseName),
        SEED_DEMO: "0",
        EXECUTOR_PROCESSES: "2",
        NEXT_TELEMETRY_DISABLED: "1",
        // `next dev` locks its folder, and start-stop.test.ts may run one from `.next` meanwhile.
        // (tsconfig.json already lists this folder's types, so Next leaves it unchanged.)
        NEXT_DIST_DIR: ".next-test",
      },
    });
    let output = "";
    start.stdout.on("data", (c: Buffer) => (output += c.toString()));
    start.stderr.on("data", (c: Buffer) => (output += c.toString()));
    try {
      await waitFor("the server and the worker to start", async () => output.includes(`listening on port ${port}`) && output.includes("[worker 1] worker"), 90_000, 100);
      const children = tree(start.pid!).filter((p) => p.pid !== start.pid);
      expect(children.map((c) => c.name).sort()).toEqual(expect.arrayContaining(["serve", "worker"]));

      process.kill(start.pid!, "SIGKILL");
      await waitFor("every child of the start script to exit", async () => children.every((c) => !alive(c.pid)), STOP_BOUND_MS, 100);
      expect(await portAcceptsConnections(port)).toBe(false);
    } catch (error) {
      console.log(output);
      throw error;
    } finally {
      try {
        process.kill(-start.pid!, "SIGKILL");
      } catch {
        // Every process of the group is gone, as it should be.
      }
    }
  }, 120_000);
});
