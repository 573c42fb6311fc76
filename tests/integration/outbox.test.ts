import { spawn, type ChildProcess } from "node:child_process";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { events, publish } from "@/lib/outbox";
import { startOutboxRelay, type OutboxRelay, type RelayedEvent } from "@/lib/outbox/relay";
import { ids } from "@/lib/ids";
import { orgWithEndpoint, startDeliveryPipeline, type DeliveryPipeline } from "@/tests/helpers/delivery-harness";
import { TEST_EXECUTOR_KEY, waitFor } from "@/tests/helpers/executor-harness";
import { startReceiver, type Receiver } from "@/tests/helpers/receiver";
import { waitForRunsToEnd } from "@/tests/helpers/run-barrier";
import { eventMark, publishedSince } from "@/tests/helpers/webhooks-factories";

/**
 * The transactional outbox (lib/outbox). Embedded mode (this process): events are stored with the
 * change that caused them, or not at all. Inngest mode (child processes, `INNGEST_DEV=1`, with this
 * file's embedded executor standing in for Inngest: its ingest route speaks Inngest's event API
 * and drops an event id it has seen): the relay sends what was committed, once, whatever is killed
 * when.
 */

/**
 * The Inngest-mode tests start two to four `node --import tsx` processes, each with waits of up to
 * 60 s that end when their condition holds: a loaded machine takes far longer than the default
 * 30 s test timeout to boot them.
 */
const PROCESS_TEST_TIMEOUT_MS = 240_000;

let pipeline: DeliveryPipeline;
const receivers: Receiver[] = [];
const children: ChildProcess[] = [];
const relays: OutboxRelay[] = [];

beforeAll(async () => {
  pipeline = await startDeliveryPipeline();
}, 60_000);

afterEach(async () => {
  await Promise.all(relays.splice(0).map((r) => r.stop()));
  await Promise.all(children.splice(0).map((c) => kill(c)));
  await db.outboxEvent.deleteMany({});
});

afterAll(async () => {
  await Promise.all(receivers.map((r) => r.close()));
  await pipeline?.close();
});

async function receiver() {
  const r = await startReceiver();
  receivers.push(r);
  return r;
}

function kill(child: ChildProcess, signal: NodeJS.Signals = "SIGKILL"): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once("exit", () => resolve());
    child.kill(signal);
  });
}

/**
 * Nothing more is sent for the message: a marker message committed now by another publishing
 * process goes out through the running relay, which sends events in publication order, so once the
 * marker is delivered the relay has passed the message's event (the door counts what it forwarded
 * by then); and every run the message's events started has ended.
 */
async function quiet(org: { id: string }, door: { baseUrl: string }, r: Receiver, messageId: string) {
  const { child, match } = await inngestModeProcess(["publish", org.id], door.baseUrl, /committed (\S+)/);
  const marker = match[1]!;
  await waitFor("the marker delivered", async () => r.requests.some((q) => q.headers["webhook-id"] === marker), 60_000);
  await kill(child);
  await waitForRunsToEnd(pipeline.database.pool, messageId, 60_000);
  return marker;
}

/**
 * Inngest's event API as the Inngest-mode processes reach it: forwards to this file's ingest route
 * (`open`), refuses (`down`), or forwards and then never answers (`swallow`: Inngest has the event,
 * the sender never hears so).
 */
