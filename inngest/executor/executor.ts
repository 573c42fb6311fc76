import { randomBytes } from "node:crypto";
import os from "node:os";
import pg from "pg";
import { systemClock, type Clock } from "@/inngest/executor/clock";
import { CronScheduler } from "@/inngest/executor/cron";
import { dispatchEvents } from "@/inngest/executor/dispatch";
import { ServeDriver, type ExecuteOutcome, type ExecuteRequest } from "@/inngest/executor/driver";
import { retryAfterTime, wakeTime } from "@/inngest/executor/duration";
import { compileFunctions, type FunctionSpec } from "@/inngest/executor/functions";
import { WAKE_CHANNEL, wokenFor } from "@/inngest/executor/ingest";
import { beat, HEARTBEAT_MS, retire } from "@/inngest/executor/watchdog-heartbeat";
import { loggerFor } from "@/lib/observability/log";
import {
  abandonLeases,
  claimDue,
  claimLimitedRuns,
  commitStep,
  completeRuns,
  finishRun,
  mergeBatchRuns,
  releaseRun,
  renewLeases,
  type BatchMerge,
  type ClaimedRun,
  type Completion,
  type DirectTrigger,
  type PendingOp,
  type StepRecord,
} from "@/inngest/executor/runs";

/**
 * The embedded executor: drives Inngest functions through the SDK's own HTTP contract (the one
 * Inngest's server uses), with every run's state in PostgreSQL. Any number of executor processes
 * may share one database: runs are leased with FOR UPDATE SKIP LOCKED, LISTEN/NOTIFY wakes
 * workers at once, and a low-frequency poll covers wake-ups that nobody announces (ends of sleeps,
 * retries, expired leases of crashed workers).
 */

export interface ExecutorOptions {
  databaseUrl: string;
  serveUrl: string;
  executorKey?: string;
  clock?: Clock;
  /** Runs driven at once by this process. */
  concurrency?: number;
  leaseMs?: number;
  pollMs?: number;
  requestTimeoutMs?: number;
  retryBaseMs?: number;
  retryMaxMs?: number;
  /** How long registration keeps trying while the serve endpoint is not answering yet. */
  syncTimeoutMs?: number;
  log?: (line: string) => void;
}

const CONCURRENCY_BLOCKED_RETRY_MS = 100;
const MAX_DISPATCH_ROUNDS = 20;
/**
 * While runs are in flight, a claim waits until this share of the slots is free (or
 * CLAIM_BATCH_WAIT_MS passed): under a backlog one claim then takes several runs instead of one
 * query per finished run.
 */
const CLAIM_BATCH_SHARE = 1 / 8;
const CLAIM_BATCH_WAIT_MS = 20;
/**
 * While this executor has runs in flight, events of `batchEvents` functions are dispatched (or
 * claimed directly) at most this often, so that the events of a busy period fill batches instead
 * of each paying for a run. An idle executor takes them at once.
 */
const DISPATCH_LINGER_MS = 20;
/**
 * A run whose function returned is marked COMPLETED by the next claim statement, or by a statement
 * of its own (with the others waiting) after this long: one statement fewer per run. Safe to
 * defer: every step is memoized, so a crash before it is written only replays the run to its end
 * once the lease expires, repeating no step.
 */
const COMPLETE_WAIT_MS = 20;
/** How long stop() waits for the pool's last connections to close after ending it. */
const CLOSE_WAIT_MS = 5_000;

type Verdict = "continue" | "done";

/**
 * The `batchEvents` functions whose events may skip the dispatcher (see `DirectTrigger`): what the
 * dispatcher would decide for their events depends on nothing but arrival order, and no event
 * handled elsewhere must be ordered against them (batch runs cannot be cancelled).
 */
function directTriggers(specs: FunctionSpec[]): DirectTrigger[] {
  const triggered = (event: string) => specs.filter((f) => f.triggers.some((t) => t.event === event));
  const cancels = (event: string) => specs.some((f) => f.cancel.some((c) => c.event === event));
  return specs.flatMap((f) => {
    if (!f.batch || f.batch.key || f.concurrency || f.idempotency || f.triggers.some((t) => t.filter)) return [];
    return f.triggers
      .filter((t) => triggered(t.event).length === 1 && !cancels(t.event))
      .map((t) => ({ event: t.event, functionId: f.id, maxSize: f.batch!.maxSize, maxAttempts: f.maxAttempts }));
  });
}

