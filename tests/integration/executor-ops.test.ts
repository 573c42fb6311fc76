import net from "node:net";
import { NonRetriableError, RetryAfterError, type InngestFunction } from "inngest";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { ManualClock } from "@/tests/helpers/manual-clock";
import { Executor } from "@/inngest/executor/executor";
import { dispatchEvents } from "@/inngest/executor/dispatch";
import { FunctionRegistrationError } from "@/inngest/executor/functions";
import { EXECUTOR_KEY_HEADER } from "@/inngest/executor/auth";
import {
  createExecutorDatabase,
  createTestClient,
  runsOf,
  startTestApp,
  stepsOf,
  TEST_EXECUTOR_KEY,
  waitFor,
  type ExecutorDatabase,
  type RunRow,
  type TestApp,
} from "@/tests/helpers/executor-harness";

const APP = "ops";
const fnId = (id: string) => `${APP}-${id}`;

let database: ExecutorDatabase;
let app: TestApp;
let executor: Executor;
const clock = new ManualClock(new Date("2030-01-01T00:00:00Z"));
/** Step bodies executed, by label (the functions run in this process, behind the real serve handler). */
const calls = new Map<string, number>();
const called = (label: string) => calls.set(label, (calls.get(label) ?? 0) + 1);
const count = (label: string) => calls.get(label) ?? 0;
const concurrent = { now: 0, max: 0 };

const { port, client } = await createTestClient(APP);

const doomed = client.createFunction(
  {
    id: "doomed",
    triggers: { event: "test/doomed" },
    onFailure: async ({ error, event, step }) => {
      await step.run("report", () => called(`doomed-failure:${error.message}:${String(event.data.event.data.why)}`));
    },
  },
  async ({ step }) => {
    await step.run("fatal", () => {
      called("doomed");
      throw new NonRetriableError("no point retrying");
    });
  },
);

const functions: InngestFunction.Any[] = [
  client.createFunction({ id: "steps", triggers: { event: "test/steps" } }, async ({ event, step }) => {
    const a = await step.run("a", () => {
      called(`steps-a-${event.data.n}`);
      return { value: Number(event.data.n) * 2 };
    });
    const b = await step.run("b", () => {
      called(`steps-b-${event.data.n}`);
      return a.value + 1;
    });
    return { b };
  }),
  client.createFunction({ id: "sleeper", triggers: { event: "test/sleep" } }, async ({ step }) => {
    await step.run("before", () => called("sleep-before"));
    // The SDK's own duration parser reads no compound strings; milliseconds reach the executor as "1h30m".
    await step.sleep("wait", 90 * 60_000);
    await step.run("after", () => called("sleep-after"));
    return "rested";
  }),
  client.createFunction({ id: "until", triggers: { event: "test/until" } }, async ({ event, step }) => {
    await step.sleepUntil("until", new Date(String(event.data.at)));
    return step.run("after", () => called("until-after"));
  }),
  client.createFunction({ id: "sender", triggers: { event: "test/send" } }, async ({ step }) => {
    await step.sendEvent("fan-out", [
      { name: "test/child", data: { i: 1 } },
      { name: "test/child", data: { i: 2 } },
    ]);
  }),
  client.createFunction({ id: "child", triggers: { event: "test/child" } }, async ({ event, step }) => {
    return step.run("child", () => Number(event.data.i) * 10);
  }),
  client.createFunction({ id: "parallel", triggers: { event: "test/parallel" } }, async ({ step }) => {
    const [x, y] = await Promise.all([step.run("x", () => 3), step.run("y", () => 4)]);
    return step.run("sum", () => x + y);
  }),
  client.createFunction({ id: "flaky", triggers: { event: "test/flaky" } }, async ({ step }) => {
    return step.run("flaky", () => {
      called("flaky");
      if (count("flaky") < 3) throw new Error(`boom ${count("flaky")}`);
      return "finally";
    });
  }),
  client.createFunction({ id: "busy", triggers: { event: "test/busy" } }, async ({ step }) => {
    return step.run("busy", () => {
      called("busy");
      if (count("busy") === 1) throw new RetryAfterError("receiver busy", "45s");
      return "done";
    });
  }),
  doomed,
  client.createFunction({ id: "limited", retries: 1, triggers: { event: "test/limited" } }, async ({ step }) => {
    await step.run("always-fails", () => {
      called("limited");
      throw new Error("still broken");
    });
  }),
  client.createFunction(
    { id: "cancellable", triggers: { event: "test/cancellable" }, cancelOn: [{ event: "test/stop", match: "data.key" }] },
    async ({ event, step }) => {
      await step.run("first", () => called(`cancellable-first-${event.data.key}`));
      await step.sleep("pause", "1h");
      await step.run("second", () => called(`cancellable-second-${event.data.key}`));
    },
  ),
  client.createFunction({ id: "once", idempotency: "event.data.userId", triggers: { event: "test/once" } }, async ({ step }) => {
    await step.run("once", () => called("once"));
  }),
  client.createFunction(
    { id: "serial", concurrency: { limit: 1, key: "event.data.group" }, triggers: { event: "test/serial" } },
    async ({ event, step }) => {
      await step.run("work", async () => {
        concurrent.now++;
        concurrent.max = Math.max(concurrent.max, concurrent.now);
        await new Promise((r) => setTimeout(r, 60));
        concurrent.now--;
        called(`serial-${event.data.group}`);
      });
    },
  ),
  client.createFunction(
    { id: "batcher", triggers: { event: "test/batch" }, batchEvents: { maxSize: 3, timeout: "60s", key: "event.data.group" } },
    async ({ events, step }) => {
      return step.run("collect", () => {
        called(`batch:${events.map((e: { data: Record<string, unknown> }) => `${String(e.data.group)}${String(e.data.i)}`).join(",")}`);
        return events.length;
      });
    },
  ),
  client.createFunction({ id: "waiter", triggers: { event: "test/wait" } }, async ({ step }) => {
    await step.waitForEvent("reply", { event: "test/reply", timeout: "1h" });
  }),
];

