import { randomUUID } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { attempt } from "@/lib/delivery/attempt";
import { createGuardedAgents } from "@/lib/delivery/guarded-agent";
import {
  prismaTransactions,
  RATE_LIMIT_WINDOW_MS,
  type TransactionRunner,
  tryReserveSend,
  waitForSendSlot,
} from "@/lib/delivery/rate-limit";
import { generateSecret } from "@/lib/delivery/sign";
import { parseCidrList } from "@/lib/delivery/ssrf";
import { createPrismaClient } from "@/lib/db";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { pgPoolTransactions } from "@/tests/helpers/pg-transactions";
import { type Receiver, startReceiver } from "@/tests/helpers/receiver";

/** Two independent connection pools stand for two executor processes. */
let pool: pg.Pool;
let prisma: PrismaClient;
let processA: TransactionRunner;
let processB: TransactionRunner;
let receiver: Receiver;
const agents = createGuardedAgents({ allowed: parseCidrList("127.0.0.0/8") });
const margin = { marginMs: 100 };
/**
 * The database's clock_timestamp() and this process's Date.now() read the same system clock (the
 * embedded cluster runs here), but Date.now() drops the microseconds and a TEST_DATABASE_URL may
 * live on another NTP-synced host.
 */
const CLOCK_TOLERANCE_MS = 50;

beforeAll(async () => {
  pool = new pg.Pool({ connectionString: inject("databaseUrl"), max: 10 });
  prisma = createPrismaClient(inject("databaseUrl"));
  processA = pgPoolTransactions(pool);
  processB = prismaTransactions(prisma);
  receiver = await startReceiver();
});

afterAll(async () => {
  agents.destroy();
  await Promise.all([pool.end(), prisma.$disconnect(), receiver.close()]);
});

/** The largest number of `times` (ms) that fall in any window [t, t + windowMs). */
function busiestWindow(times: number[], windowMs: number): number {
  // A window of zero or less holds nothing, so any times would pass: refuse it.
  if (windowMs <= 0) throw new RangeError(`a window must be positive; got ${windowMs} ms`);
  const sorted = [...times].sort((a, b) => a - b);
  let best = 0;
  for (let i = 0, j = 0; j < sorted.length; j++) {
    while (sorted[j] - sorted[i] >= windowMs) i++;
    best = Math.max(best, j - i + 1);
  }
  return best;
}

