import type { ChildProcess } from "node:child_process";
import type pg from "pg";
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from "vitest";
import { inngest } from "@/inngest/client";
import { WAKE_CHANNEL } from "@/inngest/executor/ingest";
import { startWatchdog, type Watchdog, type WatchdogConfig } from "@/inngest/executor/watchdog";
import { recentStalls } from "@/inngest/executor/watchdog-jobs";
import { db } from "@/lib/db";
import { sendEvent } from "@/lib/messages/send-event";
import { STALL_KINDS, type StallKind } from "@/lib/observability/watchdog-kinds";
import { parseRetentionConfig } from "@/lib/retention/config";
import { watchdogStalls } from "@/lib/observability/watchdog-metrics";
import { contractCreated, orgWithEndpoint } from "@/tests/helpers/delivery-harness";
import { createExecutorDatabase, spawnWorker, startTestApp, TEST_EXECUTOR_KEY, waitFor, type ExecutorDatabase, type TestApp } from "@/tests/helpers/executor-harness";
import { startReceiver, type Receiver } from "@/tests/helpers/receiver";
import { ensureCatalog, setTestEncryptionKey } from "@/tests/helpers/webhooks-factories";

/**
 * The stalled-work watchdog (inngest/executor/watchdog.ts) against executor processes configured
 * as in production (`npm run worker`, EXECUTOR_SERVE=local: the webhook POST runs in the worker).
 * The watchdog runs in this process, as it runs in the app server, so its counter is read here.
 */

/**
 * The production default. A worker whose own lease runs out while its request is in flight (its
 * renewals held up on a loaded machine) lets the run be claimed again and the step repeated: a short
 * lease would make "delivered once" untrue for reasons that are not the freeze under test.
 */
const LEASE_MS = 5_000;
const POLL_MS = 200;
/** The default for this lease: three leases without a heartbeat. */
const EXECUTOR_STALL_MS = 3 * LEASE_MS;
/** Allowance for starting a worker process on a loaded machine (tsx, the SDK, Prisma); nothing timed includes it. */
const COLD_MS = 60_000;
/** After the stall: the lease is gone, a watchdog pass and a poll see it, the attempt is sent and recorded. */
const TAKEOVER_MS = 10 * (LEASE_MS + POLL_MS + EXECUTOR_STALL_MS);

const CONFIG: WatchdogConfig = {
  intervalMs: 200,
  deliveryStallMs: 60_000,
  executorStallMs: EXECUTOR_STALL_MS,
  runStallMs: LEASE_MS,
  retentionMs: 86_400_000,
};

let database: ExecutorDatabase;
let app: TestApp;
const receivers: Receiver[] = [];
const children: ChildProcess[] = [];
const watchdogs: Watchdog[] = [];
const logged: string[] = [];

beforeAll(async () => {
  setTestEncryptionKey();
  database = await createExecutorDatabase(inject("adminDatabaseUrl"), "watchdog");
  process.env.DATABASE_URL = database.url;
  await ensureCatalog();
  app = await startTestApp({ port: Number(process.env.TEST_APP_PORT), client: inngest, functions: [], pool: database.pool });
}, 60_000);

afterEach(async () => {
  await Promise.all(watchdogs.splice(0).map((w) => w.stop()));
  // SIGKILL ends a stopped process too: a frozen worker never outlives its test.
  await Promise.all(children.splice(0).map((c) => kill(c)));
});

afterAll(async () => {
  await Promise.all(receivers.map((r) => r.close()));
  await app?.close();
  await db.$disconnect();
  await database?.cleanup();
});

function worker() {
  const spawned = spawnWorker({
    DATABASE_URL: database.url,
    APP_ENCRYPTION_KEY: process.env.APP_ENCRYPTION_KEY!,
    EXECUTOR_APP_URL: `http://127.0.0.1:${app.port}`,
    EXECUTOR_KEY: TEST_EXECUTOR_KEY,
    EXECUTOR_SERVE: "local",
    EXECUTOR_LEASE_MS: String(LEASE_MS),
    EXECUTOR_POLL_MS: String(POLL_MS),
    WEBHOOK_ATTEMPT_TIMEOUT_MS: "10000",
  });
  children.push(spawned.child);
  return spawned;
}

