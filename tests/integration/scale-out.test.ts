import { spawn, type ChildProcess } from "node:child_process";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createApiKey } from "@/lib/api-keys/manage";
import { db } from "@/lib/db";
import { readMigrations } from "@/lib/db/migrate";
import { createEndpoint } from "@/lib/endpoints/endpoints";
import { DEMO_ORG } from "@/lib/seed";
import { endpointConfigSchema } from "@/lib/validations/endpoint";
import { createDatabaseIfMissing, dropDatabase } from "@/scripts/lib/server/embedded-postgres";
import { freePort, withDatabase } from "@/scripts/lib/test-database";
import { contractCreated, orgWithEndpoint } from "@/tests/helpers/delivery-harness";
import { spawnWorker, TEST_EXECUTOR_KEY, waitFor } from "@/tests/helpers/executor-harness";
import { waitForRunsToEnd } from "@/tests/helpers/run-barrier";
import { setTestEncryptionKey } from "@/tests/helpers/webhooks-factories";

/**
 * Scale-out on one PostgreSQL (docs/scaling.md): two app instances (tests/helpers/app-instance.ts,
 * npm start's bootstrap and embedded executor with the real message API) on two ports share one
 * DATABASE_URL, with one more `npm run worker` process. Both instances start at once on an empty
 * database; then messages are sent to both APIs while one instance is killed with SIGKILL and
 * started again. Counted at a receiver by webhook-id: nothing lost, nothing sent twice except the
 * POSTs the killed process had in flight (at-least-once, docs/executor.md), and retries on schedule.
 */

const root = path.resolve(import.meta.dirname, "../..");
const MESSAGES = 200;
const KILL_AFTER = 70;
/** Messages a second the client sends (both APIs together): a steady stream, not a backlog. */
const SEND_RATE = 20;
const WARMUP = 20;
const RETRY_WAIT_MS = 2_000;
const POLL_MS = 250;
/** The production lease: a shorter one can expire under load while a request is in flight. */
const LEASE_MS = 5_000;
const ATTEMPT_TIMEOUT_MS = 5_000;
/**
 * How late a retry may come: a poll, plus one attempt timeout for a busy machine (an executor
 * whose slots are all taken holds a due run that long at most), plus a lease where the kill left
 * the run in the dead process.
 */
const LATE_BOUND_MS = POLL_MS + ATTEMPT_TIMEOUT_MS;
/** A retry never comes early; the schedule counts from the end of the failed attempt, so allow the receiver's clock a little. */
const EARLY_TOLERANCE_MS = 50;

setTestEncryptionKey();
const adminUrl = inject("adminDatabaseUrl");
const databaseName = `scale_${Date.now().toString(36)}_${process.pid}`;
const databaseUrl = withDatabase(adminUrl, databaseName);

interface Instance {
  port: number;
  url: string;
  child: ChildProcess;
  output: () => string;
  ready: Promise<void>;
}

const children: ChildProcess[] = [];

const commonEnv = (): Record<string, string> => ({
  PATH: process.env.PATH ?? "",
  HOME: process.env.HOME ?? "",
  DATABASE_URL: databaseUrl,
  APP_ENCRYPTION_KEY: process.env.APP_ENCRYPTION_KEY!,
  EXECUTOR_KEY: TEST_EXECUTOR_KEY,
  EXECUTOR_SERVE: "local",
  EXECUTOR_LEASE_MS: String(LEASE_MS),
  EXECUTOR_POLL_MS: String(POLL_MS),
  WEBHOOK_RETRY_SCHEDULE: `${RETRY_WAIT_MS}ms,${RETRY_WAIT_MS}ms`,
  WEBHOOK_ATTEMPT_TIMEOUT_MS: String(ATTEMPT_TIMEOUT_MS),
  API_RATE_LIMIT_PER_SECOND: "100000",
});