const errorValue = (error: unknown) =>
  error instanceof Error ? { name: error.name, message: error.message } : { name: "Error", message: String(error) };

export class Executor {
  readonly workerId = `${os.hostname()}:${process.pid}:${randomBytes(3).toString("hex")}`;
  private readonly pool: pg.Pool;
  /**
   * Connections the pool opened and has not closed yet. `pool.end()` resolves once no client is
   * left in the pool, before the last ones have finished closing; stop() waits for those too, so
   * that whatever stops PostgreSQL next (npm start does) finds none of ours still open.
   */
  private openConnections = 0;
  private allClosed?: () => void;
  private readonly driver: ServeDriver;
  private readonly clock: Clock;
  private readonly concurrency: number;
  private readonly leaseMs: number;
  private readonly pollMs: number;
  private readonly retryBaseMs: number;
  private readonly retryMaxMs: number;
  private readonly log: (line: string) => void;
  private functions = new Map<string, FunctionSpec>();
  /** The registered functions, and whether any batches events or limits concurrency: read on every pass. */
  private specs: FunctionSpec[] = [];
  /** A `batchEvents` function's events go through the dispatcher (those not claimed directly). */
  private batching = false;
  /** Functions whose events are claimed straight from `executor_events` (`claimDue`), and their event names. */
  private direct: DirectTrigger[] = [];
  private directNames = new Set<string>();
  private limiting = false;
  private cron = new CronScheduler([]);
  private readonly inFlight = new Map<string, { token: string; done: Promise<void> }>();
  private listener?: pg.Client;
  private renewTimer?: NodeJS.Timeout;
  /** Completed runs not marked so yet (see COMPLETE_WAIT_MS), and the timer that writes them. */
  private completions: Completion[] = [];
  private completeTimer?: NodeJS.Timeout;
  private loopDone?: Promise<void>;
  private stopping = false;
  private signalled = false;
  private eventsMaybe = true;
  /** Events of a `direct` function may be waiting. */
  private directMaybe = true;
  /** The poll's turn to look for events nobody announced: the next claim asks whether any wait for the dispatcher. */
  private pollEvents = false;
  /** Some run may be due: set by NOTIFY, timers and full claims; a finished run alone does not set it. */
  private claimMaybe = true;
  /**
   * A run of a function with a concurrency limit may be due: claiming those takes a transaction,
   * so it is skipped unless something may have made one due (its dispatch, a freed slot, a
   * timer, a wake-up time reached).
   */
  private limitedMaybe = true;
  /** Earliest known wake-up of a run (ms since epoch), from the last look at the table. */
  private nextWake: number | undefined;
  /** When a claim was first put off to batch it. */
  private claimDeferredSince: number | undefined;
  /** Real time of the last dispatch pass, and of the last claim that took events directly (see DISPATCH_LINGER_MS). */
  private lastDispatchAt = 0;
  private lastDirectClaimAt = 0;
  private wakeWaiter?: () => void;
  /** The heartbeat the watchdog reads (watchdog-heartbeat.ts): when this process started, and when its loop last wrote one. */
  private readonly startedAt = new Date();
  private lastBeatAt = 0;
  private beating?: Promise<void>;

  constructor(private readonly options: ExecutorOptions) {
    this.clock = options.clock ?? systemClock;
    this.concurrency = options.concurrency ?? 32;
    this.leaseMs = options.leaseMs ?? 5_000;
    this.pollMs = options.pollMs ?? 1_000;
    this.retryBaseMs = options.retryBaseMs ?? 2_000;
    this.retryMaxMs = options.retryMaxMs ?? 600_000;
    this.log = options.log ?? ((line) => loggerFor("[executor]").info(line));
    this.pool = new pg.Pool({ connectionString: options.databaseUrl, max: Math.min(50, this.concurrency + 4) });
    this.pool.on("error", (error) => this.log(`database connection error: ${error.message}`));
    this.pool.on("connect", () => this.openConnections++);
    this.pool.on("remove", () => {
      if (--this.openConnections === 0) this.allClosed?.();
    });
    this.driver = new ServeDriver({ serveUrl: options.serveUrl, executorKey: options.executorKey, requestTimeoutMs: options.requestTimeoutMs ?? 300_000 });
  }

