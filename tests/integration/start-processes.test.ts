import { spawn } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { freePort } from "@/scripts/lib/test-database";
import { waitFor } from "@/tests/helpers/executor-harness";

/**
 * The processes `npm start` runs (issue 23, memory): the server and the executor run from bundles
 * without tsx and with the V8 flags of scripts/lib/server/node-flags.ts, and the executor does not
 * outlive the start script, even when that one is killed outright.
 */

const root = path.resolve(import.meta.dirname, "../..");
const dataDir = mkdtempSync(path.join(os.tmpdir(), "hookrelay-processes-"));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

function children(pid: number): { pid: number; args: string[] }[] {
  return readdirSync("/proc")
    .filter((d) => /^\d+$/.test(d))
    .flatMap((d) => {
      try {
        const stat = readFileSync(`/proc/${d}/stat`, "utf8");
        const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
        return ppid === pid ? [{ pid: Number(d), args: readFileSync(`/proc/${d}/cmdline`, "utf8").split("\0").filter(Boolean) }] : [];
      } catch {
        return [];
      }
    });
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe("the processes of npm start", () => {
  it("runs the server and the executor without tsx, with the memory flags, and stops the executor when the start script is killed", async () => {
    // As root, PostgreSQL runs as the `postgres` user, which must be able to enter this folder.
    chmodSync(dataDir, 0o755);
    const child = spawn(process.execPath, ["--import", "tsx", path.join(root, "scripts/start.ts"), "--dev"], {
      cwd: root,
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
      env: {
        NODE_ENV: "development",
        PATH: process.env.PATH ?? "",
        HOME: process.env.HOME ?? "",
        PORT: String(await freePort()),
        DATA_DIR: dataDir,
        EMBEDDED_PG_PORT: String(await freePort()),
        SEED_DEMO: "0",
        NEXT_TELEMETRY_DISABLED: "1",
        EXECUTOR_PROCESSES: "1",
      },
    });
    let output = "";
    child.stdout.on("data", (c: Buffer) => (output += c.toString()));
    child.stderr.on("data", (c: Buffer) => (output += c.toString()));
    try {
      await waitFor("the executor to start", async () => output.includes("[hookrelay] executor: worker"), 60_000, 100);
      const nodes = children(child.pid!).filter((c) => c.args[0] === process.execPath);
      const server = nodes.find((c) => c.args.some((a) => a.endsWith("scripts/serve.mjs")));
      const executor = nodes.find((c) => c.args.some((a) => a.endsWith("scripts/worker.mjs")));
      expect(server, output).toBeDefined();
      expect(executor, output).toBeDefined();
      for (const { args } of [server!, executor!]) {
        expect(args.join(" ")).not.toMatch(/tsx/);
        expect(args).toEqual(expect.arrayContaining(["--max-old-space-size=1024", "--no-wasm-tier-up"]));
      }

      process.kill(child.pid!, "SIGKILL");
      await waitFor("the executor to stop", async () => !alive(executor!.pid), 30_000, 100);
    } finally {
      try {
        process.kill(-child.pid!, "SIGKILL");
      } catch {
        // The group is gone already.
      }
      const pidFile = path.join(dataDir, "pg", "postmaster.pid");
      if (existsSync(pidFile)) {
        try {
          process.kill(Number(readFileSync(pidFile, "utf8").split("\n")[0]), "SIGINT");
        } catch {
          // PostgreSQL is gone already.
        }
      }
    }
  }, 120_000);
});