beforeAll(async () => {
  database = await createExecutorDatabase(inject("adminDatabaseUrl"), "exec_ops");
  app = await startTestApp({ port, client, functions, pool: database.pool, clock });
  executor = new Executor({
    databaseUrl: database.url,
    serveUrl: app.serveUrl,
    executorKey: TEST_EXECUTOR_KEY,
    clock,
    pollMs: 50,
    retryBaseMs: 1_000,
    log: () => {},
  });
  await executor.start();
});

afterAll(async () => {
  await executor?.stop();
  await app?.close();
  await database?.cleanup();
});

async function onlyRun(id: string, status: string, timeoutMs = 10_000): Promise<RunRow> {
  return waitFor(`${id} to be ${status}`, async () => {
    const runs = await runsOf(database.pool, fnId(id));
    return runs.length === 1 && runs[0].status === status ? runs[0] : undefined;
  }, timeoutMs);
}

/** Moves the manual clock to the run's wake-up and wakes the executor. */
function jumpTo(run: RunRow) {
  expect(run.wake_at).toBeInstanceOf(Date);
  clock.set(run.wake_at!);
  executor.wake();
}

describe("embedded executor ops (real SDK through the real serve handler)", () => {
  it("runs steps in order, memoizing each, and records the output", async () => {
    await client.send({ name: "test/steps", data: { n: 5 } });
    const run = await onlyRun("steps", "COMPLETED");
    expect(run.output).toEqual({ b: 11 });
    expect((await stepsOf(database.pool, run.id)).map((s) => [s.name, s.op, s.data])).toEqual([
      ["a", "StepRun", { value: 10 }],
      ["b", "StepRun", 11],
    ]);
    expect(count("steps-a-5")).toBe(1);
    expect(count("steps-b-5")).toBe(1);
  });

  it("sleeps 1h30m under the injected clock, then resumes", async () => {
    const start = clock.now().getTime();
    await client.send({ name: "test/sleep", data: {} });
    const sleeping = await onlyRun("sleeper", "SLEEPING");
    expect(sleeping.wake_at!.getTime() - start).toBe(90 * 60_000);
    expect(count("sleep-before")).toBe(1);
    expect(count("sleep-after")).toBe(0);
    jumpTo(sleeping);
    const done = await onlyRun("sleeper", "COMPLETED");
    expect(done.output).toBe("rested");
    expect((await stepsOf(database.pool, done.id)).map((s) => [s.name, s.op])).toEqual([
      ["before", "StepRun"],
      ["wait", "Sleep"],
      ["after", "StepRun"],
    ]);
    expect(count("sleep-before")).toBe(1);
    expect(count("sleep-after")).toBe(1);
  });

  it("sleeps until an ISO date with step.sleepUntil", async () => {
    const at = new Date(clock.now().getTime() + 2 * 86_400_000);
    await client.send({ name: "test/until", data: { at: at.toISOString() } });
    const sleeping = await onlyRun("until", "SLEEPING");
    expect(sleeping.wake_at!.toISOString()).toBe(at.toISOString());
    jumpTo(sleeping);
    await onlyRun("until", "COMPLETED");
    expect(count("until-after")).toBe(1);
  });

  it("sends events from a step with step.sendEvent, which trigger their functions", async () => {
    await client.send({ name: "test/send", data: {} });
    await onlyRun("sender", "COMPLETED");
    const children = await waitFor("two child runs", async () => {
      const runs = await runsOf(database.pool, fnId("child"));
      return runs.length === 2 && runs.every((r) => r.status === "COMPLETED") ? runs : undefined;
    });
    expect(children.map((r) => r.output).sort()).toEqual([10, 20]);
  });

  it("runs parallel steps planned together (StepPlanned), then continues", async () => {
    await client.send({ name: "test/parallel", data: {} });
    const run = await onlyRun("parallel", "COMPLETED");
    expect(run.output).toBe(7);
    const steps = await stepsOf(database.pool, run.id);
    expect(steps.map((s) => s.name).sort()).toEqual(["sum", "x", "y"]);
    expect(steps[2].name).toBe("sum");
  });

  it("retries a failing step with exponential backoff until it succeeds", async () => {
    const start = clock.now().getTime();
    await client.send({ name: "test/flaky", data: {} });
    const first = await waitFor("first retry", async () => (await runsOf(database.pool, fnId("flaky"))).find((r) => r.attempt === 1));
    expect(first.status).toBe("QUEUED");
    expect(first.wake_at!.getTime() - start).toBe(1_000);
    expect(first.error).toMatchObject({ message: "boom 1" });
    jumpTo(first);
    const second = await waitFor("second retry", async () => (await runsOf(database.pool, fnId("flaky"))).find((r) => r.attempt === 2));
    expect(second.wake_at!.getTime() - clock.now().getTime()).toBe(2_000);
    jumpTo(second);
    const done = await onlyRun("flaky", "COMPLETED");
    expect(done.output).toBe("finally");
    expect(count("flaky")).toBe(3);
  });

  it("honours retry-after from RetryAfterError", async () => {
    const start = clock.now().getTime();
    await client.send({ name: "test/busy", data: {} });
    const waiting = await waitFor("retry", async () => (await runsOf(database.pool, fnId("busy"))).find((r) => r.attempt === 1));
    expect(waiting.wake_at!.getTime() - start).toBe(45_000);
    jumpTo(waiting);
    await onlyRun("busy", "COMPLETED");
    expect(count("busy")).toBe(2);
  });

  it("fails at once on NonRetriableError (StepFailed) and runs the onFailure handler", async () => {
    await client.send({ name: "test/doomed", data: { why: "bad input" } });
    const run = await onlyRun("doomed", "FAILED");
    expect(count("doomed")).toBe(1);
    const [step] = await stepsOf(database.pool, run.id);
    expect(step).toMatchObject({ name: "fatal", op: "StepFailed", error: { message: "no point retrying" } });
    await waitFor("onFailure handler", async () => count("doomed-failure:no point retrying:bad input") === 1);
    await onlyRun("doomed-failure", "COMPLETED");
  });

  it("stops after the function's retries option (retries: 1 = 2 attempts) and fails the run", async () => {
    await client.send({ name: "test/limited", data: {} });
    const retrying = await waitFor("retry", async () => (await runsOf(database.pool, fnId("limited"))).find((r) => r.attempt === 1));
    jumpTo(retrying);
    const run = await onlyRun("limited", "FAILED");
    expect(count("limited")).toBe(2);
    expect(run.error).toMatchObject({ message: "still broken" });
  });

  it("cancels a sleeping run on a matching cancelOn event; its remaining steps never run", async () => {
    await client.send([
      { name: "test/cancellable", data: { key: "k1" } },
      { name: "test/cancellable", data: { key: "k2" } },
    ]);
    await waitFor("both asleep", async () => {
      const runs = await runsOf(database.pool, fnId("cancellable"));
      return runs.length === 2 && runs.every((r) => r.status === "SLEEPING");
    });
    await client.send({ name: "test/stop", data: { key: "k1" } });
    await waitFor("k1 cancelled", async () => (await runsOf(database.pool, fnId("cancellable"))).some((r) => r.status === "CANCELLED"));
    const sleeping = (await runsOf(database.pool, fnId("cancellable"))).find((r) => r.status === "SLEEPING")!;
    jumpTo(sleeping);
    await waitFor("k2 completed", async () => (await runsOf(database.pool, fnId("cancellable"))).some((r) => r.status === "COMPLETED"));
    expect(count("cancellable-first-k1")).toBe(1);
    expect(count("cancellable-second-k1")).toBe(0);
    expect(count("cancellable-second-k2")).toBe(1);
  });

  it("starts one run per idempotency key, and drops events re-sent with the same id", async () => {
    await client.send([
      { name: "test/once", data: { userId: "u1" } },
      { name: "test/once", data: { userId: "u1" } },
      { name: "test/once", data: { userId: "u2" }, id: "evt-dup" },
    ]);
    await client.send({ name: "test/once", data: { userId: "u3" }, id: "evt-dup" });
    await waitFor("two runs done", async () => {
      const runs = await runsOf(database.pool, fnId("once"));
      return runs.length === 2 && runs.every((r) => r.status === "COMPLETED");
    });
    const { rows } = await database.pool.query(`SELECT count(*)::int AS n FROM executor_events WHERE name = 'test/once'`);
    expect(rows[0].n).toBe(3);
    expect(count("once")).toBe(2);
  });

  it("never runs more than the concurrency limit per key at once", async () => {
    await client.send([1, 2, 3].map(() => ({ name: "test/serial", data: { group: "g1" } })));
    await waitFor("three serial runs", async () => {
      const runs = await runsOf(database.pool, fnId("serial"));
      return runs.length === 3 && runs.every((r) => r.status === "COMPLETED");
    });
    expect(concurrent.max).toBe(1);
    expect(count("serial-g1")).toBe(3);
  });

  it("runs batchEvents functions on batches of up to maxSize events per key, in order, without waiting for the timeout", async () => {
    await client.send([
      ...[1, 2, 3, 4, 5, 6, 7].map((i) => ({ name: "test/batch", data: { group: "a", i } })),
      ...[1, 2].map((i) => ({ name: "test/batch", data: { group: "b", i } })),
    ]);
    // The clock never moves: nothing waits for the 60 s timeout.
    await waitFor("four batch runs", async () => {
      const runs = await runsOf(database.pool, fnId("batcher"));
      return runs.length === 4 && runs.every((r) => r.status === "COMPLETED");
    });
    expect([...calls.keys()].filter((k) => k.startsWith("batch:")).sort()).toEqual(["batch:a1,a2,a3", "batch:a4,a5,a6", "batch:a7", "batch:b1,b2"]);
    expect(count("batch:a1,a2,a3")).toBe(1);

    // A lone event is a batch of one, started at once.
    await client.send({ name: "test/batch", data: { group: "c", i: 1 } });
    await waitFor("the lone batch", async () => count("batch:c1") === 1 || undefined);
    const { rows } = await database.pool.query<{ n: number }>(
      `SELECT cardinality(batch_event_ids) AS n FROM executor_runs WHERE function_id = $1 ORDER BY created_at, id`,
      [fnId("batcher")],
    );
    expect(rows.map((r) => r.n).sort()).toEqual([1, 1, 2, 3, 3]);
  });

  it("fails a run that uses an unsupported step tool (waitForEvent), naming it", async () => {
    await client.send({ name: "test/wait", data: {} });
    const run = await onlyRun("waiter", "FAILED");
    expect(run.error).toMatchObject({ name: "UnsupportedStepError" });
    expect(JSON.stringify(run.error)).toContain("WaitForEvent");
  });
});

