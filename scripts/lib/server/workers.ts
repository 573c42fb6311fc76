import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";

/** A crashed worker is started again after this pause (not in a tight loop). */
const RESTART_DELAY_MS = 1_000;

export interface WorkerProcesses {
  /** SIGTERM to every worker; resolves when all have exited (each finishes its deliveries first). */
  stop(): Promise<void>;
}

/**
 * `count` more embedded-executor processes (`scripts/worker.ts`) beside the one `npm start` runs
 * itself. A worker that exits while the app runs is logged and started again: capacity does not
 * drop silently. Its runs are leased, so another executor takes over what it held.
 */
export function startWorkerProcesses(count: number, options: { root: string; env: NodeJS.ProcessEnv; log: (line: string) => void }): WorkerProcesses {
  let stopping = false;
  const children = new Set<ChildProcess>();
  const timers = new Set<NodeJS.Timeout>();
  const launch = (n: number) => {
    const child = spawn(process.execPath, ["--import", "tsx", path.join(options.root, "scripts/worker.ts")], {
      cwd: options.root,
      stdio: ["ignore", "inherit", "inherit"],
      env: { ...options.env, WORKER_NAME: `worker ${n}` },
    });
    children.add(child);
    child.once("exit", (code, signal) => {
      children.delete(child);
      if (stopping) return;
      options.log(`executor worker ${n} exited (${signal ?? `code ${code}`}); starting it again`);
      const timer = setTimeout(() => {
        timers.delete(timer);
        if (!stopping) launch(n);
      }, RESTART_DELAY_MS);
      timers.add(timer);
    });
  };
  for (let n = 1; n <= count; n++) launch(n);
  return {
    async stop() {
      stopping = true;
      for (const timer of timers) clearTimeout(timer);
      await Promise.all(
        [...children].map((child) =>
          child.exitCode !== null || child.signalCode !== null
            ? undefined
            : new Promise((resolve) => {
                child.once("exit", resolve);
                child.kill("SIGTERM");
              }),
        ),
      );
    },
  };
}
