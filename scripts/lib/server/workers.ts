import { spawn, type ChildProcess } from "node:child_process";
import { nodeFlags } from "./node-flags";

/** A crashed worker is started again after this pause (not in a tight loop). */
const RESTART_DELAY_MS = 1_000;

export interface WorkerProcesses {
  /** SIGTERM to every worker; resolves when all have exited (each finishes its deliveries first). */
  stop(): Promise<void>;
  /** The worker processes running now (the server's /metrics asks each: lib/observability/metrics-ipc.ts). */
  running(): ChildProcess[];
}

/** What `scripts/worker.ts` sends its parent over the IPC channel once its executor runs. */
export const WORKER_STARTED = "executor-started";

/**
 * `count` embedded-executor processes (`scripts/worker.ts`, run from `script`, its bundle): the
 * executors of `npm start`. The first logs as the app's executor (`[hookrelay] executor: ...`), the
 * others as `[worker n]`. A worker that exits while the app runs is logged and started again:
 * capacity does not drop silently. Its runs are leased, so another executor takes over what it
 * held. A worker that exits before its executor ever started (a setting it refuses, a database it
 * cannot reach) is not retried: `onFailedStart` decides.
 */
export function startWorkerProcesses(
  count: number,
  options: { root: string; script: string; env: NodeJS.ProcessEnv; log: (line: string) => void; onFailedStart: (exitCode: number | null) => void },
): WorkerProcesses {
  let stopping = false;
  const children = new Set<ChildProcess>();
  const timers = new Set<NodeJS.Timeout>();
  const launch = (n: number, restart: boolean) => {
    const child = spawn(process.execPath, [...nodeFlags(options.env), options.script], {
      cwd: options.root,
      // The channel also tells the worker when this process is gone, however it ended.
      stdio: ["ignore", "inherit", "inherit", "ipc"],
      // HOOKRELAY_PROCESS: the `process` label of its metrics, one value per configured process.
      env: { ...options.env, WORKER_LOG_PREFIX: n === 0 ? "[hookrelay] executor:" : `[worker ${n}]`, HOOKRELAY_PROCESS: `executor-${n}` },
    });
    children.add(child);
    let started = restart;
    child.on("message", (message) => {
      if (message === WORKER_STARTED) started = true;
    });
    child.once("exit", (code, signal) => {
      children.delete(child);
      if (stopping) return;
      if (!started) {
        options.onFailedStart(code);
        return;
      }
      options.log(`executor ${n === 0 ? "process" : `worker ${n}`} exited (${signal ?? `code ${code}`}); starting it again`);
      const timer = setTimeout(() => {
        timers.delete(timer);
        if (!stopping) launch(n, true);
      }, RESTART_DELAY_MS);
      timers.add(timer);
    });
  };
  for (let n = 0; n < count; n++) launch(n, false);
  return {
    running: () => [...children],
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
