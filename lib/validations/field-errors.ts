import type { z } from "zod";

/**
 * Field errors keyed by the full dotted path (`headers.2.name`), so a form can put each message
 * beside the exact row and input that caused it. Root-level issues go under "_form".
 */
export function fieldErrorsByPath(error: z.ZodError): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const issue of error.issues) {
    const key = issue.path.length ? issue.path.map(String).join(".") : "_form";
    (out[key] ??= []).push(issue.message);
  }
  return out;
}
