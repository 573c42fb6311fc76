import type { InngestFunction } from "inngest";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { CronScheduler, parseCron, SCHEDULED_EVENT } from "@/inngest/executor/cron";
import { Executor } from "@/inngest/executor/executor";
import { compileFunctions, FunctionRegistrationError } from "@/inngest/executor/functions";
import {
  createExecutorDatabase,
  createTestClient,
  runsOf,
  startTestApp,
  TEST_EXECUTOR_KEY,
  waitFor,
  type ExecutorDatabase,
  type TestApp,
} from "@/tests/helpers/executor-harness";
import { ManualClock } from "@/tests/helpers/manual-clock";

const APP = "cron";
const fnId = (id: string) => `${APP}-${id}`;
const QUARTER = "*/15 * * * *";
const PARIS_NOON = "TZ=Europe/Paris 0 12 * * *";

let database: ExecutorDatabase;
let app: TestApp;
const executors: Executor[] = [];
const clock = new ManualClock(new Date("2030-01-01T10:07:00Z"));
const { port, client } = await createTestClient(APP);

/** What each run's function body saw, by function. */
const seen = new Map<string, { name: string; cron: unknown; ts: number | undefined }[]>();

const recorder = (id: string, cron: string) =>
  client.createFunction({ id, triggers: [{ cron }] }, async ({ event, step }) => {
    await step.run("record", () => {
      seen.set(id, [...(seen.get(id) ?? []), { name: event.name, cron: "cron" in event.data ? event.data.cron : undefined, ts: event.ts }]);
    });
  });

const functions: InngestFunction.Any[] = [recorder("quarter", QUARTER), recorder("paris", PARIS_NOON)];

function startExecutor(): Promise<Executor> {
  const executor = new Executor({ databaseUrl: database.url, serveUrl: app.serveUrl, executorKey: TEST_EXECUTOR_KEY, clock, pollMs: 50, log: () => {} });
  executors.push(executor);
  return executor.start().then(() => executor);
}

/** Moves the clock and wakes every executor, as time passing would. */
function moveTo(at: string) {
  clock.set(new Date(at));
  for (const e of executors) e.wake();
}

async function completedRuns(id: string, count: number) {
  return waitFor(`${count} completed run(s) of ${id}`, async () => {
    const runs = await runsOf(database.pool, fnId(id));
    return runs.length === count && runs.every((r) => r.status === "COMPLETED") ? runs : undefined;
  });
}

/** Passes enough scheduling rounds of every executor that a second run would have been created. */
async function settle() {
  for (let i = 0; i < 3; i++) {
    for (const e of executors) e.wake();
    await new Promise((r) => setTimeout(r, 150));
  }
}

beforeAll(async () => {
  database = await createExecutorDatabase(inject("adminDatabaseUrl"), "exec_cron");
  app = await startTestApp({ port, client, functions, pool: database.pool, clock });
  await startExecutor();
  await startExecutor();
});

afterAll(async () => {
  await Promise.all(executors.map((e) => e.stop()));
  await app?.close();
  await database?.cleanup();
});