describe("batchEvents under a backlog", () => {
  it("merges runs queued one event at a time into batches of maxSize when one claim takes them together", async () => {
    const merging = await createExecutorDatabase(inject("adminDatabaseUrl"), "exec_merge");
    const other = await createTestClient("merge");
    const seen: string[][] = [];
    const fn = other.client.createFunction(
      { id: "merged", triggers: { event: "m/e" }, batchEvents: { maxSize: 4, timeout: "60s" } },
      async ({ events, step }) =>
        step.run("see", () => {
          seen.push(events.map((e: { data: Record<string, unknown> }) => String(e.data.i)));
          return events.length;
        }),
    );
    const otherApp = await startTestApp({ port: other.port, client: other.client, functions: [fn], pool: merging.pool });
    const worker = new Executor({ databaseUrl: merging.url, serveUrl: otherApp.serveUrl, executorKey: TEST_EXECUTOR_KEY, pollMs: 50, log: () => {} });
    try {
      // Six events dispatched one by one while no worker runs: six queued runs of one event.
      await worker.register();
      for (let i = 1; i <= 6; i++) {
        await other.client.send({ name: "m/e", data: { i } });
        await dispatchEvents(merging.pool, worker.registered, new Date());
      }
      expect(await runsOf(merging.pool, "merge-merged")).toHaveLength(6);
      await worker.start();
      await waitFor("every event handled", async () => seen.flat().length === 6 || undefined);
      expect(seen).toEqual([
        ["1", "2", "3", "4"],
        ["5", "6"],
      ]);
      // Two runs are left: the four others were folded into them.
      await waitFor("two completed runs", async () => {
        const runs = await runsOf(merging.pool, "merge-merged");
        return runs.length === 2 && runs.every((r) => r.status === "COMPLETED") ? runs : undefined;
      });
    } finally {
      await worker.stop();
      await otherApp.close();
      await merging.cleanup();
    }
  });
});

