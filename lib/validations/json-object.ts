import { z } from "zod";
import { describePath, findUnstorableJson } from "@/lib/validations/storable-json";

/** A zod check that `value` holds nothing the database cannot store (lib/validations/storable-json.ts), reported where it is. */
export function refuseUnstorableJson(value: unknown, ctx: z.RefinementCtx): void {
  const found = findUnstorableJson(value);
  if (found) ctx.addIssue({ code: "custom", message: found.msg, path: found.path });
}

/**
 * A JSON object given as an object or as JSON text (a form's textarea); the output is always the
 * parsed object, and text that is not a JSON object fails on this field with the reason.
 */
export const jsonObject = (what: string) =>
  z.union([z.string(), z.record(z.string(), z.unknown())], { error: `${what} must be a JSON object` }).transform((input, ctx) => {
    // Checked after parsing: in JSON text a NUL is the escape `\u0000`, and becomes one only here.
    const storable = (value: Record<string, unknown>) => {
      const found = findUnstorableJson(value);
      if (!found) return value;
      ctx.addIssue({ code: "custom", message: `${what}: ${found.path.length ? `${describePath(found.path)} ` : ""}${found.msg}` });
      return z.NEVER;
    };
    if (typeof input !== "string") return storable(input);
    try {
      const value: unknown = JSON.parse(input);
      if (typeof value === "object" && value !== null && !Array.isArray(value)) return storable(value as Record<string, unknown>);
      ctx.addIssue({ code: "custom", message: `${what} must be a JSON object ({ ... })` });
    } catch (error) {
      ctx.addIssue({ code: "custom", message: `${what} is not valid JSON: ${error instanceof Error ? error.message : String(error)}` });
    }
    return z.NEVER;
  });
