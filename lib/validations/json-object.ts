import { z } from "zod";

/**
 * A JSON object given as an object or as JSON text (a form's textarea); the output is always the
 * parsed object, and text that is not a JSON object fails on this field with the reason.
 */
export const jsonObject = (what: string) =>
  z.union([z.string(), z.record(z.string(), z.unknown())], { error: `${what} must be a JSON object` }).transform((input, ctx) => {
    if (typeof input !== "string") return input;
    try {
      const value: unknown = JSON.parse(input);
      if (typeof value === "object" && value !== null && !Array.isArray(value)) return value as Record<string, unknown>;
      ctx.addIssue({ code: "custom", message: `${what} must be a JSON object ({ ... })` });
    } catch (error) {
      ctx.addIssue({ code: "custom", message: `${what} is not valid JSON: ${error instanceof Error ? error.message : String(error)}` });
    }
    return z.NEVER;
  });
