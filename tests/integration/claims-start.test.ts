import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { buildIfNeeded } from "@/scripts/lib/build";
import { startWorkerProcesses, WORKER_STARTED } from "@/scripts/lib/server/workers";

/**
 * What `npm start` promises about its own processes (README, docs/executor.md), on the functions
 * it runs, with stand-ins for `next build` and for the executor script.
 */

const root = mkdtempSync(path.join(tmpdir(), "claims-start-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

async function waitFor(condition: () => boolean, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const lines = (file: string) => {
  try {
    return readFileSync(file, "utf8").split("\n").filter(Boolean);
  } catch {
    return [];
  }
};

describe("README: npm start builds the dashboard when sources changed", () => {
  it("builds on the first start, not on a start with the same sources, and again once a source changes", () => {
    const app = path.join(root, "app-root");
    mkdirSync(path.join(app, "node_modules/.bin"), { recursive: true });
    mkdirSync(path.join(app, "app"), { recursive: true });
    writeFileSync(path.join(app, "app/page.tsx"), "export default 1;\n");
    const builds = path.join(app, "builds.log");
    // Stands in for `next build`: records the run and leaves what a build leaves, where a build
    // leaves it (NEXT_DIST_DIR: `npm test` sets .next-test).
    writeFileSync(
      path.join(app, "node_modules/.bin/next"),
      `#!/bin/sh\necho "$1" >> "${builds}"\nout="\${NEXT_DIST_DIR:-.next}"\nmkdir -p "$out" && echo id > "$out/BUILD_ID"\n`,
    );
    chmodSync(path.join(app, "node_modules/.bin/next"), 0o755);
    const log: string[] = [];

    buildIfNeeded(app, (line) => log.push(line));
    expect(lines(builds)).toEqual(["build"]);
    buildIfNeeded(app, (line) => log.push(line));
    expect(lines(builds)).toEqual(["build"]);
    expect(log.at(-1)).toBe("build is up to date");
    writeFileSync(path.join(app, "app/page.tsx"), "export default 2;\n");
    buildIfNeeded(app, (line) => log.push(line));
    expect(lines(builds)).toEqual(["build", "build"]);
  });
});

describe("docs/executor.md: a worker that exits while the app runs is logged and started again; one that cannot start stops npm start", () => {
  it("starts a worker that exited after starting again, and says so", async () => {
    const launches = path.join(root, "launches.log");
    const script = path.join(root, "crashing-worker.cjs");
    writeFileSync(script, `require("node:fs").appendFileSync(${JSON.stringify(launches)}, process.pid + "\\n");\nprocess.send(${JSON.stringify(WORKER_STARTED)}, () => setTimeout(() => process.exit(3), 20));\n`);
    const log: string[] = [];
    const failed: (number | null)[] = [];
    const workers = startWorkerProcesses(1, { root, script, env: { NODE_ENV: "test" }, log: (line) => log.push(line), onFailedStart: (code) => failed.push(code) });
    try {
      await waitFor(() => lines(launches).length >= 2, "the worker to be started again");
      expect(log).toContain("executor process exited (code 3); starting it again");
      expect(failed).toEqual([]);
    } finally {
      await workers.stop();
    }
  });

  it("hands a worker that exits before its executor started to onFailedStart, and does not start it again", async () => {
    const launches = path.join(root, "failed-launches.log");
    const script = path.join(root, "refusing-worker.cjs");
    writeFileSync(script, `require("node:fs").appendFileSync(${JSON.stringify(launches)}, process.pid + "\\n");\nprocess.exit(7);\n`);
    const log: string[] = [];
    const failed: (number | null)[] = [];
    const workers = startWorkerProcesses(1, { root, script, env: { NODE_ENV: "test" }, log: (line) => log.push(line), onFailedStart: (code) => failed.push(code) });
    try {
      await waitFor(() => failed.length > 0, "onFailedStart to be called");
      // The exit handler chose between a restart and onFailedStart: it chose the second.
      expect(failed).toEqual([7]);
      expect(log.filter((line) => line.includes("starting it again"))).toEqual([]);
      expect(lines(launches)).toHaveLength(1);
    } finally {
      await workers.stop();
    }
  });
});
