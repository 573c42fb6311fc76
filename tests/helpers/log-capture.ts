import { Writable } from "node:stream";
import { createLogger } from "@/lib/observability/log";

/**
 * The process's logger (lib/observability/log.ts) swapped for one that keeps every line as parsed
 * JSON, for a test to assert on what the product logged; `restore()` puts the original back.
 */

export interface LoggedLine {
  level: number;
  msg: string;
  [field: string]: unknown;
}

const KEY = Symbol.for("hookrelay.logger");

export function captureLogs(): { lines: LoggedLine[]; errors: () => LoggedLine[]; restore: () => void } {
  const holder = globalThis as typeof globalThis & { [KEY]?: unknown };
  const previous = holder[KEY];
  const lines: LoggedLine[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split("\n")) if (line) lines.push(JSON.parse(line) as LoggedLine);
      done();
    },
  });
  holder[KEY] = createLogger({ format: "json", level: "info" }, destination);
  return {
    lines,
    // pino's levels: 50 error, 60 fatal.
    errors: () => lines.filter((line) => line.level >= 50),
    restore: () => {
      holder[KEY] = previous;
    },
  };
}
