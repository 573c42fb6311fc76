import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { MetricJson } from "@/lib/observability/metrics";
import { closeDatabaseGauges, databaseGauges } from "@/lib/observability/metrics-db";
import { freePort } from "@/scripts/lib/test-database";
import { createExecutorDatabase, type ExecutorDatabase } from "@/tests/helpers/executor-harness";

/**
 * The gauges `/metrics` reads from PostgreSQL (docs/operations.md), which the README's
 * HookRelayBacklogStuck and HookRelayMetricsDatabaseDown alerts rely on: the backlog and its
 * oldest age from deliveries written at known times, on a database of this file's own (the
 * gauges are platform-wide, so the shared test database would count other files' deliveries);
 * then a database that does not answer, and one that answers too slowly.
 */

let database: ExecutorDatabase;
const savedUrl = process.env.DATABASE_URL;
const DUE = new Date("2030-01-01T00:00:00.000Z");

beforeAll(async () => {
  database = await createExecutorDatabase(inject("adminDatabaseUrl"), "metrics_db");
  process.env.DATABASE_URL = database.url;
  const q = (text: string, values: unknown[] = []) => database.pool.query(text, values);
  await q(`INSERT INTO "Organization" (id, name, slug, "updatedAt") VALUES ('org_gauges', 'Gauges', 'gauges', now())`);
  await q(`INSERT INTO "Endpoint" (id, "organizationId", url, "updatedAt") VALUES ('ep_gauges', 'org_gauges', 'http://127.0.0.1:9/hook', now())`);
});

afterAll(async () => {
  await closeDatabaseGauges();
  process.env.DATABASE_URL = savedUrl;
  await database?.cleanup();
});

function value(gauges: MetricJson[], name: string): number | undefined {
  return gauges.find((g) => g.name === name)?.values[0]?.value;
}

/** A message's delivery, next due at `nextAttemptAt`; `timestamp without time zone` columns hold UTC. */
async function delivery(id: string, attemptCount: number, nextAttemptAt: Date, status = "PENDING") {
  await database.pool.query(`INSERT INTO "Message" (id, "organizationId", "eventType", body) VALUES ('msg_' || $1, 'org_gauges', 'contract.created', '{}')`, [id]);
  await database.pool.query(
    `INSERT INTO "Delivery" (id, "organizationId", "messageId", "endpointId", status, "attemptCount", "nextAttemptAt", "updatedAt")
     VALUES ($1, 'org_gauges', 'msg_' || $1, 'ep_gauges', $2::"DeliveryStatus", $3, ($4::timestamptz AT TIME ZONE 'UTC'), now())`,
    [id, status, attemptCount, nextAttemptAt.toISOString()],
  );
}

