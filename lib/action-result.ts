import { z } from "zod";
import { AuthorizationError } from "@/lib/auth/session";

/** What every server action returns: errors are values, never thrown stack traces. */
export type ActionResult<T = undefined> =
  | { ok: true; data: T }
  | { ok: false; error: string; code: string; fieldErrors?: Record<string, string[]> };

export function ok<T>(data: T): ActionResult<T> {
  return { ok: true, data };
}

export function fail(code: string, error: string, fieldErrors?: Record<string, string[]>): ActionResult<never> {
  return { ok: false, code, error, fieldErrors };
}

export function fromZod(error: z.ZodError): ActionResult<never> {
  const flat = z.flattenError(error);
  const fieldErrors = flat.fieldErrors as Record<string, string[]>;
  const first = error.issues[0];
  return fail("invalid_input", first ? first.message : "Invalid input", fieldErrors);
}

/** Maps expected failures to results; unexpected ones are logged server-side and hidden. */
export async function runAction<T>(fn: () => Promise<ActionResult<T>>): Promise<ActionResult<T>> {
  try {
    return await fn();
  } catch (error) {
    if (error instanceof AuthorizationError) return fail(error.code, error.message);
    console.error("server action failed", error);
    return fail("internal", "Something went wrong on our side. Try again; if it persists, check the server log.");
  }
}
