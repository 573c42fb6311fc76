import { spawn } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createApiKey } from "@/lib/api-keys/manage";
import { db } from "@/lib/db";
import { EMBEDDED_DATABASE } from "@/scripts/lib/server/bootstrap";
import { portAcceptsConnections, startEmbeddedPostgres, urlFor } from "@/scripts/lib/server/embedded-postgres";
import { freePort } from "@/scripts/lib/test-database";
import { contractCreated, orgWithEndpoint } from "@/tests/helpers/delivery-harness";
import { waitFor } from "@/tests/helpers/executor-harness";
import { startReceiver, type Receiver } from "@/tests/helpers/receiver";
import { setTestEncryptionKey } from "@/tests/helpers/webhooks-factories";

/**
 * `npm start` as an operator runs it, with its own embedded PostgreSQL, stopped the way a terminal
 * stops it: Ctrl-C sends SIGINT to every process of the foreground group (tsx, the start script,
 * Next), which the test reproduces by signalling the group; SIGTERM, as a service manager sends it. Dev mode (`next dev`) spares a
 * production build; the stop order under test is the start script's.
 */

const root = path.resolve(import.meta.dirname, "../..");
const RECEIVER_DELAY_MS = 1_500;
setTestEncryptionKey();

/** After a failed run: PostgreSQL has a process group of its own, so the group's SIGKILL missed it. */
function killPostgres(dataDir: string) {
  const pidFile = path.join(dataDir, "pg", "postmaster.pid");
  if (!existsSync(pidFile)) return;
  try {
    process.kill(Number(readFileSync(pidFile, "utf8").split("\n")[0]), "SIGINT");
  } catch {
    // Already gone.
  }
}

let receiver: Receiver | undefined;
/** Shared by both runs: the second start reuses the cluster the first one stopped, as a restart does. */
let cluster: { dataDir: string; port: number } | undefined;
afterAll(async () => {
  await db.$disconnect();
  await receiver?.close();
  if (cluster) rmSync(cluster.dataDir, { recursive: true, force: true });
});

describe("stopping npm start", () => {
  // SIGTERM runs with a second executor process (what more cores give by default): it stops too.
  it.each([
    ["SIGINT", 1],
    ["SIGTERM", 2],
  ] as const)(
    "%s during a delivery (%i executor processes) lets the attempt finish and be recorded, stops every process and PostgreSQL, exits 0 and logs no error",
    async (signal, processes) => {
      receiver ??= await startReceiver({ mode: { kind: "slow", delayMs: RECEIVER_DELAY_MS } });
      receiver.reset();
      cluster ??= { dataDir: mkdtempSync(path.join(os.tmpdir(), "hookrelay-stop-")), port: await freePort() };
      const { dataDir, port: pgPort } = cluster;
      // As root, PostgreSQL runs as the `postgres` user, which must be able to enter this folder.
      chmodSync(dataDir, 0o755);
      const port = await freePort();
      const child = spawn(process.execPath, ["--import", "tsx", path.join(root, "scripts/start.ts"), "--dev"], {
        cwd: root,
        // Its own process group, like a terminal's foreground job.
        detached: true,
        stdio: ["ignore", "pipe", "pipe"],
        env: {
          NODE_ENV: "development",
          PATH: process.env.PATH ?? "",
          HOME: process.env.HOME ?? "",
          PORT: String(port),
          DATA_DIR: dataDir,
          EMBEDDED_PG_PORT: String(pgPort),
          APP_ENCRYPTION_KEY: process.env.APP_ENCRYPTION_KEY,
          WEBHOOK_RETRY_SCHEDULE: "1s",
          WEBHOOK_ATTEMPT_TIMEOUT_MS: "10000",
          NEXT_TELEMETRY_DISABLED: "1",
          EXECUTOR_PROCESSES: String(processes),
        },
      });
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
      child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
      const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
      try {
        await waitFor("the executor to start", async () => stdout.includes("executor: worker"), 60_000, 100);
        if (processes > 1) {
          await waitFor("the executor processes logged", async () => stdout.includes(`executor: ${processes} processes`), 60_000, 100);
          await waitFor("the worker process to start", async () => stdout.includes("[worker 1] worker"), 60_000, 100);
        }
        process.env.DATABASE_URL = urlFor(pgPort, EMBEDDED_DATABASE);
        const { org, actor } = await orgWithEndpoint(`${receiver.url}/hook`);
        const { key } = await createApiKey({ name: "stop test", scope: "ORGANIZATION", organizationId: org.id, createdById: actor.id });
        // `next dev` listens a moment after the executor starts; a refused connection sent nothing.
        const sent = await waitFor(
          "the app to take the event",
          () =>
            fetch(`http://127.0.0.1:${port}/api/v1/app/${org.slug}/msg`, {
              method: "POST",
              headers: { "content-type": "application/json", authorization: `Bearer ${key}` },
              body: JSON.stringify(contractCreated()),
            }).catch(() => undefined),
          60_000,
          200,
        );
        expect(sent.status).toBe(202);
        // The dashboard's address is printed once the server listens, after its own line.
        await waitFor("the dashboard's address", async () => stdout.includes("dashboard: http://localhost:"), 10_000, 50);
        expect(stdout.indexOf(`listening on port ${port}`)).toBeGreaterThan(-1);
        expect(stdout.indexOf("dashboard: http://localhost:")).toBeGreaterThan(stdout.indexOf(`listening on port ${port}`));
        const { id: messageId } = (await sent.json()) as { id: string };
        await receiver.waitForRequests(1, 30_000);
        // The sessions of this test must not hold PostgreSQL up: close them before it stops.
        await db.$disconnect();

        // The receiver is still holding the attempt open.
        process.kill(-child.pid!, signal);
        expect(await exited).toBe(0);
        expect(await portAcceptsConnections(pgPort)).toBe(false);
        // No process of the app is left behind (worker processes included).
        expect(() => process.kill(-child.pid!, 0)).toThrow(expect.objectContaining({ code: "ESRCH" }));

        const restarted = await startEmbeddedPostgres({ dataDir: path.join(dataDir, "pg"), port: pgPort });
        try {
          const attempts = await db.attempt.findMany({ where: { messageId } });
          expect(attempts).toHaveLength(1);
          expect(attempts[0]).toMatchObject({ attemptNumber: 1, succeeded: true, statusCode: 200 });
        } finally {
          await db.$disconnect();
          await restarted.stop();
        }
        expect(stdout).toContain("[hookrelay] stopped");
        // Warnings (Next's "slow filesystem" notice on a busy machine) may appear; errors may not.
        const errorLines = `${stdout}\n${stderr}`.split("\n").filter((line) => /error|exception|failed|lost|⨯|^\s+at\s/i.test(line));
        expect(errorLines).toEqual([]);
      } finally {
        if (child.exitCode === null && child.signalCode === null) {
          process.kill(-child.pid!, "SIGKILL");
          killPostgres(dataDir);
          console.log(stdout, stderr);
        }
      }
    },
    120_000,
  );
});