function kill(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once("exit", () => resolve());
    child.kill("SIGKILL");
  });
}

function watchdog(config: Partial<WatchdogConfig> = {}): Watchdog {
  const w = startWatchdog(database.pool, { ...CONFIG, ...config }, (line) => logged.push(line));
  watchdogs.push(w);
  return w;
}

async function counted(): Promise<Record<StallKind, number>> {
  const { values } = await watchdogStalls.get();
  return Object.fromEntries(STALL_KINDS.map((kind) => [kind, values.find((v) => v.labels.kind === kind)?.value ?? 0])) as Record<StallKind, number>;
}

const workerIds = async (): Promise<string[]> =>
  (await database.pool.query<{ id: string }>(`SELECT id FROM executor_workers ORDER BY started_at`)).rows.map((r) => r.id);

const stallsOf = async (kind: StallKind, subject?: string) =>
  (await recentStalls()).filter((s) => s.kind === kind && (subject === undefined || s.subject === subject));

describe("the watchdog and a frozen executor", () => {
  it("SIGSTOP mid-delivery: the stall is recorded and counted, another worker delivers once, and the resumed one sends nothing", async () => {
    const r = await startReceiver({ mode: { kind: "hold" } });
    receivers.push(r);
    const { org } = await orgWithEndpoint(`${r.url}/hook`);
    const a = worker();
    await a.ready;
    const [frozenId] = await workerIds();
    expect(frozenId).toBeDefined();
    watchdog();

    const sent = await sendEvent({ id: org.id, webhooksEnabled: true }, contractCreated());
    if (!sent.ok) throw new Error(sent.message);
    const messageId = sent.message.id;
    // A's POST is at the receiver, unanswered: A holds the run's lease. Freeze it there.
    await r.waitForRequests(1, COLD_MS);
    const before = await counted();
    a.child.kill("SIGSTOP");
    // The receiver drops the frozen worker's request unanswered: it was never taken in.
    r.setMode({ kind: "status", status: 200 });
    expect(r.release({ kind: "reset" })).toBe(1);

    // No executor is left: the watchdog sees the silent executor and, a lease after its lease ran out, the run nobody took over.
    const [executorStall] = await waitFor("the executor stall", async () => (await stallsOf("executor", frozenId)).length > 0 && stallsOf("executor", frozenId), TAKEOVER_MS, 50);
    expect(executorStall!.detail).toMatch(/; 1 run\(s\) it held go to the other executors as their leases expire$/);
    const runId = (await database.pool.query<{ id: string }>(`SELECT id FROM executor_runs WHERE leased_by = $1`, [frozenId])).rows[0]!.id;
    await waitFor("the run stall", async () => (await stallsOf("run", runId)).length > 0, TAKEOVER_MS, 50);
    expect(await executorRow(frozenId!)).toMatchObject({ stalled: true });
    const after = await counted();
    expect({ executor: after.executor - before.executor, run: after.run - before.run, delivery: after.delivery - before.delivery }).toEqual({ executor: 1, run: 1, delivery: 0 });
    expect(logged.some((l) => l.startsWith(`stalled executor ${frozenId} since`))).toBe(true);
    expect(logged.some((l) => l.startsWith(`stalled run ${runId} since`))).toBe(true);

    // Another worker takes the run over and delivers.
    const b = worker();
    await b.ready;
    await waitFor("the delivery to succeed after the takeover", async () => (await db.delivery.findFirstOrThrow({ where: { messageId } })).status === "SUCCEEDED", COLD_MS + TAKEOVER_MS, 50);
    // The receiver answered (took in) every request but the frozen worker's: by webhook-id, this message once.
    const taken = () => r.requests.slice(1).map((q) => q.headers["webhook-id"]);
    expect(r.requests[0]!.headers["webhook-id"]).toBe(messageId);
    expect(taken()).toEqual([messageId]);

    // Resumed, A finds its lease gone: its late result is dropped, and it sends nothing again.
    a.child.kill("SIGCONT");
    await waitFor("the resumed worker to drop its stale result", async () => a.output().includes(`run ${runId} was cancelled or its lease expired`), TAKEOVER_MS, 50);
    await waitFor("the resumed worker's heartbeat", async () => (await executorRow(frozenId!))?.stalled === false, TAKEOVER_MS, 50);
    await new Promise((resolve) => setTimeout(resolve, LEASE_MS + 2 * POLL_MS));
    expect(r.total).toBe(2);
    expect(taken()).toEqual([messageId]);
    const attempts = await db.attempt.findMany({ where: { messageId } });
    expect(attempts.map((x) => [x.attemptNumber, x.succeeded])).toEqual([[1, true]]);
    expect((await db.delivery.findFirstOrThrow({ where: { messageId } })).status).toBe("SUCCEEDED");
    // Recorded once, however many passes ran since.
    expect(await stallsOf("executor", frozenId)).toHaveLength(1);
    expect(await stallsOf("run", runId)).toHaveLength(1);
  }, 3 * COLD_MS + 3 * TAKEOVER_MS);

  it("an executor stopped with SIGTERM leaves no heartbeat behind, so it is never called stalled", async () => {
    const earlier = await workerIds();
    const a = worker();
    await a.ready;
    const [id] = (await workerIds()).filter((w) => !earlier.includes(w));
    expect(id).toBeDefined();
    // "started" is logged just before the worker installs its signal handlers: its loop's first
    // heartbeat, a second later, comes after them.
    await waitFor("a heartbeat from the loop", async () => {
      const { rows } = await database.pool.query<{ beat: boolean }>(`SELECT heartbeat_at > started_at AS beat FROM executor_workers WHERE id = $1`, [id]);
      return rows[0]?.beat;
    }, COLD_MS, 50);
    const exited = new Promise<number | null>((resolve) => a.child.once("exit", (code) => resolve(code)));
    a.child.kill("SIGTERM");
    expect(await exited).toBe(0);
    expect(await workerIds()).not.toContain(id);
  }, 2 * COLD_MS);
});