describe("the database gauges", () => {
  it("count a due, unattempted delivery in the backlog with its wait as the oldest age, and nothing once it is attempted", async () => {
    const empty = await databaseGauges(new Date(DUE.getTime() + 42_000));
    expect(value(empty, "hookrelay_metrics_database_up")).toBe(1);
    expect(value(empty, "hookrelay_delivery_backlog")).toBe(0);
    expect(value(empty, "hookrelay_delivery_backlog_oldest_age_seconds")).toBe(0);

    await delivery("dlv_due", 0, DUE);
    // Neither counts in the backlog: one finished, one not due yet.
    await delivery("dlv_done", 1, DUE, "SUCCEEDED");
    await delivery("dlv_later", 0, new Date(DUE.getTime() + 3_600_000));
    const due = await databaseGauges(new Date(DUE.getTime() + 42_000));
    expect(value(due, "hookrelay_metrics_database_up")).toBe(1);
    expect(value(due, "hookrelay_delivery_backlog")).toBe(1);
    expect(value(due, "hookrelay_delivery_backlog_oldest_age_seconds")).toBe(42);
    expect(value(due, "hookrelay_delivery_retries_pending")).toBe(0);

    // Its first attempt failed and a retry is scheduled: no longer in the backlog, a retry pending.
    await database.pool.query(`UPDATE "Delivery" SET "attemptCount" = 1, "nextAttemptAt" = "nextAttemptAt" + interval '5 minutes' WHERE id = 'dlv_due'`);
    const attempted = await databaseGauges(new Date(DUE.getTime() + 43_000));
    expect(value(attempted, "hookrelay_delivery_backlog")).toBe(0);
    expect(value(attempted, "hookrelay_delivery_backlog_oldest_age_seconds")).toBe(0);
    expect(value(attempted, "hookrelay_delivery_retries_pending")).toBe(1);
    await database.pool.query(`DELETE FROM "Delivery"`);
  });

  it("leave out the deliveries of an organization staff disabled: they wait on purpose (README's HookRelayBacklogStuck stays quiet)", async () => {
    await delivery("dlv_held", 0, DUE);
    await delivery("dlv_held_retry", 1, new Date(DUE.getTime() + 3_600_000));
    const counted = await databaseGauges(new Date(DUE.getTime() + 60_000));
    expect(value(counted, "hookrelay_delivery_backlog")).toBe(1);
    expect(value(counted, "hookrelay_delivery_retries_pending")).toBe(1);
    await database.pool.query(`UPDATE "Organization" SET "disabledAt" = now() WHERE id = 'org_gauges'`);
    try {
      const held = await databaseGauges(new Date(DUE.getTime() + 60_000));
      expect(value(held, "hookrelay_delivery_backlog")).toBe(0);
      expect(value(held, "hookrelay_delivery_backlog_oldest_age_seconds")).toBe(0);
      expect(value(held, "hookrelay_delivery_retries_pending")).toBe(0);
    } finally {
      await database.pool.query(`UPDATE "Organization" SET "disabledAt" = NULL WHERE id = 'org_gauges'`);
      await database.pool.query(`DELETE FROM "Delivery"`);
    }
  });

  it("read through one connection of their own, however many scrapes run at once", async () => {
    await Promise.all(Array.from({ length: 4 }, () => databaseGauges()));
    const { rows } = await database.pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = 'hookrelay-metrics' AND datname = current_database()`,
    );
    expect(rows[0]!.n).toBe(1);
  });

  it("leave the gauges out and report database_up 0 when PostgreSQL takes more than 5 s", async () => {
    const holder = await database.pool.connect();
    try {
      await holder.query("BEGIN");
      await holder.query(`LOCK TABLE "Delivery" IN ACCESS EXCLUSIVE MODE`);
      const errors: unknown[] = [];
      const started = performance.now();
      const gauges = await databaseGauges(new Date(), (error) => errors.push(error));
      const ms = performance.now() - started;
      expect(gauges.map((g) => g.name)).toEqual(["hookrelay_metrics_database_up"]);
      expect(value(gauges, "hookrelay_metrics_database_up")).toBe(0);
      expect(String(errors[0])).toMatch(/statement timeout/);
      expect(ms).toBeGreaterThanOrEqual(4_900);
      expect(ms).toBeLessThan(15_000);
    } finally {
      await holder.query("ROLLBACK");
      holder.release();
    }
  }, 30_000);

  it("leave the gauges out and report database_up 0 when PostgreSQL does not answer", async () => {
    await closeDatabaseGauges();
    process.env.DATABASE_URL = `postgresql://hookrelay@127.0.0.1:${await freePort()}/hookrelay`;
    try {
      const errors: unknown[] = [];
      const gauges = await databaseGauges(new Date(), (error) => errors.push(error));
      expect(gauges.map((g) => g.name)).toEqual(["hookrelay_metrics_database_up"]);
      expect(value(gauges, "hookrelay_metrics_database_up")).toBe(0);
      expect(gauges.some((g) => g.name === "hookrelay_delivery_backlog")).toBe(false);
      expect(errors).toHaveLength(1);
    } finally {
      await closeDatabaseGauges();
      process.env.DATABASE_URL = database.url;
    }
  });
});
