import { z } from "zod";
import { CronError, parseCron, type CronSchedule } from "@/inngest/executor/cron";
import { DurationError, parseDuration } from "@/inngest/executor/duration";
import {
  compileCancelMatch,
  compileEventFilter,
  compileKeyExpression,
  ExpressionError,
  type CancelMatch,
  type EventFilter,
  type KeyExpression,
} from "@/inngest/executor/expression";

/**
 * The functions an app serves, as the in-band sync (`PUT /api/inngest`) describes them, checked
 * against what the embedded executor supports. Registration fails with every problem listed: a
 * feature the executor cannot honour must never be silently ignored.
 */

/** Inngest's default: 3 retries, so 4 attempts. */
export const DEFAULT_RETRIES = 3;

const concurrencyItem = z.union([
  z.number(),
  z.object({ limit: z.number(), key: z.string().optional(), scope: z.string().optional() }).loose(),
]);

export const functionConfigSchema = z
  .object({
    id: z.string().min(1),
    name: z.string().optional(),
    triggers: z.array(z.object({ event: z.string().optional(), expression: z.string().optional(), cron: z.string().optional() }).loose()),
    steps: z.record(z.string(), z.object({ retries: z.object({ attempts: z.number().int().min(0) }).optional() }).loose()),
    idempotency: z.string().optional(),
    concurrency: z.union([concurrencyItem, z.array(concurrencyItem)]).optional(),
    cancel: z.array(z.object({ event: z.string(), if: z.string().optional(), timeout: z.string().optional() })).optional(),
    batchEvents: z.object({ maxSize: z.number(), timeout: z.string(), key: z.string().optional(), if: z.string().optional() }).loose().nullish(),
  })
  .loose();

export type FunctionConfig = z.infer<typeof functionConfigSchema>;

export const syncResponseSchema = z.object({ app_id: z.string(), functions: z.array(functionConfigSchema) }).loose();

export interface CancelRule {
  event: string;
  matches: CancelMatch[];
  timeoutMs?: number;
}

export interface FunctionSpec {
  id: string;
  name: string;
  appId: string;
  triggers: { event: string; filter?: EventFilter }[];
  crons: CronSchedule[];
  maxAttempts: number;
  idempotency?: KeyExpression;
  concurrency?: { limit: number; key?: KeyExpression };
  cancel: CancelRule[];
  /**
   * `batchEvents`: one run for up to `maxSize` events (of one `key` value). The embedded executor
   * starts a batch with the events waiting when it dispatches, so a lone event never waits for
   * `timeout` (which Inngest documents as the longest wait, not a minimum); under load events
   * accumulate between dispatches and batches fill up.
   */
  batch?: { maxSize: number; timeoutMs: number; key?: KeyExpression };
  config: FunctionConfig;
}

/** Inngest's own limit on events per batch. */
export const MAX_BATCH_SIZE = 100;

/** Options of Inngest functions the embedded executor does not implement. */
const UNSUPPORTED_OPTIONS = ["rateLimit", "throttle", "debounce", "priority", "timeouts", "singleton"] as const;

export class FunctionRegistrationError extends Error {}