describe("batchEvents claimed straight from the events table", () => {
  it("starts batches of maxSize from waiting events without a dispatch pass, and two claiming workers never take one event twice", async () => {
    const direct = await createExecutorDatabase(inject("adminDatabaseUrl"), "exec_direct");
    const other = await createTestClient("direct");
    const seen: number[][] = [];
    const fn = other.client.createFunction({ id: "firsts", triggers: { event: "d/e" }, batchEvents: { maxSize: 5, timeout: "60s" } }, async ({ events, step }) =>
      step.run("see", () => {
        seen.push(events.map((e: { data: Record<string, unknown> }) => Number(e.data.i)));
        return events.length;
      }),
    );
    const otherApp = await startTestApp({ port: other.port, client: other.client, functions: [fn], pool: direct.pool });
    const worker = () => new Executor({ databaseUrl: direct.url, serveUrl: otherApp.serveUrl, executorKey: TEST_EXECUTOR_KEY, pollMs: 50, concurrency: 4, log: () => {} });
    const workers = [worker(), worker()];
    try {
      // Sent before any worker runs: the events wait in executor_events, with no run queued for them.
      await other.client.send(Array.from({ length: 12 }, (_, i) => ({ name: "d/e", data: { i } })));
      const { rows: queued } = await direct.pool.query(`SELECT 1 FROM executor_runs`);
      expect(queued).toEqual([]);
      await workers[0]!.start();
      await waitFor("the waiting events handled", async () => seen.flat().length >= 12 || undefined);
      await workers[1]!.start();
      // Sent one by one while both workers claim.
      for (let i = 12; i < 200; i++) await other.client.send({ name: "d/e", data: { i } });
      await waitFor("every event handled", async () => seen.flat().length >= 200 || undefined);
      await waitFor("every run completed", async () => {
        const runs = await runsOf(direct.pool, "direct-firsts");
        return (runs.length === seen.length && runs.every((r) => r.status === "COMPLETED")) || undefined;
      });
      expect(seen.flat().sort((a, b) => a - b)).toEqual(Array.from({ length: 200 }, (_, i) => i));
      expect(seen.every((batch) => batch.length >= 1 && batch.length <= 5)).toBe(true);
      // Within a batch, arrival order.
      expect(seen.every((batch) => batch.every((v, k) => k === 0 || batch[k - 1]! < v))).toBe(true);
      // The first claim took the 12 waiting events as batches of 5, 5 and 2.
      expect(seen.filter((batch) => batch[0]! < 12).map((batch) => batch.length).sort()).toEqual([2, 5, 5]);
      const { rows: undispatched } = await direct.pool.query(`SELECT 1 FROM executor_events WHERE dispatched_at IS NULL`);
      expect(undispatched).toEqual([]);
    } finally {
      await Promise.all(workers.map((w) => w.stop()));
      await otherApp.close();
      await direct.cleanup();
    }
  });
});