describe("the watchdog and executors that are gone", () => {
  it("records an executor silent for over an hour, then forgets it (no longer listed); its stall stays", async () => {
    const id = `gone-${Date.now()}`;
    const silentSince = new Date(Date.now() - 2 * 3_600_000);
    await database.pool.query(`INSERT INTO executor_workers (id, started_at, heartbeat_at) VALUES ($1, $2, $2)`, [id, silentSince]);
    const recorded = await watchdog().pass();
    expect(recorded?.filter((s) => s.subject === id).map((s) => s.kind)).toEqual(["executor"]);
    expect(await workerIds()).not.toContain(id);
    expect(await stallsOf("executor", id)).toHaveLength(1);
  });
});

describe("the watchdog and overdue deliveries", () => {
  it("records a delivery due for longer than the threshold once, counts it, and leaves organizations disabled by staff alone", async () => {
    const { org } = await orgWithEndpoint("http://127.0.0.1:9/nobody-delivers");
    const paused = await orgWithEndpoint("http://127.0.0.1:9/paused");
    const sent = await sendEvent({ id: org.id, webhooksEnabled: true }, contractCreated(2));
    const waiting = await sendEvent({ id: paused.org.id, webhooksEnabled: true }, contractCreated(3));
    if (!sent.ok || !waiting.ok) throw new Error("sending failed");
    await db.organization.update({ where: { id: paused.org.id }, data: { disabledAt: new Date() } });
    const deliveryId = (await db.delivery.findFirstOrThrow({ where: { messageId: sent.message.id } })).id;
    const pausedId = (await db.delivery.findFirstOrThrow({ where: { messageId: waiting.message.id } })).id;

    const before = await counted();
    // No executor runs here: both deliveries stay due.
    const w = watchdog({ deliveryStallMs: 1_000, intervalMs: 60_000 });
    await waitFor("the delivery to be overdue", async () => (await w.pass())?.some((s) => s.subject === deliveryId) || undefined, 10_000, 100);
    await w.pass();
    expect(await stallsOf("delivery", deliveryId)).toHaveLength(1);
    expect(await stallsOf("delivery", pausedId)).toHaveLength(0);
    const after = await counted();
    expect(after.delivery - before.delivery).toBe(1);
    expect((await stallsOf("delivery", deliveryId))[0]!.detail).toContain(`message ${sent.message.id}`);
  });

  it("finds overdue deliveries through its own index, which a statement on PENDING alone (marking a batch SENDING) cannot read through", async () => {
    const client = await database.pool.connect();
    try {
      await client.query("BEGIN");
      // No sequential scan: any index the planner may use for a statement, it uses.
      await client.query("SET LOCAL enable_seqscan = off");
      const plan = async (sql: string) => (await client.query<{ "QUERY PLAN": string }>(`EXPLAIN ${sql}`)).rows.map((r) => r["QUERY PLAN"]).join("\n");
      expect(await plan(`SELECT id FROM "Delivery" WHERE status = 'PENDING'`)).not.toContain("Delivery_pending_due_idx");
      expect(await plan(`UPDATE "Delivery" SET status = 'SENDING' WHERE id = ANY ('{dlv_a,dlv_b}'::text[]) AND status = 'PENDING'`)).not.toContain("Delivery_pending_due_idx");
      expect(await plan(`SELECT id FROM "Delivery" WHERE status = 'PENDING' AND "nextAttemptAt" < now()::timestamp ORDER BY "nextAttemptAt" LIMIT 100`)).toContain("Delivery_pending_due_idx");
    } finally {
      await client.query("ROLLBACK");
      client.release();
    }
  });

  it("an outage larger than a pass's limit keeps being recorded: each pass takes the next overdue deliveries, not the same ones again", async () => {
    const { org } = await orgWithEndpoint("http://127.0.0.1:9/nobody-delivers-either");
    const ids: string[] = [];
    for (const n of [4, 5, 6]) {
      const sent = await sendEvent({ id: org.id, webhooksEnabled: true }, contractCreated(n));
      if (!sent.ok) throw new Error("sending failed");
      ids.push((await db.delivery.findFirstOrThrow({ where: { messageId: sent.message.id } })).id);
    }
    // Only this test's deliveries are overdue enough: the other tests' are recorded already or younger.
    await new Promise((r) => setTimeout(r, 1_100));
    const w = watchdog({ deliveryStallMs: 1_000, intervalMs: 60_000, passLimit: 1 });
    const found: string[] = [];
    for (let pass = 0; pass < 50 && ids.some((id) => !found.includes(id)); pass++) {
      for (const s of (await w.pass()) ?? []) if (s.kind === "delivery") found.push(s.subject);
    }
    for (const id of ids) expect(found).toContain(id);
    for (const id of ids) expect(await stallsOf("delivery", id)).toHaveLength(1);
  });

  it("one pass at a time: a second watchdog skips while the first holds the lock", async () => {
    const client = await database.pool.connect();
    try {
      await client.query("BEGIN");
      await client.query("SELECT pg_advisory_xact_lock($1)", [0x68727764]);
      expect(await watchdog().pass()).toBeNull();
      await client.query("ROLLBACK");
      expect(await watchdog().pass()).not.toBeNull();
    } finally {
      client.release();
    }
  });
});

