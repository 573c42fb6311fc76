import type { z } from "zod";

export type FieldErrors = Record<string, string[]>;

/**
 * The one conversion of zod errors (forms, server actions and the API all use it). Keyed by the
 * full dotted path (`headers.2.name`), so a form can put each message beside the exact row and
 * input that caused it. Root-level issues go under "_form".
 */
export function fieldErrorsByPath(error: z.ZodError): FieldErrors {
  const out: FieldErrors = {};
  for (const issue of error.issues) {
    const key = issue.path.length ? issue.path.map(String).join(".") : "_form";
    (out[key] ??= []).push(issue.message);
  }
  return out;
}