  get registered(): FunctionSpec[] {
    return this.specs;
  }

  /** Syncs the served functions (rejecting unsupported features), then starts working. */
  async start(): Promise<void> {
    await this.register();
    await beat(this.pool, this.workerId, this.startedAt, this.clock.now());
    this.lastBeatAt = Date.now();
    await this.listen();
    this.renewTimer = setInterval(() => void this.renew(), Math.max(100, Math.floor(this.leaseMs / 3)));
    this.loopDone = this.loop();
    this.log(`worker ${this.workerId} started: ${this.functions.size} function(s), up to ${this.concurrency} runs at once`);
  }

  /** Asks the serve endpoint for its functions (in-band sync) and records them. */
  async register(): Promise<void> {
    const deadline = Date.now() + (this.options.syncTimeoutMs ?? 30_000);
    let sync: unknown;
    for (let delay = 100; ; delay = Math.min(delay * 2, 2_000)) {
      try {
        sync = await this.driver.sync();
        break;
      } catch (error) {
        if (Date.now() + delay > deadline) throw error;
        await new Promise((r) => setTimeout(r, delay));
      }
    }
    const specs = compileFunctions(sync);
    this.functions = new Map(specs.map((s) => [s.id, s]));
    this.specs = specs;
    this.direct = directTriggers(specs);
    this.directNames = new Set(this.direct.map((d) => d.event));
    this.batching = specs.some((f) => f.batch && !this.direct.some((d) => d.functionId === f.id));
    this.limiting = specs.some((f) => f.concurrency);
    this.cron = new CronScheduler(specs);
    const now = this.clock.now();
    await this.pool.query(
      `INSERT INTO executor_functions (id, app_id, name, config, synced_at)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::jsonb[], $5::timestamptz[])
       ON CONFLICT (id) DO UPDATE SET app_id = EXCLUDED.app_id, name = EXCLUDED.name, config = EXCLUDED.config, synced_at = EXCLUDED.synced_at`,
      [specs.map((s) => s.id), specs.map((s) => s.appId), specs.map((s) => s.name), specs.map((s) => JSON.stringify(s.config)), specs.map(() => now)],
    );
  }

  /** Wakes the loop now (tests call it after moving a manual clock). */
  wake(): void {
    this.eventsMaybe = true;
    this.directMaybe = true;
    this.claimMaybe = true;
    this.signal();
  }