describe("embedded executor registration", () => {
  it("rejects functions with options it cannot honour, listing each", async () => {
    const other = await createTestClient("reject");
    const rejected = [
      other.client.createFunction({ id: "throttled", throttle: { limit: 1, period: "1m" }, triggers: { event: "x/y" } }, async () => null),
      other.client.createFunction({ id: "cron", triggers: { cron: "61 * * * *" } }, async () => null),
      other.client.createFunction({ id: "odd-key", idempotency: "event.data.a * 2", triggers: { event: "x/y" } }, async () => null),
      other.client.createFunction(
        { id: "big-batch", batchEvents: { maxSize: 500, timeout: "1s" }, cancelOn: [{ event: "x/stop", match: "data.a" }], triggers: { event: "x/y" } },
        async () => null,
      ),
    ];
    const otherApp = await startTestApp({ port: other.port, client: other.client, functions: rejected, pool: database.pool });
    const probe = new Executor({ databaseUrl: database.url, serveUrl: otherApp.serveUrl, executorKey: TEST_EXECUTOR_KEY, log: () => {} });
    try {
      const error = await probe.register().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(FunctionRegistrationError);
      expect(String(error)).toContain(`"reject-throttled": option "throttle" is not supported`);
      expect(String(error)).toContain(`"reject-cron": cron: "61 * * * *" is not a valid cron expression`);
      expect(String(error)).toContain(`"reject-odd-key": idempotency`);
      expect(String(error)).toContain(`"reject-big-batch": batchEvents.maxSize must be a whole number from 1 to 100`);
      expect(String(error)).toContain(`"reject-big-batch": cancelOn cannot be combined with batchEvents`);
    } finally {
      await probe.stop();
      await otherApp.close();
    }
  });
});