describe("the watchdog's housekeeping", () => {
  it("deletes a stall recorded longer ago than EXECUTOR_RETENTION_DAYS at its next pass, and keeps a younger one", async () => {
    const retentionMs = parseRetentionConfig({ EXECUTOR_RETENTION_DAYS: "2" }).executorMs;
    const now = Date.now();
    const insert = (subject: string, detectedAt: number) =>
      database.pool.query(`INSERT INTO watchdog_stalls (kind, subject, since, detected_at, detail) VALUES ('delivery', $1, $2, $2, 'old')`, [subject, new Date(detectedAt)]);
    const stamp = Date.now();
    await insert(`expired-${stamp}`, now - 2 * 86_400_000 - 60_000);
    await insert(`kept-${stamp}`, now - 2 * 86_400_000 + 60_000);
    await watchdog({ retentionMs }).pass();
    const { rows } = await database.pool.query<{ subject: string }>(`SELECT subject FROM watchdog_stalls WHERE subject LIKE $1`, [`%-${stamp}`]);
    expect(rows.map((r) => r.subject)).toEqual([`kept-${stamp}`]);
  });

  it("wakes the executors (NOTIFY on their channel) after an executor stall, not after a delivery stall", async () => {
    const listener = await database.pool.connect();
    const heard: string[] = [];
    // Published events wake the executors too, with `event:<name>`: only the other wake-ups are the watchdog's.
    listener.on("notification", (n) => {
      if (n.channel === WAKE_CHANNEL && !n.payload?.startsWith("event:")) heard.push(n.payload ?? "");
    });
    await listener.query(`LISTEN ${WAKE_CHANNEL}`);
    // Notifications reach the listener's connection after the pass commits: a query on it is a round trip after them.
    const settle = async () => {
      await new Promise((resolve) => setTimeout(resolve, 200));
      await listener.query("SELECT 1");
    };
    try {
      const { org } = await orgWithEndpoint("http://127.0.0.1:9/nobody-delivers");
      const sent = await sendEvent({ id: org.id, webhooksEnabled: true }, contractCreated(4));
      if (!sent.ok) throw new Error(sent.message);
      const deliveryId = (await db.delivery.findFirstOrThrow({ where: { messageId: sent.message.id } })).id;
      // Only deliveries can stall here: no executor or run is ever late enough.
      const deliveriesOnly = watchdog({ deliveryStallMs: 0, executorStallMs: 36_000_000, runStallMs: 36_000_000, intervalMs: 60_000 });
      const found = await waitFor("the delivery stall", async () => (await deliveriesOnly.pass())?.some((s) => s.subject === deliveryId) || undefined, 10_000, 50);
      expect(found).toBe(true);
      await settle();
      expect(heard).toEqual([]);

      const id = `silent-${Date.now()}`;
      const silentSince = new Date(Date.now() - 60_000);
      await database.pool.query(`INSERT INTO executor_workers (id, started_at, heartbeat_at) VALUES ($1, $2, $2)`, [id, silentSince]);
      const recorded = await watchdog({ intervalMs: 60_000 }).pass();
      expect(recorded?.some((s) => s.kind === "executor" && s.subject === id)).toBe(true);
      await settle();
      expect(heard).toEqual(["watchdog"]);
    } finally {
      await listener.query(`UNLISTEN ${WAKE_CHANNEL}`);
      listener.release();
    }
  });

  it("loses the lock when PostgreSQL ends the idle transaction of a server frozen mid-pass", async () => {
    // A pass whose server freezes right after it took the lock: its next statement never goes out.
    const held = await database.pool.connect();
    held.on("error", () => {});
    let frozen = false;
    const frozenPool = {
      connect: async () => ({
        query: (text: string, params?: unknown[]) => {
          if (frozen) return new Promise(() => {});
          if (text.includes("pg_try_advisory_xact_lock")) frozen = true;
          return held.query(text, params);
        },
        release: () => {},
      }),
    } as unknown as pg.Pool;
    // Its interval (1 s) is also how long PostgreSQL lets its transaction sit idle.
    void startWatchdog(frozenPool, { ...CONFIG, intervalMs: 1_000 }, () => {}).pass();
    await waitFor("the frozen pass to take the lock", async () => frozen || undefined, 10_000, 20);
    try {
      const other = watchdog({ intervalMs: 60_000 });
      expect(await other.pass()).toBeNull();
      await waitFor("the lock to be free again", async () => (await other.pass()) !== null, 10_000, 100);
    } finally {
      held.release(true);
    }
  });
});

async function executorRow(id: string): Promise<{ stalled: boolean } | undefined> {
  const { rows } = await database.pool.query<{ stalled: boolean }>(`SELECT stalled_at IS NOT NULL AS stalled FROM executor_workers WHERE id = $1`, [id]);
  return rows[0];
}