describe("per-endpoint rate limit", () => {
  it("grants N sends in a window, then refuses with the time until a slot frees", async () => {
    // A window long enough that four reservations in a row fit in it even on a loaded machine.
    const long = { marginMs: 4_000 };
    const endpoint = `ep_${randomUUID()}`;
    const decisions = [];
    for (let i = 0; i < 4; i++) decisions.push(await tryReserveSend(i % 2 ? processA : processB, endpoint, 3, long));
    expect(decisions.map((d) => d.allowed)).toEqual([true, true, true, false]);
    const [first] = decisions;
    const refused = decisions[3];
    if (!first.allowed || refused.allowed) throw new Error("unexpected decision");
    expect(refused.retryInMs).toBeGreaterThan(0);
    expect(refused.retryInMs).toBeLessThanOrEqual(RATE_LIMIT_WINDOW_MS + long.marginMs);
    await new Promise((resolve) => setTimeout(resolve, refused.retryInMs));
    const later = await tryReserveSend(processA, endpoint, 3, long);
    expect(later.allowed).toBe(true);
    if (later.allowed) expect(later.reservedAt - first.reservedAt).toBeGreaterThanOrEqual(RATE_LIMIT_WINDOW_MS + long.marginMs);
  }, 30_000);

  it("counts a send at the moment it is granted, not when its transaction began waiting for the lock", async () => {
    const endpoint = `ep_${randomUUID()}`;
    let lockTaken!: () => void;
    const taken = new Promise<void>((resolve) => (lockTaken = resolve));
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    // Process A takes the endpoint's lock and keeps it until the test lets go.
    const holding: TransactionRunner = (work) =>
      processA((query) =>
        work(async <Row>(sql: string, params: readonly unknown[]) => {
          const rows = await query<Row>(sql, params);
          if (sql.includes("pg_advisory_xact_lock")) {
            lockTaken();
            await released;
          }
          return rows;
        }),
      );
    const first = tryReserveSend(holding, endpoint, 5, margin);
    await taken;
    const second = tryReserveSend(processB, endpoint, 5, margin);
    // Barrier: B's transaction is open and queued on the advisory lock.
    const deadline = Date.now() + 20_000;
    for (;;) {
      const { rows } = await pool.query(
        `SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND NOT granted AND objid::bigint = (hashtext($1)::bigint & 4294967295)`,
        [endpoint],
      );
      if (rows[0].n > 0) break;
      if (Date.now() > deadline) throw new Error("the second reservation never queued on the lock");
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    // Let the wait last well beyond the clocks' tolerance, so a time read at the transaction's start shows.
    await new Promise((resolve) => setTimeout(resolve, 4 * CLOCK_TOLERANCE_MS));
    const releasedAt = Date.now();
    release();
    const [a, b] = await Promise.all([first, second]);
    if (!a.allowed || !b.allowed) throw new Error("unexpected refusal");
    expect(b.reservedAt).toBeGreaterThanOrEqual(releasedAt - CLOCK_TOLERANCE_MS);
    expect(b.reservedAt).toBeGreaterThan(a.reservedAt);
  });

  it("counts each endpoint separately", async () => {
    const [a, b] = [`ep_${randomUUID()}`, `ep_${randomUUID()}`];
    const long = { marginMs: 4_000 };
    expect((await tryReserveSend(processA, a, 1, long)).allowed).toBe(true);
    expect((await tryReserveSend(processA, b, 1, long)).allowed).toBe(true);
    expect((await tryReserveSend(processB, a, 1, long)).allowed).toBe(false);
  });

  it("prunes sends that left the window, so the table holds at most N rows per endpoint", async () => {
    const endpoint = `ep_${randomUUID()}`;
    for (let i = 0; i < 2; i++) await tryReserveSend(processA, endpoint, 2, { marginMs: 0 });
    await new Promise((resolve) => setTimeout(resolve, RATE_LIMIT_WINDOW_MS + 20));
    await tryReserveSend(processA, endpoint, 2, { marginMs: 0 });
    const { rows } = await pool.query(`SELECT count(*)::int AS n FROM "DeliveryRateSend" WHERE "endpointId" = $1`, [endpoint]);
    expect(rows[0].n).toBe(1);
  });

  it("rejects a limit that is not a positive whole number", async () => {
    await expect(tryReserveSend(processA, "ep", 0, margin)).rejects.toThrow(/at least 1; got 0/);
    await expect(tryReserveSend(processA, "ep", 1.5, margin)).rejects.toThrow(/whole number/);
  });

  it("holds at the receiver for a burst from two processes, and drops nothing", async () => {
    const endpoint = `ep_${randomUUID()}`;
    const limit = 5;
    const burst = 3 * limit;
    const secret = generateSecret();
    const started = Date.now();
    // Every send is allowed within maxWaitMs, or the test fails: that bounds how long the burst takes.
    const sends = await Promise.all(
      Array.from({ length: burst }, async (_, i) => {
        const askedAt = Date.now();
        const decision = await waitForSendSlot(i % 2 ? processA : processB, endpoint, limit, { ...margin, maxWaitMs: 10_000 });
        const grantedAt = Date.now();
        if (!decision.allowed) throw new Error(`send ${i} was never allowed`);
        const outcome = await attempt({ url: `${receiver.url}/limited`, messageId: `msg_${i}`, body: "{}", secrets: [secret] }, { agents, timeoutMs: 5_000 });
        expect(outcome.ok).toBe(true);
        return { askedAt, grantedAt, reservedAt: decision.reservedAt };
      }),
    );
    const reservations = sends.map((s) => s.reservedAt);
    const requests = await receiver.waitForRequests(burst);
    expect(new Set(requests.map((r) => r.headers["webhook-id"])).size).toBe(burst);
    expect(busiestWindow(reservations, RATE_LIMIT_WINDOW_MS + margin.marginMs)).toBeLessThanOrEqual(limit);
    // The window above is only as true as the times it is computed on. Each reservation is the
    // moment of its own grant (inside the call that returned it, not backdated or postdated), and
    // each request reached the receiver after its reservation: no send went before its slot. At
    // the receiver the window then shrinks by how unevenly requests travelled, a distance a loaded
    // machine can stretch past the window itself, so it is not asserted there.
    for (const send of sends) {
      expect(send.reservedAt).toBeGreaterThanOrEqual(send.askedAt - CLOCK_TOLERANCE_MS);
      expect(send.reservedAt).toBeLessThanOrEqual(send.grantedAt + CLOCK_TOLERANCE_MS);
    }
    for (const request of requests) {
      const send = sends[Number(String(request.headers["webhook-id"]).slice(4))]!;
      expect(request.receivedAt).toBeGreaterThanOrEqual(send.reservedAt - CLOCK_TOLERANCE_MS);
    }
    // Three windows' worth: the first goes at once, the last at least two windows later.
    expect(Date.now() - started).toBeGreaterThanOrEqual(2 * (RATE_LIMIT_WINDOW_MS + margin.marginMs) - 50);
  });
});