describe("embedded mode endpoints refuse unauthenticated callers", () => {
  it("refuses serve requests without the executor key", async () => {
    const res = await fetch(`${app.serveUrl}?fnId=${fnId("steps")}&stepId=step`, { method: "POST", body: "{}" });
    expect(res.status).toBe(401);
    const sync = await fetch(app.serveUrl, { method: "PUT", headers: { "x-inngest-sync-kind": "in_band" }, body: JSON.stringify({ url: app.serveUrl }) });
    expect(sync.status).toBe(401);
    const wrong = await fetch(app.serveUrl, { method: "PUT", headers: { [EXECUTOR_KEY_HEADER]: "nope", "x-inngest-sync-kind": "in_band" }, body: "{}" });
    expect(wrong.status).toBe(401);
  });

  it("refuses events posted with a wrong key, and stores none", async () => {
    const res = await fetch(`http://127.0.0.1:${port}/api/inngest/e/wrong-key`, {
      method: "POST",
      body: JSON.stringify([{ name: "test/steps", data: { n: 99 } }]),
    });
    expect(res.status).toBe(401);
    const { rows } = await database.pool.query(`SELECT count(*)::int AS n FROM executor_events WHERE data->>'n' = '99'`);
    expect(rows[0].n).toBe(0);
  });
});

describe("stopping the embedded executor", () => {
  it("returns once the server has closed every connection it opened, so PostgreSQL can stop right after without cutting one off", async () => {
    // A proxy in front of PostgreSQL that passes each server's close on to the executor 300 ms late:
    // ending a pg pool resolves while its connections' goodbyes are still on their way.
    const target = new URL(database.url);
    let open = 0;
    const proxy = net.createServer({ allowHalfOpen: true }, (toClient) => {
      open++;
      const toServer = net.connect(Number(target.port), target.hostname);
      toClient.pipe(toServer);
      toServer.on("data", (chunk) => toClient.write(chunk));
      toServer.on("end", () =>
        setTimeout(() => {
          open--;
          toClient.end();
        }, 300),
      );
      toClient.on("error", () => toServer.destroy());
      toServer.on("error", () => toClient.destroy());
    });
    await new Promise<void>((resolve) => proxy.listen(0, "127.0.0.1", resolve));
    const url = new URL(database.url);
    url.port = String((proxy.address() as net.AddressInfo).port);
    const logged: string[] = [];
    const probe = new Executor({ databaseUrl: url.toString(), serveUrl: app.serveUrl, executorKey: TEST_EXECUTOR_KEY, clock, pollMs: 50, log: (line) => logged.push(line) });
    try {
      await probe.start();
      await new Promise((r) => setTimeout(r, 200));
      await probe.stop();
      expect(open).toBe(0);
      expect(logged.filter((line) => /error/i.test(line))).toEqual([]);
    } finally {
      await new Promise((resolve) => proxy.close(resolve));
    }
  });
});
