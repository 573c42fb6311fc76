import os from "node:os";
import { z } from "zod";
import { settingsErrorText } from "@/lib/settings-error";

/**
 * How Inngest functions run, decided by configuration only (docs/executor.md):
 * - "embedded" (default): the embedded executor in this repository drives the functions, state in
 *   PostgreSQL. `inngest.send()` posts to the app's own ingest route, authenticated by EXECUTOR_KEY.
 * - "inngest": a real Inngest server (Inngest Cloud, self-hosted `inngest start`, or the Dev Server
 *   with INNGEST_DEV=1) drives them; nothing embedded starts and `serve()` verifies signatures.
 */
export type ExecutorMode = "embedded" | "inngest";

const positiveMs = (name: string, min: number) =>
  z.coerce
    .number({ error: `${name} must be a number of milliseconds` })
    .int(`${name} must be a whole number of milliseconds`)
    .min(min, `${name} must be at least ${min} ms`);

const schema = z.object({
  INNGEST_EVENT_KEY: z.string().min(1).optional(),
  INNGEST_SIGNING_KEY: z
    .string()
    .regex(/^signkey-[\w]+-[0-9a-f]+$/i, "INNGEST_SIGNING_KEY must look like signkey-<env>-<hex> (copy it from the Inngest dashboard)")
    .optional(),
  INNGEST_SIGNING_KEY_FALLBACK: z
    .string()
    .regex(/^signkey-[\w]+-[0-9a-f]+$/i, "INNGEST_SIGNING_KEY_FALLBACK must look like signkey-<env>-<hex>")
    .optional(),
  INNGEST_BASE_URL: z.url("INNGEST_BASE_URL must be a URL such as http://localhost:8288").optional(),
  INNGEST_DEV: z.string().min(1).optional(),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  EXECUTOR_KEY: z.string().min(32, "EXECUTOR_KEY must be at least 32 characters (npm start generates one)").optional(),
  EXECUTOR_APP_URL: z
    .url("EXECUTOR_APP_URL must be the app's base URL, e.g. http://127.0.0.1:3000")
    .refine((u) => /^https?:\/\//.test(u), "EXECUTOR_APP_URL must be an http:// or https:// URL")
    .optional(),
  EXECUTOR_CONCURRENCY: z.coerce
    .number({ error: "EXECUTOR_CONCURRENCY must be a number" })
    .int("EXECUTOR_CONCURRENCY must be a whole number")
    .min(1, "EXECUTOR_CONCURRENCY must be at least 1")
    .max(1000, "EXECUTOR_CONCURRENCY must be at most 1000")
    .default(32),
  EXECUTOR_PROCESSES: z.coerce
    .number({ error: "EXECUTOR_PROCESSES must be a number" })
    .int("EXECUTOR_PROCESSES must be a whole number")
    .min(1, "EXECUTOR_PROCESSES must be at least 1")
    .max(64, "EXECUTOR_PROCESSES must be at most 64")
    .optional(),
  EXECUTOR_LEASE_MS: positiveMs("EXECUTOR_LEASE_MS", 500).default(5_000),
  EXECUTOR_POLL_MS: positiveMs("EXECUTOR_POLL_MS", 50).default(1_000),
  EXECUTOR_REQUEST_TIMEOUT_MS: positiveMs("EXECUTOR_REQUEST_TIMEOUT_MS", 1_000).default(300_000),
  EXECUTOR_RETRY_BASE_MS: positiveMs("EXECUTOR_RETRY_BASE_MS", 1).default(2_000),
  EXECUTOR_RETRY_MAX_MS: positiveMs("EXECUTOR_RETRY_MAX_MS", 1).default(600_000),
  EXECUTOR_INGEST_IN_PROCESS: z.enum(["0", "1"], { error: "EXECUTOR_INGEST_IN_PROCESS must be 0 or 1" }).default("0"),
  EXECUTOR_SERVE: z.enum(["local", "app"], { error: 'EXECUTOR_SERVE must be "local" (functions run in the executor process) or "app" (the app\'s /api/inngest)' }).default("local"),
});

export interface ExecutorConfig {
  mode: ExecutorMode;
  /** Shared secret between the embedded executor and the app (embedded mode). */
  executorKey: string | undefined;
  /** The app's base URL as the executor reaches it (no trailing slash). */
  appUrl: string;
  /** `serve()` endpoint the executor drives. */
  serveUrl: string;
  /** Base URL the SDK posts events to in embedded mode (`<base>e/<key>`; trailing slash required). */
  ingestBaseUrl: string;
  concurrency: number;
  /** Executor processes `npm start` runs (its own, plus workers it spawns). */
  processes: number;
  leaseMs: number;
  pollMs: number;
  requestTimeoutMs: number;
  retryBaseMs: number;
  retryMaxMs: number;
  /** Set by `npm start` for the app's server: `inngest.send()` ingests in process instead of over loopback HTTP. */
  ingestInProcess: boolean;
  /** Where embedded executors call the functions: served by their own process, or the app's route. */
  serve: "local" | "app";
}

export class ExecutorConfigError extends Error {}

export const SERVE_PATH = "/api/inngest";

export function parseExecutorConfig(source: Record<string, string | undefined> = process.env): ExecutorConfig {
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ""));
  const result = schema.safeParse(cleaned);
  if (!result.success) {
    throw new ExecutorConfigError(settingsErrorText("Invalid executor environment", result.error));
  }
  const env = result.data;
  const mode: ExecutorMode = env.INNGEST_EVENT_KEY || env.INNGEST_SIGNING_KEY || env.INNGEST_DEV ? "inngest" : "embedded";
  const devServer = env.INNGEST_DEV !== undefined && !["0", "false"].includes(env.INNGEST_DEV);
  if (mode === "inngest" && !devServer && !env.INNGEST_SIGNING_KEY) {
    throw new ExecutorConfigError(
      "Invalid executor environment:\n  INNGEST_SIGNING_KEY: required when INNGEST_EVENT_KEY is set (Inngest signs every request to /api/inngest); unset INNGEST_EVENT_KEY to use the embedded executor",
    );
  }
  if (mode === "inngest" && !devServer && !env.INNGEST_EVENT_KEY) {
    throw new ExecutorConfigError(
      "Invalid executor environment:\n  INNGEST_EVENT_KEY: required when INNGEST_SIGNING_KEY is set (inngest.send() needs it); unset INNGEST_SIGNING_KEY to use the embedded executor",
    );
  }
  if (env.EXECUTOR_RETRY_MAX_MS < env.EXECUTOR_RETRY_BASE_MS) {
    throw new ExecutorConfigError("Invalid executor environment:\n  EXECUTOR_RETRY_MAX_MS: must be at least EXECUTOR_RETRY_BASE_MS");
  }
  const appUrl = (env.EXECUTOR_APP_URL ?? `http://127.0.0.1:${env.PORT}`).replace(/\/+$/, "");
  return {
    mode,
    executorKey: env.EXECUTOR_KEY,
    appUrl,
    serveUrl: appUrl + SERVE_PATH,
    ingestBaseUrl: appUrl + SERVE_PATH + "/",
    concurrency: env.EXECUTOR_CONCURRENCY,
    processes: env.EXECUTOR_PROCESSES ?? defaultExecutorProcesses(),
    leaseMs: env.EXECUTOR_LEASE_MS,
    pollMs: env.EXECUTOR_POLL_MS,
    requestTimeoutMs: env.EXECUTOR_REQUEST_TIMEOUT_MS,
    retryBaseMs: env.EXECUTOR_RETRY_BASE_MS,
    retryMaxMs: env.EXECUTOR_RETRY_MAX_MS,
    serve: env.EXECUTOR_SERVE,
    ingestInProcess: env.EXECUTOR_INGEST_IN_PROCESS === "1",
  };
}

/**
 * One executor per core, the app's own server counting as one: each executor process runs the SDK
 * and the delivery work on its own event loop, so a machine with more cores delivers more.
 */
export function defaultExecutorProcesses(cores = os.availableParallelism()): number {
  return Math.max(1, cores - 1);
}

let cached: ExecutorConfig | undefined;
export function executorConfig(): ExecutorConfig {
  cached ??= parseExecutorConfig();
  return cached;
}
