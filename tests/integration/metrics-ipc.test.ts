import { spawn, type ChildProcess } from "node:child_process";
import { EventEmitter } from "node:events";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { MetricJson } from "@/lib/observability/metrics";
import { EXECUTOR_ANSWER_MS, relayMetricsRequests } from "@/lib/observability/metrics-ipc";

/**
 * How `npm start` collects its executor processes' metrics for the server's /metrics: real child
 * processes (tests/helpers/metrics-process.ts) behind `relayMetricsRequests`, and a stand-in for
 * the server's end of its IPC channel. One of them is frozen with SIGSTOP: the answer still comes,
 * within the relay's bound, with that process's last numbers.
 */

const root = path.resolve(import.meta.dirname, "../..");
const children: ChildProcess[] = [];

afterAll(() => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
});

function start(name: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, ["--import", "tsx", path.join(root, "tests/helpers/metrics-process.ts")], {
    cwd: root,
    stdio: ["ignore", "inherit", "inherit", "ipc"],
    env: { ...process.env, HOOKRELAY_PROCESS: name },
  });
  children.push(child);
  return new Promise((resolve, reject) => {
    child.once("exit", (code) => reject(new Error(`${name} exited (${code})`)));
    child.on("message", (m) => m === "ready" && resolve(child));
  });
}

function count(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    const onMessage = (m: unknown) => {
      if (m !== "counted") return;
      child.off("message", onMessage);
      resolve();
    };
    child.on("message", onMessage);
    child.send("count");
  });
}

/** The server's end of its channel to `npm start`: what it sends goes to the relay, what the relay sends back is kept. */
function serverChannel() {
  const toRelay = new EventEmitter();
  const replies: { id: number; processes: MetricJson[][] }[] = [];
  const server = Object.assign(toRelay, {
    connected: true,
    send: (reply: { id: number; processes: MetricJson[][] }) => {
      replies.push(reply);
      return true;
    },
  });
  let id = 0;
  const ask = async () => {
    const mine = ++id;
    toRelay.emit("message", { kind: "hookrelay.metrics.request", id: mine });
    const started = performance.now();
    while (!replies.some((r) => r.id === mine)) await new Promise((resolve) => setTimeout(resolve, 10));
    return { reply: replies.find((r) => r.id === mine)!, ms: performance.now() - started };
  };
  return { server: server as unknown as ChildProcess, ask };
}

/** messages accepted per process label in one reply. */
function accepted(processes: MetricJson[][]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const metrics of processes) {
    for (const value of metrics.find((m) => m.name === "hookrelay_messages_accepted_total")?.values ?? []) out[String(value.labels.process)] = value.value;
  }
  return out;
}

describe("collecting the executor processes' metrics over IPC", () => {
  it("answers with every process's series, and with a frozen process's last numbers within the relay's bound", async () => {
    const [a, b] = await Promise.all([start("executor-0"), start("executor-1")]);
    await count(a);
    await count(a);
    await count(b);
    const { server, ask } = serverChannel();
    relayMetricsRequests(server, () => [a!, b!]);

    const first = await ask();
    expect(accepted(first.reply.processes)).toEqual({ "executor-0": 2, "executor-1": 1 });

    process.kill(b!.pid!, "SIGSTOP");
    try {
      await count(a!);
      const frozen = await ask();
      expect(accepted(frozen.reply.processes)).toEqual({ "executor-0": 3, "executor-1": 1 });
      // It waited for the frozen one, but no longer than the relay's bound (plus scheduling on a busy machine).
      expect(frozen.ms).toBeGreaterThanOrEqual(EXECUTOR_ANSWER_MS - 50);
      expect(frozen.ms).toBeLessThan(EXECUTOR_ANSWER_MS * 4);
    } finally {
      process.kill(b!.pid!, "SIGCONT");
    }
    await count(b!);
    const thawed = await ask();
    expect(accepted(thawed.reply.processes)).toEqual({ "executor-0": 3, "executor-1": 2 });
  }, 60_000);
});
