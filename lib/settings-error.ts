import type { z } from "zod";

/**
 * The text of a settings error, one line per refused variable under a title, e.g.
 * `Invalid environment:\n  LOG_LEVEL: LOG_LEVEL must be one of …`. Every module that validates
 * environment variables (lib/env.ts, the delivery, retention, recovery, executor, watchdog, log,
 * metrics and tracing settings) words its error this way.
 */
export function settingsErrorText(title: string, error: z.ZodError): string {
  return `${title}:\n${error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`).join("\n")}`;
}
