import { spawn } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";

/**
 * The app under benchmark: `scripts/start.ts` in a process group of its own, so that the bench
 * reaches every process it started (the server, executor workers) however the bench ends: a
 * normal end and an error stop it with SIGTERM, as an operator would, and anything still in the
 * group afterwards is killed and named; Ctrl-C reaches only the bench (the app is not in the
 * terminal's foreground group), which stops the app the same way; on a bench that exits anyway,
 * `killNow()` kills the group outright.
 */

const STOP_TIMEOUT_MS = 60_000;

export interface BenchApp {
  pid: number;
  url: string;
  /** SIGTERM, wait for the start script to exit, then kill what is left in its group; returns what was left. */
  stop(): Promise<string[]>;
  /** SIGKILL to the whole group, synchronously (for `process.on("exit")`). */
  killNow(): void;
}

/** Processes of process group `pgid` (Linux /proc), as "pid command". */
export function processGroup(pgid: number): string[] {
  const out: string[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const close = stat.lastIndexOf(")");
      const [state, , pgrp] = stat.slice(close + 2).split(" ");
      if (Number(pgrp) === pgid && state !== "Z") out.push(`${entry} ${stat.slice(stat.indexOf("(") + 1, close)}`);
    } catch {
      // Gone meanwhile.
    }
  }
  return out;
}

/**
 * Starts the app on `port` and resolves once it answers and `executors` embedded executors have
 * started (the start script's own and its workers).
 */
export async function startApp(opts: { root: string; port: number; env: NodeJS.ProcessEnv; executors: number; log: (line: string) => void }): Promise<BenchApp> {
  // Node loads tsx itself, so the child is the start script and SIGTERM reaches it (and its server).
  const child = spawn(process.execPath, ["--import", "tsx", "scripts/start.ts"], {
    cwd: opts.root,
    detached: true,
    env: { ...opts.env, PORT: String(opts.port) },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const pid = child.pid!;
  let started = 0;
  let exited = false;
  const exit = new Promise<void>((resolve) => child.once("exit", () => ((exited = true), resolve())));
  let partial = "";
  child.stdout.on("data", (chunk: Buffer) => {
    const lines = (partial + chunk.toString()).split("\n");
    partial = lines.pop()!;
    started += lines.filter((line) => line.includes(" started: ")).length;
  });
  const killNow = () => {
    try {
      process.kill(-pid, "SIGKILL");
    } catch {
      // The group is empty.
    }
  };
  const app: BenchApp = {
    pid,
    url: `http://127.0.0.1:${opts.port}`,
    killNow,
    async stop() {
      if (!exited) {
        child.kill("SIGTERM");
        await Promise.race([exit, new Promise((r) => setTimeout(r, STOP_TIMEOUT_MS).unref())]);
      }
      const left = processGroup(pid);
      if (left.length > 0) killNow();
      return left;
    },
  };
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (exited) throw new Error("the app exited during its start");
    const ok = await fetch(`${app.url}/api/health`).then((r) => r.ok, () => false);
    if (ok && started >= opts.executors) return app;
    if (Date.now() > deadline) {
      await app.stop();
      throw new Error(`the app did not start (answering: ${ok}, executors started: ${started} of ${opts.executors})`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}