async function startInngestDoor() {
  const state = { mode: "open" as "open" | "down" | "swallow", forwarded: 0 };
  const target = `http://127.0.0.1:${pipeline.app.port}`;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      void (async () => {
        if (state.mode === "down") return void res.writeHead(503, { "content-type": "application/json" }).end('{"error":"down","status":503}');
        const answer = await fetch(target + req.url, { method: req.method, headers: { "content-type": "application/json" }, body: Buffer.concat(chunks) });
        state.forwarded++;
        if (state.mode === "swallow") return;
        res.writeHead(answer.status, { "content-type": "application/json" }).end(Buffer.from(await answer.arrayBuffer()));
      })();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    state,
    baseUrl: `http://127.0.0.1:${port}/api/inngest/`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** tests/helpers/outbox-process.ts in Inngest mode; resolves with the first output line matching `ready`. */
function inngestModeProcess(args: string[], inngestBaseUrl: string, ready: RegExp): Promise<{ child: ChildProcess; match: RegExpMatchArray }> {
  const root = path.resolve(import.meta.dirname, "../..");
  const child = spawn(process.execPath, ["--import", "tsx", path.join(root, "tests/helpers/outbox-process.ts"), ...args], {
    cwd: root,
    env: {
      PATH: process.env.PATH ?? "",
      HOME: process.env.HOME ?? "",
      NODE_ENV: "test",
      DATABASE_URL: pipeline.database.url,
      INNGEST_DEV: "1",
      INNGEST_BASE_URL: inngestBaseUrl,
      INNGEST_EVENT_KEY: TEST_EXECUTOR_KEY,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.push(child);
  let output = "";
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${ready} from ${args.join(" ")} within 60 s:\n${output}`)), 60_000);
    child.stdout!.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      const match = output.match(ready);
      if (match) {
        clearTimeout(timer);
        resolve({ child, match });
      }
    });
    child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`${args.join(" ")} exited (${code}) before ${ready}:\n${output}`));
    });
  });
}

/** What the engine knows of a message's one delivery: its events and the runs they started. */
async function engineSide(messageId: string) {
  const delivery = await db.delivery.findFirstOrThrow({ where: { messageId } });
  const stored = await db.$queryRaw<{ id: string }[]>`
    SELECT id FROM executor_events WHERE name = 'delivery/requested' AND data->>'deliveryId' = ${delivery.id}`;
  const runs = await db.$queryRaw<{ n: number }[]>`
    SELECT count(*)::int AS n FROM executor_runs WHERE event_id = ANY(${stored.map((e) => e.id)}::text[]) OR batch_event_ids && ${stored.map((e) => e.id)}::text[]`;
  const outbox = await db.outboxEvent.findMany({ where: { name: "delivery/requested" } });
  const mine = outbox.filter((o) => (o.data as { deliveryId?: string }).deliveryId === delivery.id);
  return { delivery, events: stored.length, runs: runs[0]!.n, outbox: mine };
}

describe("publishing with the change (embedded executor)", () => {
  it("stores events only when the transaction that published them commits", async () => {
    const ref = { organizationId: ids.organization.of("org-outbox"), endpointId: ids.endpoint.generate() };
    const mark = await eventMark();
    await expect(
      db.$transaction(async (tx) => {
        await publish(tx, [events.endpointStopped("disabled", ref)]);
        throw new Error("the change failed after publishing");
      }),
    ).rejects.toThrow("the change failed after publishing");
    expect(await publishedSince(mark)).toEqual([]);
    await db.$transaction((tx) => publish(tx, [events.endpointStopped("deleted", ref)]));
    expect(await publishedSince(mark)).toEqual([expect.objectContaining({ name: "endpoint/deleted", data: ref })]);
  });

  it("publishes an event with the publisher's id once, however often it is published", async () => {
    const ref = {
      deliveryId: ids.delivery.generate(),
      organizationId: ids.organization.of("org-outbox"),
      endpointId: ids.endpoint.generate(),
      messageId: ids.message.generate(),
    };
    const mark = await eventMark();
    for (let i = 0; i < 3; i++) await publish(db, [events.deliveryRequested(ref, { id: `replay-${ref.deliveryId}` })]);
    expect(await publishedSince(mark)).toEqual([{ name: "delivery/requested", data: ref, id: `replay-${ref.deliveryId}` }]);
  });
});

describe("the relay (Inngest mode)", () => {
  async function queue(count: number) {
    const now = Date.now();
    const rows = Array.from({ length: count }, (_, i) => ({ id: `evt-${now}-${String(i).padStart(4, "0")}`, name: "test/relayed", data: { n: i }, ts: BigInt(now) }));
    // One row at a time: `seq` then follows the order of publication.
    for (const row of rows) await db.outboxEvent.create({ data: row });
    return rows.map((r) => r.id);
  }

  it("sends what was published in order, with each event's id, and marks it sent", async () => {
    const published = await queue(5);
    const sent: RelayedEvent[] = [];
    const relay = await startOutboxRelay({ databaseUrl: pipeline.database.url, send: async (batch) => void sent.push(...batch), log: () => {} });
    relays.push(relay);
    await waitFor("every event sent", async () => sent.length === 5);
    expect(sent.map((e) => e.id)).toEqual(published);
    expect(sent[2]).toMatchObject({ name: "test/relayed", data: { n: 2 } });
    await waitFor("every event marked sent", async () => (await db.outboxEvent.count({ where: { sentAt: null } })) === 0);
  });

  it("wakes at once when a transaction publishes, not at its next poll", async () => {
    const sent: RelayedEvent[] = [];
    const relay = await startOutboxRelay({ databaseUrl: pipeline.database.url, send: async (batch) => void sent.push(...batch), pollMs: 60_000, log: () => {} });
    relays.push(relay);
    await waitFor("the first pass", async () => true);
    await queue(1);
    await db.$executeRaw`SELECT pg_notify('hookrelay_outbox', '')`;
    await waitFor("the event sent within seconds, though the relay polls every minute", async () => sent.length === 1, 5_000);
  });

  it("keeps what Inngest refused and sends it again after a backoff that grows, logging each failure", async () => {
    const [id] = await queue(1);
    let refusals = 2;
    const sent: RelayedEvent[] = [];
    const logged: string[] = [];
    const relay = await startOutboxRelay({
      databaseUrl: pipeline.database.url,
      send: async (batch) => {
        if (refusals-- > 0) throw new Error("Inngest API 503");
        sent.push(...batch);
      },
      baseMs: 300,
      pollMs: 50,
      log: (line) => logged.push(line),
    });
    relays.push(relay);
    const first = await waitFor("the first refusal", async () => {
      const row = await db.outboxEvent.findUniqueOrThrow({ where: { id } });
      return row.attempts === 1 ? row : undefined;
    });
    expect(first).toMatchObject({ sentAt: null, lastError: "Inngest API 503" });
    const second = await waitFor("the second refusal", async () => {
      const row = await db.outboxEvent.findUniqueOrThrow({ where: { id } });
      return row.attempts === 2 ? row : undefined;
    });
    // 300 ms after the first failure, then 600 ms after the second.
    expect(second.nextAttemptAt.getTime() - first.nextAttemptAt.getTime()).toBeGreaterThanOrEqual(500);
    await waitFor("sent on the third try", async () => sent.length === 1);
    // The relay marks it sent once the send has returned: a moment after `sent` has it.
    await waitFor("marked sent", async () => (await db.outboxEvent.findUniqueOrThrow({ where: { id } })).sentAt !== null);
    expect(sent).toHaveLength(1);
    expect(logged.filter((l) => /failed, retrying with backoff: Inngest API 503/.test(l))).toHaveLength(2);
  });

  it("never sends one event twice when two relays share the database", async () => {
    const published = await queue(300);
    const sent: string[] = [];
    let inFlight = 0;
    const send = async (batch: RelayedEvent[]) => {
      inFlight++;
      try {
        // A send that takes a while keeps its batch locked while the other relay looks.
        await new Promise((r) => setTimeout(r, 20));
        sent.push(...batch.map((e) => e.id));
      } finally {
        inFlight--;
      }
    };
    relays.push(await startOutboxRelay({ databaseUrl: pipeline.database.url, send, batchSize: 25, log: () => {} }));
    relays.push(await startOutboxRelay({ databaseUrl: pipeline.database.url, send, batchSize: 25, log: () => {} }));
    await waitFor("every event sent", async () => sent.length >= 300, 20_000);
    // Barrier instead of a quiet period: a marker published after them is sent (the relays take
    // events in publication order), and neither relay has a send in flight.
    const [marker] = await queue(1);
    await waitFor("the marker sent and no send in flight", async () => sent.includes(marker!) && inFlight === 0, 20_000);
    expect(sent.length).toBe(301);
    expect(new Set(sent)).toEqual(new Set([...published, marker]));
  });
});

describe("a crash of the publishing process (Inngest mode)", () => {
  it("SIGKILLed after the commit, before any relay ran: the next process's relay sends it, and it is delivered once", async () => {
    const door = await startInngestDoor();
    try {
      const r = await receiver();
      const { org } = await orgWithEndpoint(`${r.url}/hook`);
      const { child, match } = await inngestModeProcess(["publish", org.id], door.baseUrl, /committed (\S+)/);
      await kill(child);
      const messageId = match[1]!;
      const before = await engineSide(messageId);
      expect(before.outbox).toHaveLength(1);
      expect(before.outbox[0]!.sentAt).toBeNull();
      expect(before.events).toBe(0);

      await inngestModeProcess(["relay"], door.baseUrl, /relay started/);
      await r.waitForRequests(1, 30_000);
      await waitFor("the delivery recorded", async () => (await engineSide(messageId)).delivery.status === "SUCCEEDED", 30_000);
      await waitFor("the event marked sent", async () => (await engineSide(messageId)).outbox[0]!.sentAt !== null);
      await quiet(org, door, r, messageId);
      expect(r.requests.filter((q) => q.headers["webhook-id"] === messageId)).toHaveLength(1);
      expect(r.total).toBe(2);
      expect(await engineSide(messageId)).toMatchObject({ events: 1, runs: 1 });
      // The message's event and the marker's, each once.
      expect(door.state.forwarded).toBe(2);
    } finally {
      await door.close();
    }
  }, PROCESS_TEST_TIMEOUT_MS);

  it("a scheduled message (deliverAt) goes out as delivery/retry.due, and Inngest's run delivers it at its time, not earlier", async () => {
    const door = await startInngestDoor();
    try {
      const r = await receiver();
      const { org } = await orgWithEndpoint(`${r.url}/hook`);
      const { child, match } = await inngestModeProcess(["publish", org.id, "3000"], door.baseUrl, /committed (\S+)/);
      await kill(child);
      const message = await db.message.findUniqueOrThrow({ where: { id: match[1]! }, include: { deliveries: true } });
      const deliverAt = message.deliverAt!;
      const outbox = await db.outboxEvent.findMany({ where: { name: "delivery/retry.due" } });
      expect(outbox.map((o) => o.data)).toEqual([
        { deliveryId: message.deliveries[0]!.id, organizationId: org.id, endpointId: message.deliveries[0]!.endpointId, messageId: message.id, attempt: 1, at: deliverAt.toISOString() },
      ]);
      await inngestModeProcess(["relay"], door.baseUrl, /relay started/);
      const [request] = await r.waitForRequests(1, 30_000);
      expect(request!.receivedAt).toBeGreaterThanOrEqual(deliverAt.getTime());
      await waitFor("the delivery recorded", async () => (await db.delivery.findFirstOrThrow({ where: { messageId: message.id } })).status === "SUCCEEDED", 30_000);
    } finally {
      await door.close();
    }
  }, PROCESS_TEST_TIMEOUT_MS);

  it("SIGKILLed while its send was in flight (Inngest had it, the relay never heard): sent again with the same id, started once, delivered once", async () => {
    const door = await startInngestDoor();
    try {
      const r = await receiver();
      const { org } = await orgWithEndpoint(`${r.url}/hook`);
      const { child: publisher, match } = await inngestModeProcess(["publish", org.id], door.baseUrl, /committed (\S+)/);
      await kill(publisher);
      const messageId = match[1]!;

      door.state.mode = "swallow";
      const { child: relay } = await inngestModeProcess(["relay"], door.baseUrl, /relay started/);
      await waitFor("Inngest to have the event", async () => door.state.forwarded === 1, 30_000);
      await kill(relay);
      expect((await engineSide(messageId)).outbox[0]!.sentAt).toBeNull();

      door.state.mode = "open";
      await inngestModeProcess(["relay"], door.baseUrl, /relay started/);
      await waitFor("the event sent again and marked sent", async () => (await engineSide(messageId)).outbox[0]!.sentAt !== null, 30_000);
      expect(door.state.forwarded).toBe(2);
      await r.waitForRequests(1, 30_000);
      await waitFor("the delivery recorded", async () => (await engineSide(messageId)).delivery.status === "SUCCEEDED", 30_000);
      await quiet(org, door, r, messageId);
      expect(r.requests.filter((q) => q.headers["webhook-id"] === messageId)).toHaveLength(1);
      expect(r.total).toBe(2);
      // Nothing of the message's was forwarded a third time: only the marker's event since.
      expect(door.state.forwarded).toBe(3);
      // The second send carried the same id: Inngest (here, the ingest route) stored it once and started one run.
      expect(await engineSide(messageId)).toMatchObject({ events: 1, runs: 1 });
    } finally {
      await door.close();
    }
  }, PROCESS_TEST_TIMEOUT_MS);
});
