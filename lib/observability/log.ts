import { AsyncLocalStorage } from "node:async_hooks";
import { randomUUID } from "node:crypto";
import { createRequire } from "node:module";
import path from "node:path";
import pino, { type DestinationStream, type Logger } from "pino";
import { z } from "zod";
import { settingsErrorText } from "@/lib/settings-error";

/**
 * The product's logs (pino): one JSON object per line in production, for a log shipper to index;
 * readable lines in development (pino-pretty, a development dependency, loaded only then). Every
 * line written while a request is handled carries its `requestId` (`withRequest`).
 *
 * Secrets and payloads are never logged: messages say what happened and name ids; objects that
 * could hold a secret (headers, credentials, bodies) are not passed, and the `redact` list below
 * censors the usual names if one ever is. tests/integration/metrics-and-logs.test.ts greps the
 * output of a whole instance for known secrets.
 */

const LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;
const FORMATS = ["json", "pretty"] as const;

const logEnvSchema = z.object({
  LOG_LEVEL: z.enum(LEVELS, { error: (issue) => `LOG_LEVEL must be one of ${LEVELS.join(", ")}; got "${String(issue.input)}"` }).default("info"),
  /** Overrides the choice NODE_ENV makes (json in production, pretty otherwise). */
  LOG_FORMAT: z.enum(FORMATS, { error: (issue) => `LOG_FORMAT must be json or pretty; got "${String(issue.input)}"` }).optional(),
  NODE_ENV: z.string().optional(),
});

export type LogFormat = "json" | "pretty";

/** Field names whose values are censored wherever they appear in a logged object (two levels deep). */
const SECRET_KEYS = ["authorization", "cookie", "password", "secret", "secrets", "token", "apiKey", "key", "signature", "payload", "body", "headers"];
const REDACT_PATHS = SECRET_KEYS.flatMap((k) => [k, `*.${k}`, `*.*.${k}`]);

/** A request being handled: the client's `X-Request-Id` header, and the id, made when a line first needs it. */
interface RequestContext {
  readonly header: string | null | undefined;
  id?: string;
}

/**
 * One context for the whole process. The server script (scripts/serve.ts) and the copy of this module
 * that Next bundles into its routes are two module instances; each with its own AsyncLocalStorage,
 * every API request ran in two contexts, and on Node 20 every enabled AsyncLocalStorage writes its
 * store onto every async resource the process creates, in a request or not (docs/benchmarks.md,
 * "Issue 25, third pass").
 */
const CONTEXT_KEY = Symbol.for("hookrelay.requestContext");
const contextHolder = globalThis as typeof globalThis & { [CONTEXT_KEY]?: AsyncLocalStorage<RequestContext> };
const requestContext = (contextHolder[CONTEXT_KEY] ??= new AsyncLocalStorage<RequestContext>());

/** A client's own request id is kept when it looks like one (bounded, printable); otherwise a new one is made. */
const CLIENT_REQUEST_ID = /^[A-Za-z0-9._:-]{8,128}$/;

export function requestIdFrom(header: string | null | undefined): string {
  return header && CLIENT_REQUEST_ID.test(header) ? header : `req_${randomUUID().replaceAll("-", "")}`;
}

/**
 * Runs `work` as the handling of a request whose `X-Request-Id` header is `header`: every line logged
 * until it settles, however deep the call, carries the request's id (`requestIdFrom(header)`, made at
 * the first line, so a request that logs nothing makes none).
 */
export function withRequest<T>(header: string | null | undefined, work: () => T): T {
  return requestContext.run({ header }, work);
}

/** Whether a request is being handled (its context is set). */
export function inRequest(): boolean {
  return requestContext.getStore() !== undefined;
}

/** The request id of the request being handled, if any. */
export function currentRequestId(): string | undefined {
  const store = requestContext.getStore();
  return store && (store.id ??= requestIdFrom(store.header));
}

export interface LoggerSettings {
  format: LogFormat;
  level: string;
}

export class LogConfigError extends Error {}

export function logSettings(source: Record<string, string | undefined> = process.env): LoggerSettings {
  const result = logEnvSchema.safeParse(Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== "")));
  if (!result.success) {
    throw new LogConfigError(settingsErrorText("Invalid environment", result.error));
  }
  const parsed = result.data;
  return { level: parsed.LOG_LEVEL, format: parsed.LOG_FORMAT ?? (parsed.NODE_ENV === "production" ? "json" : "pretty") };
}

/** pino-pretty as a synchronous stream, resolved from the app's folder (it is not bundled); null where it is not installed. */
function prettyStream(): DestinationStream | null {
  try {
    const load = createRequire(path.join(process.cwd(), "package.json"));
    const pretty = load("pino-pretty") as (options: Record<string, unknown>) => DestinationStream;
    return pretty({ sync: true, colorize: process.stdout.isTTY === true, ignore: "pid,hostname", translateTime: "SYS:HH:MM:ss.l" });
  } catch {
    return null;
  }
}

/** A logger with the product's settings; `destination` for tests (stdout otherwise). */
export function createLogger(settings: LoggerSettings = logSettings(), destination?: DestinationStream): Logger {
  const options: pino.LoggerOptions = {
    level: settings.level,
    base: { pid: process.pid },
    redact: { paths: REDACT_PATHS, censor: "[redacted]" },
    mixin: () => {
      const requestId = currentRequestId();
      return requestId ? { requestId } : {};
    },
  };
  if (destination) return pino(options, destination);
  const pretty = settings.format === "pretty" ? prettyStream() : null;
  return pino(options, pretty ?? pino.destination({ dest: 1, sync: true }));
}

const KEY = Symbol.for("hookrelay.logger");
const holder = globalThis as typeof globalThis & { [KEY]?: Logger };

/**
 * The process's logger, made at its first use (so that a script can set NODE_ENV first). With
 * invalid log settings nothing can be logged: the process says why on stderr and exits 1.
 */
export function logger(): Logger {
  if (holder[KEY]) return holder[KEY];
  let settings: LoggerSettings;
  try {
    settings = logSettings();
  } catch (error) {
    if (!(error instanceof LogConfigError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }
  return (holder[KEY] = createLogger(settings));
}

/** A logger whose messages start with `prefix` (`[hookrelay]`, `[worker 1]`, ...), as the process's lines always have. */
export function loggerFor(prefix: string): Logger {
  return logger().child({}, { msgPrefix: `${prefix} ` });
}

/** An error as a log field: its class, message and code, without the properties some errors carry (a query's parameters, a request's headers). */
export function errorFields(error: unknown): { error: { type: string; message: string; code?: string; stack?: string } } {
  if (!(error instanceof Error)) return { error: { type: typeof error, message: String(error) } };
  const code = (error as { code?: unknown }).code;
  return { error: { type: error.name, message: error.message, ...(typeof code === "string" ? { code } : {}), ...(error.stack ? { stack: error.stack } : {}) } };
}