function startInstance(port: number): Instance {
  let output = "";
  const child = spawn(process.execPath, ["--import", "tsx", path.join(root, "tests/helpers/app-instance.ts")], {
    cwd: root,
    env: { NODE_ENV: "production", ...commonEnv(), PORT: String(port) },
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.push(child);
  const ready = new Promise<void>((resolve, reject) => {
    child.stdout.on("data", (c: Buffer) => {
      output += c.toString();
      if (output.includes(`ready ${port}`)) resolve();
    });
    child.stderr.on("data", (c: Buffer) => (output += c.toString()));
    child.once("exit", (code, signal) => reject(new Error(`instance on ${port} exited (${signal ?? code}) before it was ready:\n${output}`)));
  });
  return { port, url: `http://127.0.0.1:${port}`, child, output: () => output, ready };
}

function stop(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once("exit", () => resolve());
    child.kill(signal);
  });
}

interface Hit {
  path: string;
  webhookId: string;
  receivedAt: number;
  status: number;
}

/** A receiver that fails the first request of every message at /flaky and answers everything else 200. */
async function startCountingReceiver() {
  const hits: Hit[] = [];
  const seenFlaky = new Set<string>();
  const server = http.createServer((req, res) => {
    const receivedAt = Date.now();
    req.resume();
    req.on("end", () => {
      const webhookId = String(req.headers["webhook-id"]);
      const first = req.url === "/flaky" && !seenFlaky.has(webhookId);
      if (first) seenFlaky.add(webhookId);
      const status = first ? 500 : 200;
      hits.push({ path: req.url ?? "", webhookId, receivedAt, status });
      res.writeHead(status).end(first ? "failing once" : "ok");
    });
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    hits,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function byWebhookId(hits: Hit[]): Hit[][] {
  const out = new Map<string, Hit[]>();
  for (const h of hits) out.set(h.webhookId, [...(out.get(h.webhookId) ?? []), h]);
  return [...out.values()];
}

let receiver: Awaited<ReturnType<typeof startCountingReceiver>>;
let a: Instance;
let b: Instance;
let startedAtOnce: PromiseSettledResult<void>[];
/** The executor's tables, for the run barrier. */
let pool: pg.Pool;

beforeAll(async () => {
  await createDatabaseIfMissing(adminUrl, databaseName);
  process.env.DATABASE_URL = databaseUrl;
  pool = new pg.Pool({ connectionString: databaseUrl, max: 2 });
  receiver = await startCountingReceiver();
  // Both on an empty database at the same moment: both migrate and seed at once.
  a = startInstance(await freePort());
  b = startInstance(await freePort());
  startedAtOnce = await Promise.allSettled([a.ready, b.ready]);
}, 120_000);

afterAll(async () => {
  await Promise.all(children.map((c) => stop(c, "SIGTERM")));
  await receiver?.close();
  await pool?.end();
  await db.$disconnect();
  await dropDatabase(adminUrl, databaseName).catch(() => {});
});

describe("two instances and a worker on one PostgreSQL", () => {
  it("start at once on an empty database: the migrations are applied once and the seed creates everything once", async () => {
    expect(startedAtOnce.map((s) => (s.status === "rejected" ? String(s.reason) : "ok"))).toEqual(["ok", "ok"]);
    const migrations = await db.$queryRaw<{ migration_name: string }[]>`SELECT migration_name FROM "_prisma_migrations"`;
    expect(migrations.map((m) => m.migration_name).sort()).toEqual((await readMigrations()).map((m) => m.name));
    expect(await db.user.count({ where: { email: "admin@acme.test" } })).toBe(1);
    const org = await db.organization.findUniqueOrThrow({ where: { slug: DEMO_ORG.slug } });
    expect(await db.testReceiver.count({ where: { organizationId: org.id } })).toBe(1);
    expect(await db.endpoint.count({ where: { organizationId: org.id } })).toBe(1);
  });

  it(
    "deliver every message once per endpoint while one instance is SIGKILLed and restarted; retries land on schedule",
    async () => {
      const { org, actor } = await orgWithEndpoint(`${receiver.url}/ok`);
      const flaky = await createEndpoint(org.id, endpointConfigSchema.parse({ url: `${receiver.url}/flaky`, eventTypes: ["contract.created"], rateLimit: "" }), actor);
      if (!flaky.ok) throw new Error(flaky.message);
      const { key } = await createApiKey({ name: "scale-out", scope: "ORGANIZATION", organizationId: org.id, createdById: actor.id });

      const worker = spawnWorker({ ...commonEnv(), WORKER_NAME: "scale-out worker", EXECUTOR_INGEST_IN_PROCESS: "1" });
      children.push(worker.child);
      await worker.ready;

      const instances = [a, b];
      /**
       * One message, as a client behind a load balancer sends it: to its instance, and to the other
       * when that one is unreachable. The eventId makes a resend of a message that was committed
       * before its answer was lost a 409, not a second message.
       */
      const send = async (n: number) => {
        const body = JSON.stringify({ ...contractCreated(n), eventId: `scale-${n}` });
        for (let round = 0; round < 40; round++) {
          const target = instances[(n + round) % 2]!;
          const status = await fetch(`${target.url}/api/v1/app/${org.slug}/msg`, {
            method: "POST",
            headers: { "content-type": "application/json", authorization: `Bearer ${key}` },
            body,
          }).then(
            async (res) => (await res.arrayBuffer(), res.status),
            () => 0,
          );
          if (status === 202 || status === 409) return status;
          if (status !== 0 && status < 500) throw new Error(`message ${n}: ${status}`);
          await new Promise((r) => setTimeout(r, 100));
        }
        throw new Error(`message ${n} was never accepted`);
      };

      // Warm-up, not measured: the first requests of fresh processes (connection pools, JIT) are slow.
      const warmup = await Promise.all(Array.from({ length: WARMUP }, (_, i) => send(MESSAGES + i)));
      expect(warmup.every((s) => s === 202)).toBe(true);
      await waitFor("the warm-up messages to arrive", async () => new Set(receiver.hits.filter((h) => h.status === 200).map((h) => `${h.path} ${h.webhookId}`)).size === 2 * WARMUP, 60_000, 100);
      receiver.hits.length = 0;

      const started = Date.now();
      const sends: Promise<number>[] = [];
      let killedAt = 0;
      let restarted: Promise<void> = Promise.resolve();
      for (let n = 0; n < MESSAGES; n++) {
        const due = started + (n * 1000) / SEND_RATE;
        if (due > Date.now()) await new Promise((r) => setTimeout(r, due - Date.now()));
        if (n === KILL_AFTER) {
          await stop(b.child, "SIGKILL");
          killedAt = Date.now();
          b = startInstance(b.port);
          instances[1] = b;
          restarted = b.ready;
        }
        sends.push(send(n));
      }
      const statuses = await Promise.all(sends);
      await restarted;
      const restartedAt = Date.now();
      expect(b.output()).toContain(`ready ${b.port}`);

      const messages = await db.message.findMany({ where: { organizationId: org.id, eventId: { not: null }, createdAt: { gte: new Date(started - 1_000) } }, select: { id: true, eventId: true, createdAt: true } });
      // One message per eventId: the resends of the killed instance's calls created nothing twice.
      expect(messages).toHaveLength(MESSAGES);
      expect(new Set(messages.map((m) => m.eventId)).size).toBe(MESSAGES);
      const ids = new Set(messages.map((m) => m.id));

      const succeeded = (p: string) => receiver.hits.filter((h) => h.path === p && h.status === 200);
      await waitFor(
        "every message to succeed at both endpoints",
        async () => new Set(succeeded("/ok").map((h) => h.webhookId)).size === MESSAGES && new Set(succeeded("/flaky").map((h) => h.webhookId)).size === MESSAGES,
        90_000,
        200,
      );
      // A repeat comes from a run that is not over (a retry due, or a step retaken after its lease
      // ran out in the killed process): once every run of the messages has ended, none can come.
      await waitForRunsToEnd(pool, { messageIds: [...ids] }, 90_000);

      // Nothing the test did not send, nothing lost.
      expect(receiver.hits.filter((h) => !ids.has(h.webhookId))).toEqual([]);
      for (const p of ["/ok", "/flaky"]) expect(new Set(succeeded(p).map((h) => h.webhookId))).toEqual(ids);

      // A second success for one message is only allowed for a POST the killed process had in
      // flight: it reached the receiver before the kill and was never recorded, so another
      // executor sent it again after the lease ran out.
      const repeats: Hit[][] = [];
      for (const p of ["/ok", "/flaky"]) {
        for (const hits of byWebhookId(succeeded(p))) if (hits.length > 1) repeats.push(hits);
      }
      for (const hits of repeats) {
        const attempts = await db.attempt.findMany({ where: { messageId: hits[0]!.webhookId }, select: { attemptNumber: true, succeeded: true, startedAt: true, endpointId: true } });
        console.log(`[scale-out] repeat ${hits[0]!.path} ${hits[0]!.webhookId}: ${hits.map((h) => h.receivedAt - killedAt).join(", ")} ms after the kill; all hits ${receiver.hits.filter((h) => h.webhookId === hits[0]!.webhookId).map((h) => `${h.path} ${h.status} ${h.receivedAt - killedAt}`).join("; ")}; attempts ${JSON.stringify(attempts.map((x) => ({ ...x, at: x.startedAt.getTime() - killedAt })))}`);
      }
      for (const hits of repeats) {
        expect(hits).toHaveLength(2);
        expect(hits[0]!.receivedAt).toBeLessThanOrEqual(killedAt);
        expect(hits[1]!.receivedAt).toBeGreaterThan(killedAt);
      }
      // Every delivery recorded as succeeded once, whatever the receiver saw.
      const deliveries = await db.delivery.findMany({ where: { messageId: { in: [...ids] } }, select: { status: true, attempts: { select: { attemptNumber: true, succeeded: true } } } });
      expect(deliveries).toHaveLength(2 * MESSAGES);
      for (const d of deliveries) {
        expect(d.status).toBe("SUCCEEDED");
        expect(d.attempts.filter((x) => x.succeeded)).toHaveLength(1);
        expect(new Set(d.attempts.map((x) => x.attemptNumber)).size).toBe(d.attempts.length);
      }

      // Retries on schedule: the retry of each failed first attempt comes RETRY_WAIT_MS after it,
      // never early. A due retry waits in the same queue as a new message's first attempt, so on a
      // busy machine it may be late by what a first attempt waited at worst, plus LATE_BOUND_MS,
      // plus a lease where the killed process held its run; most are late by less than LATE_BOUND_MS.
      const createdAt = new Map(messages.map((m) => [m.id, m.createdAt.getTime()]));
      const queued = byWebhookId(receiver.hits.filter((h) => h.path === "/ok")).map((hits) => hits[0]!.receivedAt - createdAt.get(hits[0]!.webhookId)!).sort((x, y) => x - y);
      const backlog = queued.at(-1)!;
      const late: { lateness: number; bound: number; at: number }[] = [];
      for (const hits of byWebhookId(receiver.hits.filter((h) => h.path === "/flaky"))) {
        const [failed, retry] = hits;
        if (failed?.status !== 500 || !retry) continue;
        // A retry due before the kill may have been in a run the killed process held; another
        // executor resumes it once the lease runs out.
        const nearKill = failed.receivedAt + RETRY_WAIT_MS <= killedAt && failed.receivedAt > killedAt - RETRY_WAIT_MS - LEASE_MS;
        late.push({ lateness: retry.receivedAt - failed.receivedAt - RETRY_WAIT_MS, bound: LATE_BOUND_MS + backlog + (nearKill ? LEASE_MS : 0), at: failed.receivedAt - started });
      }
      late.sort((x, y) => x.lateness - y.lateness);
      const median = late[late.length >> 1]!.lateness;
      console.log(
        `[scale-out] killed at ${killedAt - started} ms, restarted by ${restartedAt - started} ms; first attempts after the message was stored: ` +
          `median ${queued[queued.length >> 1]} ms, max ${backlog} ms; retry lateness: median ${median} ms, max ${late.at(-1)!.lateness} ms`,
      );
      expect(late).toHaveLength(MESSAGES);
      expect(late.filter((l) => l.lateness < -EARLY_TOLERANCE_MS || l.lateness > l.bound)).toEqual([]);
      expect(median).toBeLessThanOrEqual(LATE_BOUND_MS);
      console.log(
        `[scale-out] ${MESSAGES} messages × 2 endpoints, ${statuses.filter((s) => s === 409).length} resent after the kill answered 409; ` +
          `${repeats.length} POSTs in flight at the SIGKILL sent again`,
      );
    },
    150_000,
  );
});