  /**
   * Stops claiming, lets requests in flight finish for up to `graceMs` (their leases still
   * renewed, so no other worker takes them over meanwhile), then hands the rest back.
   */
  async stop(graceMs = 10_000): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    this.signal();
    await this.loopDone;
    // Stopping, it claims nothing more: not a stall, however long the requests in flight take.
    await this.beating;
    await retire(this.pool, this.workerId).catch(() => {});
    let timer: NodeJS.Timeout | undefined;
    const inFlight = [...this.inFlight.values()].map((f) => f.done);
    await Promise.race([Promise.allSettled(inFlight), new Promise((r) => (timer = setTimeout(r, graceMs)))]);
    clearTimeout(timer);
    clearInterval(this.renewTimer);
    await this.writeCompletions();
    await abandonLeases(this.pool, [...this.inFlight.values()].map((f) => f.token), this.clock.now()).catch(() => {});
    const listener = this.listener;
    this.listener = undefined;
    await listener?.end().catch(() => {});
    this.driver.close();
    await this.pool.end();
    if (this.openConnections > 0) {
      // Bounded: a connection whose server never answers the goodbye must not hold the stop up.
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, CLOSE_WAIT_MS);
        this.allClosed = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  }

  private signal(): void {
    this.signalled = true;
    this.wakeWaiter?.();
  }

  private async listen(): Promise<void> {
    if (this.stopping) return;
    const client = new pg.Client({ connectionString: this.options.databaseUrl });
    client.on("notification", (n) => {
      const name = wokenFor(n.payload ?? "");
      if (name === undefined) {
        this.claimMaybe = true;
        if (n.payload !== "runs") this.limitedMaybe = true;
      } else if (name === null) this.eventsMaybe = this.directMaybe = true;
      else if (this.directNames.has(name)) this.directMaybe = true;
      else this.eventsMaybe = true;
      this.signal();
    });
    client.on("error", (error) => {
      if (this.stopping) return;
      this.log(`LISTEN connection lost (${error.message}); polling until it is back`);
      this.listener = undefined;
      setTimeout(() => void this.listen().catch(() => {}), 1_000);
    });
    await client.connect();
    await client.query(`LISTEN ${WAKE_CHANNEL}`);
    this.listener = client;
    // Anything announced while we were not listening is found by this pass.
    this.wake();
  }

  private async renew(): Promise<void> {
    const tokens = [...this.inFlight.values()].map((f) => f.token);
    await renewLeases(this.pool, tokens, new Date(this.clock.now().getTime() + this.leaseMs)).catch((error: Error) =>
      this.log(`renewing leases failed: ${error.message}`),
    );
  }

  private async loop(): Promise<void> {
    while (!this.stopping) {
      this.heartbeat();
      let idleFor = this.pollMs;
      try {
        idleFor = await this.pump();
      } catch (error) {
        this.log(`scheduling pass failed: ${errorValue(error).message}`);
      }
      await this.waitForSignal(idleFor);
    }
  }

  /**
   * Written from the claim loop, not a timer of its own: an executor whose loop no longer turns
   * (hung on a statement, its process frozen) stops beating even if its timers still run. Never
   * awaited: a slow write must not hold up claiming.
   */
  private heartbeat(): void {
    if (this.beating || Date.now() - this.lastBeatAt < HEARTBEAT_MS) return;
    this.lastBeatAt = Date.now();
    this.beating = beat(this.pool, this.workerId, this.startedAt, this.clock.now())
      .catch((error: Error) => this.log(`writing the heartbeat failed: ${error.message}`))
      .finally(() => (this.beating = undefined));
  }

  /** Dispatches events and claims due runs; returns how long to wait if nothing wakes us. */
  private async pump(): Promise<number> {
    this.signalled = false;
    if ((await this.cron.fire(this.pool, this.clock.now())) > 0) this.claimMaybe = this.limitedMaybe = true;
    const sinceDispatch = Date.now() - this.lastDispatchAt;
    const linger =
      this.eventsMaybe && this.inFlight.size > 0 && sinceDispatch < DISPATCH_LINGER_MS && this.batching ? DISPATCH_LINGER_MS - sinceDispatch : 0;
    if (this.eventsMaybe && linger === 0) {
      this.eventsMaybe = false;
      this.lastDispatchAt = Date.now();
      for (let round = 0; round < MAX_DISPATCH_ROUNDS; round++) {
        const result = await dispatchEvents(this.pool, this.specs, this.clock.now(), [...this.directNames]);
        if (result.runs > 0) this.claimMaybe = true;
        if (result.limitedRuns > 0) this.limitedMaybe = true;
        // A pass short of a full batch took every event waiting; later ones announce themselves.
        if (!result.full) break;
        if (round === MAX_DISPATCH_ROUNDS - 1) this.eventsMaybe = true;
      }
    }
    const wait = await this.claimPass();
    return linger > 0 ? Math.min(wait, linger) : wait;
  }

  /** Claims due runs into free slots; returns how long to wait if nothing wakes us. */
  private async claimPass(): Promise<number> {
    const free = this.concurrency - this.inFlight.size;
    // All slots busy: a finishing run signals.
    if (free <= 0 || this.stopping) return this.pollMs;
    if (this.nextWake !== undefined && this.nextWake <= this.clock.now().getTime()) this.claimMaybe = this.limitedMaybe = true;
    const sinceDirect = Date.now() - this.lastDirectClaimAt;
    const linger = this.directMaybe && sinceDirect < DISPATCH_LINGER_MS ? DISPATCH_LINGER_MS - sinceDirect : 0;
    const direct = this.directMaybe && linger === 0;
    const idle = () => (linger > 0 ? Math.min(this.idleTime(), linger) : this.idleTime());
    if (!this.claimMaybe && !direct) return idle();
    if (this.inFlight.size > 0 && free < Math.max(1, Math.floor(this.concurrency * CLAIM_BATCH_SHARE))) {
      this.claimDeferredSince ??= Date.now();
      const waited = Date.now() - this.claimDeferredSince;
      if (waited < CLAIM_BATCH_WAIT_MS) return CLAIM_BATCH_WAIT_MS - waited;
    }
    this.claimDeferredSince = undefined;
    this.claimMaybe = false;
    if (direct) {
      this.directMaybe = false;
      this.lastDirectClaimAt = Date.now();
    }
    const functionIds = [...this.functions.keys()];
    const now = this.clock.now();
    const claimOpts = { functionIds, limit: free, now, leaseMs: this.leaseMs, workerId: this.workerId };
    const checkEvents = this.pollEvents;
    this.pollEvents = false;
    const completions = this.takeCompletions();
    const claim = await claimDue(this.pool, {
      ...claimOpts,
      direct: direct ? this.direct : [],
      checks: { undispatchedExcept: checkEvents ? [...this.directNames] : null, limited: this.limitedMaybe && this.limiting },
      completions,
    }).catch((error: unknown) => {
      this.completions.unshift(...completions);
      this.scheduleCompletions();
      throw error;
    });
    const runs = claim.runs;
    if (claim.undispatched) this.eventsMaybe = true;
    if (!claim.limitedDue) this.limitedMaybe = false;
    if (runs.length < free && this.limitedMaybe && this.limiting) {
      this.limitedMaybe = false;
      const limit = free - runs.length;
      const limited = await claimLimitedRuns(this.pool, { ...claimOpts, limit, blockedRetryMs: CONCURRENCY_BLOCKED_RETRY_MS });
      if (limited.length === limit) this.limitedMaybe = true;
      runs.push(...limited);
    }
    for (const run of await this.coalesceBatches(runs)) this.startDriving(run);
    if (runs.length === free) {
      // More may be due: claim again as soon as slots free up.
      this.claimMaybe = true;
      if (direct) this.directMaybe = true;
      return 0;
    }
    this.nextWake = claim.nextWake?.getTime();
    return this.eventsMaybe ? 0 : idle();
  }

  /**
   * Fresh runs of a `batchEvents` function claimed together (the executor fell behind while their
   * events arrived) become one batch run per key, up to `maxSize` events: the run count, and what
   * each run costs, then shrinks as the backlog grows. Alone, a run starts as it is.
   */
  private async coalesceBatches(runs: ClaimedRun[]): Promise<ClaimedRun[]> {
    const out: ClaimedRun[] = [];
    const groups = new Map<string, { maxSize: number; runs: ClaimedRun[] }>();
    for (const run of runs) {
      const batch = this.functions.get(run.functionId)?.batch;
      if (!batch || run.stepCount > 0 || run.attempt > 0 || run.pending.length > 0) {
        out.push(run);
        continue;
      }
      const slot = `${run.functionId}\u0000${batch.key ? batch.key(run.event) : ""}`;
      const group = groups.get(slot) ?? { maxSize: batch.maxSize, runs: [] };
      group.runs.push(run);
      groups.set(slot, group);
    }
    const merges: BatchMerge[] = [];
    for (const { maxSize, runs: group } of groups.values()) {
      let current: BatchMerge | undefined;
      let size = 0;
      for (const run of group) {
        if (current && size + run.events.length <= maxSize) {
          current.absorbed.push(run);
          size += run.events.length;
          continue;
        }
        if (current && current.absorbed.length > 0) merges.push(current);
        else if (current) out.push(current.keep);
        current = { keep: run, absorbed: [] };
        size = run.events.length;
      }
      if (current && current.absorbed.length > 0) merges.push(current);
      else if (current) out.push(current.keep);
    }
    if (merges.length === 0) return out;
    const merged = await mergeBatchRuns(this.pool, merges).catch((error: unknown) => {
      this.log(`merging batch runs failed, running them one by one: ${errorValue(error).message}`);
      return false;
    });
    for (const m of merges) {
      if (!merged) out.push(m.keep, ...m.absorbed);
      else out.push({ ...m.keep, events: [...m.keep.events, ...m.absorbed.flatMap((a) => a.events)] });
    }
    return out;
  }

  /** How long to wait for a signal: until the next known wake-up, at most the poll interval. */
  private idleTime(): number {
    if (this.nextWake === undefined) return this.pollMs;
    return Math.max(0, Math.min(this.pollMs, this.nextWake - this.clock.now().getTime()));
  }

  /** A run of ours will be due at `at`: wake up for it even if nobody announces it. */
  private expectWake(at: Date): void {
    this.nextWake = Math.min(this.nextWake ?? Infinity, at.getTime());
  }

  private waitForSignal(ms: number): Promise<void> {
    if (this.signalled || this.stopping || ms <= 0) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.pollEvents = true;
        this.directMaybe = true;
        this.claimMaybe = true;
        this.limitedMaybe = true;
        done();
      }, ms);
      const done = () => {
        clearTimeout(timer);
        this.wakeWaiter = undefined;
        resolve();
      };
      this.wakeWaiter = done;
    });
  }

  private complete(completion: Completion): void {
    this.completions.push(completion);
    this.scheduleCompletions();
  }

  private scheduleCompletions(): void {
    this.completeTimer ??= setTimeout(() => void this.writeCompletions(), COMPLETE_WAIT_MS);
  }

  private takeCompletions(): Completion[] {
    clearTimeout(this.completeTimer);
    this.completeTimer = undefined;
    return this.completions.splice(0);
  }

  /** Writes the completions waiting; if that fails, the runs are replayed to their end after their leases expire. */
  private async writeCompletions(): Promise<void> {
    const completions = this.takeCompletions();
    await completeRuns(this.pool, completions).catch((error: Error) =>
      this.log(`marking ${completions.length} run(s) completed failed (${error.message}); they finish again once their leases expire`),
    );
  }

  private startDriving(run: ClaimedRun): void {
    const done = this.drive(run)
      .catch((error: unknown) => this.log(`run ${run.id} (${run.functionId}) stopped on an internal error: ${errorValue(error).message}`))
      .finally(() => {
        this.inFlight.delete(run.id);
        // Its concurrency slot is free: a blocked run of the same key may go now.
        if (this.functions.get(run.functionId)?.concurrency) this.limitedMaybe = true;
        this.signal();
      });
    this.inFlight.set(run.id, { token: run.leaseToken, done });
  }

  private request(run: ClaimedRun, spec: FunctionSpec, stepId: string): ExecuteRequest {
    return {
      fnId: spec.id,
      stepId,
      runId: run.id,
      event: run.event,
      events: run.events,
      steps: run.steps,
      stack: run.stack,
      attempt: run.attempt,
      maxAttempts: run.maxAttempts,
    };
  }

  /** Drives one leased run until it sleeps, waits for a retry, ends, or loses its lease. */
  private async drive(run: ClaimedRun): Promise<void> {
    const spec = this.functions.get(run.functionId);
    if (!spec) return;
    for (;;) {
      if (this.stopping) return;
      const now = this.clock.now();
      for (const sleep of run.pending.filter((p) => p.kind === "sleep" && new Date(p.until) <= now)) {
        const remaining = run.pending.filter((p) => p !== sleep);
        if (!(await this.commit(run, { hash: sleep.id, name: sleep.name, op: "Sleep", data: null }, remaining))) return;
      }
      const planned = run.pending.filter((p) => p.kind === "step");
      const sleeps = run.pending.filter((p) => p.kind === "sleep");
      let outcomes: ExecuteOutcome[];
      if (planned.length > 0) {
        outcomes = await Promise.all(planned.map((p) => this.driver.execute(this.request(run, spec, p.id))));
        run.pending = sleeps;
      } else if (sleeps.length > 0) {
        const wakeAt = new Date(Math.min(...sleeps.map((s) => new Date(s.until).getTime())));
        await releaseRun(this.pool, run, { status: "SLEEPING", wakeAt, pending: run.pending, attempt: run.attempt }, now);
        this.expectWake(wakeAt);
        return;
      } else {
        outcomes = [await this.driver.execute(this.request(run, spec, "step"))];
      }
      if ((await this.apply(run, outcomes)) === "done") return;
    }
  }

  private async commit(run: ClaimedRun, step: StepRecord, pending: PendingOp[]): Promise<boolean> {
    const ok = await commitStep(this.pool, run, step, pending, this.clock.now(), this.leaseMs);
    if (!ok) {
      this.log(`run ${run.id} was cancelled or its lease expired; dropping this worker's result of step ${step.name ?? step.hash}`);
      return false;
    }
    run.steps[step.hash] = step.op === "StepFailed" ? { type: "error", error: step.error ?? null } : { type: "data", data: step.data ?? null };
    run.stack.push(step.hash);
    run.pending = pending;
    run.attempt = 0;
    return true;
  }

  /** Applies the SDK's answers: memoizes steps, plans, sleeps, retries, or ends the run. */
  private async apply(run: ClaimedRun, outcomes: ExecuteOutcome[]): Promise<Verdict> {
    const now = this.clock.now();
    let complete: { data: unknown } | undefined;
    let failure: unknown;
    let retry: { error: unknown; retryAfter?: string } | undefined;
    const added: PendingOp[] = [];
    for (const outcome of outcomes) {
      if (outcome.kind === "complete") complete ??= { data: outcome.data };
      else if (outcome.kind === "error") {
        if (outcome.retriable) retry ??= { error: outcome.error, retryAfter: outcome.retryAfter };
        else failure ??= outcome.error;
      } else {
        for (const op of outcome.ops) {
          const name = op.displayName ?? op.name;
          switch (op.op) {
            case "StepRun":
              if (!(await this.commit(run, { hash: op.id, name, op: "StepRun", data: op.data ?? null }, [...run.pending, ...added]))) return "done";
              break;
            case "StepFailed":
              if (!(await this.commit(run, { hash: op.id, name, op: "StepFailed", error: op.error ?? null }, [...run.pending, ...added]))) return "done";
              break;
            case "StepError":
              retry ??= { error: op.error ?? null, retryAfter: outcome.retryAfter };
              break;
            case "StepPlanned":
              if (![...run.pending, ...added].some((p) => p.id === op.id)) added.push({ kind: "step", id: op.id, name });
              break;
            case "Sleep":
              try {
                added.push({ kind: "sleep", id: op.id, name, until: wakeTime(op.name ?? "", now).toISOString() });
              } catch (error) {
                failure ??= errorValue(error);
              }
              break;
            case "RunComplete":
              complete ??= { data: op.data ?? null };
              break;
            default:
              failure ??= {
                name: "UnsupportedStepError",
                message: `${op.op} (step "${name ?? op.id}") is not supported by the embedded executor; supported: step.run, step.sleep, step.sleepUntil, step.sendEvent and parallel steps`,
              };
          }
        }
      }
    }
    run.pending = [...run.pending, ...added];
    if (failure !== undefined) return this.fail(run, failure);
    if (complete) {
      if (run.concurrencyKey === null) this.complete({ runId: run.id, leaseToken: run.leaseToken, output: complete.data, at: now });
      else await finishRun(this.pool, run, { status: "COMPLETED", output: complete.data }, now);
      return "done";
    }
    if (retry) {
      if (run.attempt + 1 >= run.maxAttempts) return this.fail(run, retry.error);
      const backoff = Math.min(this.retryMaxMs, this.retryBaseMs * 2 ** run.attempt);
      const wakeAt = retryAfterTime(retry.retryAfter, now) ?? new Date(now.getTime() + backoff);
      await releaseRun(this.pool, run, {
        status: "QUEUED",
        wakeAt,
        pending: run.pending.filter((p) => p.kind === "sleep"),
        attempt: run.attempt + 1,
        error: retry.error,
      }, now);
      this.expectWake(wakeAt);
      return "done";
    }
    return "continue";
  }

  private async fail(run: ClaimedRun, error: unknown): Promise<Verdict> {
    await finishRun(this.pool, run, { status: "FAILED", error }, this.clock.now());
    return "done";
  }
}