describe("cron expressions", () => {
  it("reads 5 fields in UTC, or in the zone of a TZ= prefix", () => {
    const utc = parseCron("0 12 * * *");
    expect(utc.timezone).toBe("Etc/UTC");
    expect(utc.pattern.nextRun(new Date("2030-01-01T00:00:00Z"))?.toISOString()).toBe("2030-01-01T12:00:00.000Z");
    const tokyo = parseCron("TZ=Asia/Tokyo 0 12 * * *");
    expect(tokyo.timezone).toBe("Asia/Tokyo");
    expect(tokyo.expression).toBe("TZ=Asia/Tokyo 0 12 * * *");
    expect(tokyo.pattern.nextRun(new Date("2030-01-01T00:00:00Z"))?.toISOString()).toBe("2030-01-01T03:00:00.000Z");
  });

  it("rejects invalid expressions at registration, naming the function and the fault", () => {
    const sync = {
      app_id: "bad",
      functions: [
        { id: "bad-minute", triggers: [{ cron: "61 * * * *" }], steps: {} },
        { id: "bad-zone", triggers: [{ cron: "TZ=Mars/Olympus 0 * * * *" }], steps: {} },
        { id: "bad-seconds", triggers: [{ cron: "0 */5 * * * *" }], steps: {} },
        { id: "bad-words", triggers: [{ cron: "every day" }], steps: {} },
      ],
    };
    const error = (() => {
      try {
        compileFunctions(sync);
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(FunctionRegistrationError);
    const text = String(error);
    expect(text).toContain(`"bad-minute": cron: "61 * * * *" is not a valid cron expression: Invalid value for minute: 61`);
    expect(text).toContain(`"bad-zone": cron: unknown time zone "Mars/Olympus"`);
    expect(text).toContain(`"bad-seconds": cron: "0 */5 * * * *" is not a valid cron expression: mode '5-part' requires exactly 5 parts`);
    expect(text).toContain(`"bad-words": cron: "every day" is not a valid cron expression`);
  });
});

describe("cron triggers in the embedded executor (two executors, one database, manual clock)", () => {
  it("starts nothing for ticks before the function was first registered", async () => {
    await settle();
    expect(await runsOf(database.pool, fnId("quarter"))).toEqual([]);
  });

  it("starts exactly one run per tick, with Inngest's scheduled.timer event", async () => {
    moveTo("2030-01-01T10:15:00.200Z");
    const [run] = await completedRuns("quarter", 1);
    await settle();
    expect(await runsOf(database.pool, fnId("quarter"))).toHaveLength(1);
    expect(seen.get("quarter")).toEqual([{ name: SCHEDULED_EVENT, cron: QUARTER, ts: Date.parse("2030-01-01T10:15:00Z") }]);
    const { rows } = await database.pool.query(`SELECT name, data FROM executor_events WHERE id = $1`, [run.event_id]);
    expect(rows).toEqual([{ name: SCHEDULED_EVENT, data: { cron: QUARTER } }]);
  });

  it("takes a tick once however many schedulers race for it", async () => {
    const specs = executors[0].registered;
    const at = new Date("2030-01-01T10:30:00.100Z");
    // Ten schedulers that know the state already (as running executors do), all firing the same tick at once.
    const schedulers = Array.from({ length: 10 }, () => new CronScheduler(specs));
    await Promise.all(schedulers.map((s) => s.fire(database.pool, new Date("2030-01-01T10:29:00Z"))));
    const started = await Promise.all(schedulers.map((s) => s.fire(database.pool, at)));
    expect(started.reduce((a, b) => a + b, 0)).toBe(1);
    moveTo(at.toISOString());
    await completedRuns("quarter", 2);
    await settle();
    expect(await runsOf(database.pool, fnId("quarter"))).toHaveLength(2);
  });

  it("reads the TZ= prefix: noon in Paris is 11:00 UTC in January", async () => {
    moveTo("2030-01-01T10:59:59.000Z");
    await settle();
    expect(await runsOf(database.pool, fnId("paris"))).toEqual([]);
    moveTo("2030-01-01T11:00:00.000Z");
    await completedRuns("paris", 1);
    expect(seen.get("paris")).toEqual([{ name: SCHEDULED_EVENT, cron: PARIS_NOON, ts: Date.parse("2030-01-01T11:00:00Z") }]);
  });

  it("runs only the latest missed tick after a day without ticks, not one per tick", async () => {
    const before = (await runsOf(database.pool, fnId("quarter"))).length;
    moveTo("2030-01-02T10:20:00.000Z");
    await completedRuns("quarter", before + 1);
    await settle();
    expect(await runsOf(database.pool, fnId("quarter"))).toHaveLength(before + 1);
    expect(seen.get("quarter")!.at(-1)!.ts).toBe(Date.parse("2030-01-02T10:15:00Z"));
    // Paris noon of the second day is still to come; the first day's ran already.
    expect(await runsOf(database.pool, fnId("paris"))).toHaveLength(1);
  });

  it("catches up on the latest missed tick once when executors start again after downtime", async () => {
    const quarter = (await runsOf(database.pool, fnId("quarter"))).length;
    const paris = (await runsOf(database.pool, fnId("paris"))).length;
    await Promise.all(executors.splice(0).map((e) => e.stop()));
    clock.set(new Date("2030-01-02T13:05:00.000Z"));
    await startExecutor();
    await startExecutor();
    await completedRuns("quarter", quarter + 1);
    await settle();
    expect(await runsOf(database.pool, fnId("quarter"))).toHaveLength(quarter + 1);
    expect(seen.get("quarter")!.at(-1)!.ts).toBe(Date.parse("2030-01-02T13:00:00Z"));
    // Paris noon (11:00 UTC) fell in the downtime: it runs once, late.
    await completedRuns("paris", paris + 1);
    expect(seen.get("paris")!.at(-1)!.ts).toBe(Date.parse("2030-01-02T11:00:00Z"));
  });
});