function compile(appId: string, config: FunctionConfig, problems: string[]): FunctionSpec | undefined {
  const where = `function "${config.id}"`;
  const before = problems.length;
  const guard = <T>(what: string, build: () => T): T | undefined => {
    try {
      return build();
    } catch (error) {
      if (error instanceof ExpressionError || error instanceof DurationError || error instanceof CronError) problems.push(`${where}: ${what}: ${error.message}`);
      else throw error;
      return undefined;
    }
  };

  for (const option of UNSUPPORTED_OPTIONS) {
    if (config[option] !== undefined && config[option] !== null) {
      problems.push(`${where}: option "${option}" is not supported by the embedded executor (run on Inngest, or remove it)`);
    }
  }

  const triggers: FunctionSpec["triggers"] = [];
  const crons: CronSchedule[] = [];
  for (const trigger of config.triggers) {
    if (trigger.cron !== undefined) {
      const schedule = guard("cron", () => parseCron(trigger.cron!));
      if (schedule) crons.push(schedule);
    } else if (!trigger.event) problems.push(`${where}: a trigger has no event name`);
    else triggers.push({ event: trigger.event, filter: trigger.expression ? guard("trigger if", () => compileEventFilter(trigger.expression!)) : undefined });
  }

  const stepConfig = Object.values(config.steps)[0];
  const maxAttempts = (stepConfig?.retries?.attempts ?? DEFAULT_RETRIES) + 1;

  const idempotency = config.idempotency ? guard("idempotency", () => compileKeyExpression(config.idempotency!)) : undefined;

  let concurrency: FunctionSpec["concurrency"];
  if (config.concurrency !== undefined) {
    const items = Array.isArray(config.concurrency) ? config.concurrency : [config.concurrency];
    if (items.length !== 1) problems.push(`${where}: concurrency: only one limit is supported by the embedded executor`);
    const item = items[0];
    if (typeof item === "number") concurrency = { limit: item };
    else if (item) {
      if (item.scope !== undefined && item.scope !== "fn") problems.push(`${where}: concurrency scope "${item.scope}" is not supported (only "fn")`);
      concurrency = { limit: item.limit, key: item.key ? guard("concurrency key", () => compileKeyExpression(item.key!)) : undefined };
    }
    if (concurrency && (!Number.isInteger(concurrency.limit) || concurrency.limit < 1)) {
      problems.push(`${where}: concurrency limit must be a whole number of at least 1`);
    }
  }

  const cancel: CancelRule[] = [];
  for (const rule of config.cancel ?? []) {
    const matches = rule.if ? guard("cancelOn", () => compileCancelMatch(rule.if!)) : [];
    const timeoutMs = rule.timeout ? guard("cancelOn timeout", () => parseDuration(rule.timeout!)) : undefined;
    if (matches) cancel.push({ event: rule.event, matches, timeoutMs });
  }

  let batch: FunctionSpec["batch"];
  if (config.batchEvents) {
    const { maxSize, timeout, key, if: condition } = config.batchEvents;
    if (!Number.isInteger(maxSize) || maxSize < 1 || maxSize > MAX_BATCH_SIZE) {
      problems.push(`${where}: batchEvents.maxSize must be a whole number from 1 to ${MAX_BATCH_SIZE}`);
    }
    if (condition !== undefined) problems.push(`${where}: batchEvents.if is not supported by the embedded executor`);
    // The combinations Inngest itself refuses with batching.
    if (config.idempotency) problems.push(`${where}: idempotency cannot be combined with batchEvents`);
    if ((config.cancel ?? []).length > 0) problems.push(`${where}: cancelOn cannot be combined with batchEvents`);
    const timeoutMs = guard("batchEvents.timeout", () => parseDuration(timeout));
    const batchKey = key ? guard("batchEvents.key", () => compileKeyExpression(key)) : undefined;
    if (timeoutMs !== undefined) batch = { maxSize, timeoutMs, key: batchKey };
  }

  if (problems.length > before) return undefined;
  return { id: config.id, name: config.name ?? config.id, appId, triggers, crons, maxAttempts, idempotency, concurrency, cancel, batch, config };
}

/** Validates every function of a sync response; throws one error listing all problems. */
export function compileFunctions(sync: unknown): FunctionSpec[] {
  const parsed = syncResponseSchema.safeParse(sync);
  if (!parsed.success) throw new FunctionRegistrationError(`The serve endpoint returned an unexpected sync body: ${parsed.error.message}`);
  const problems: string[] = [];
  const specs = parsed.data.functions.flatMap((config) => compile(parsed.data.app_id, config, problems) ?? []);
  if (problems.length > 0) {
    throw new FunctionRegistrationError(`Cannot register these Inngest functions with the embedded executor:\n  ${problems.join("\n  ")}`);
  }
  return specs;
}
