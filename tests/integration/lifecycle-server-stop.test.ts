import { spawn, type ChildProcess } from "node:child_process";
import net from "node:net";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { freePort } from "@/scripts/lib/test-database";
import { waitFor } from "@/tests/helpers/executor-harness";

/**
 * The app's HTTP server (scripts/serve.ts, what `npm start` runs) stopped with SIGTERM: it closes
 * its listening socket at once, so a new connection is REFUSED (not answered 503) while it drains;
 * a request already in flight may still finish; one that never does is cut at STOP_GRACE_MS and
 * the process exits 0. Dev mode (`--dev`) spares a production build: the stop is serve.ts's own.
 */
const root = path.resolve(import.meta.dirname, "../..");
/** scripts/serve.ts: STOP_GRACE_MS. */
const STOP_GRACE_MS = 10_000;
/** Closing Next after the grace, and exiting. Generous for a loaded machine. */
const EXIT_ALLOWANCE_MS = 10_000;
const START_MS = 120_000;
const FORM = "application/x-www-form-urlencoded";

let child: ChildProcess | undefined;
afterAll(() => {
  if (child && child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
});

/** A raw connection that sends a POST whose body stops short: the server holds it as a request in flight. */
async function partialPost(port: number, sent: string, declared: number) {
  const socket = net.connect(port, "127.0.0.1");
  await new Promise<void>((resolve, reject) => socket.once("connect", resolve).once("error", reject));
  let answer = "";
  socket.on("data", (chunk: Buffer) => (answer += chunk.toString("latin1")));
  const closed = new Promise<number>((resolve) => socket.once("close", () => resolve(Date.now())));
  socket.on("error", () => {});
  socket.write(`POST /api/auth/callback/credentials HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Type: ${FORM}\r\nContent-Length: ${declared}\r\n\r\n${sent}`);
  return { socket, closed, answer: () => answer };
}

function connectOutcome(port: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = net.connect(port, "127.0.0.1");
    socket.once("connect", () => {
      socket.destroy();
      resolve("connected");
    });
    socket.once("error", (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
  });
}

describe("stopping the app server (scripts/serve.ts)", () => {
  it("refuses new connections at once after SIGTERM, lets a request in flight finish, cuts one that never ends at the grace, and exits 0", async () => {
    const port = await freePort();
    const server = spawn(process.execPath, ["--import", "tsx", path.join(root, "scripts/serve.ts"), "--dev"], {
      cwd: root,
      stdio: ["ignore", "pipe", "pipe"],
      env: { NODE_ENV: "development", PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", PORT: String(port), NEXT_TELEMETRY_DISABLED: "1" },
    });
    child = server;
    let output = "";
    server.stdout!.on("data", (c: Buffer) => (output += c.toString()));
    server.stderr!.on("data", (c: Buffer) => (output += c.toString()));
    const exited = new Promise<{ code: number | null; at: number }>((resolve) => server.once("exit", (code) => resolve({ code, at: Date.now() })));
    try {
      await waitFor("the server to listen", async () => output.includes("listening on port"), START_MS, 100);
      // Both routes compiled before anything is timed (dev compiles on first request).
      await waitFor("health to answer", () => fetch(`http://127.0.0.1:${port}/api/v1/health`).then((r) => r.status === 204, () => false), START_MS, 200);
      await fetch(`http://127.0.0.1:${port}/api/auth/callback/credentials`, { method: "POST", headers: { "content-type": FORM }, body: "email=a", redirect: "manual" });

      const finishing = await partialPost(port, "email=", "email=b".length);
      const neverEnding = await partialPost(port, "email=", 100);
      // Barrier: a request sent after both, once answered, shows the server has read their headers.
      expect((await fetch(`http://127.0.0.1:${port}/api/v1/health`)).status).toBe(204);

      const signalled = Date.now();
      server.kill("SIGTERM");
      // The listening socket closes during the signal's handler: wait for that, not for a fixed time.
      const refused = await waitFor("a new connection to be refused", async () => ((await connectOutcome(port)) === "ECONNREFUSED" ? "ECONNREFUSED" : undefined), STOP_GRACE_MS, 20);
      expect(refused).toBe("ECONNREFUSED");
      expect(server.exitCode).toBeNull();

      // Draining: the request in flight completes and is answered.
      finishing.socket.write("b");
      await waitFor("the request in flight to be answered", async () => finishing.answer().startsWith("HTTP/1.1 "), STOP_GRACE_MS, 20);
      expect(server.exitCode).toBeNull();

      const exit = await exited;
      expect(exit.code).toBe(0);
      // The request that never ends got the whole grace, then was cut, and the process exited.
      expect(exit.at - signalled).toBeGreaterThanOrEqual(STOP_GRACE_MS - 50);
      expect(exit.at - signalled).toBeLessThan(STOP_GRACE_MS + EXIT_ALLOWANCE_MS);
      expect(await neverEnding.closed).toBeLessThanOrEqual(exit.at);
      expect(neverEnding.answer()).toBe("");
    } catch (error) {
      console.log(output);
      throw error;
    }
  }, 2 * START_MS + STOP_GRACE_MS + EXIT_ALLOWANCE_MS);
});
