import type { z } from "zod";
import { fail, type ActionResult } from "@/lib/action-result";
import { fieldErrorsByPath } from "@/lib/validations/field-errors";

/** The server action result for invalid input, with per-path field errors for the form. Server only. */
export function invalidInput(error: z.ZodError): ActionResult<never> {
  return fail("invalid_input", error.issues[0]?.message ?? "Invalid input", fieldErrorsByPath(error));
}
