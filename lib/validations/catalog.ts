import { z } from "zod";
import { compileSchema, formatPayloadErrors, validatePayload } from "@/lib/catalog/ajv";
import { EVENT_TYPE_NAME } from "@/lib/catalog/names";
import { jsonObject } from "@/lib/validations/json-object";
import { storableText } from "@/lib/validations/storable-json";

/**
 * The one set of rules for event types (staff form, server actions, API). Schemas and payloads are
 * accepted as JSON objects or as JSON text (the form's textareas); the output is always parsed.
 */
export const eventTypeNameSchema = z
  .string({ error: "Name is required" })
  .trim()
  .min(3, "Name is required")
  .max(100, "Name must be at most 100 characters")
  .regex(EVENT_TYPE_NAME, "Use lowercase dotted names such as contract.created (letters, digits and _; at least one dot)");

export const catalogExampleSchema = z.object({
  name: z.string().trim().min(1, "Example name is required").max(100, "Example name must be at most 100 characters").superRefine(storableText("Example name")),
  payload: jsonObject("Example payload"),
});

const eventTypeFields = z.object({
  name: eventTypeNameSchema,
  description: z.string().trim().min(1, "Description is required").max(2000, "Description must be at most 2,000 characters").superRefine(storableText("Description")),
  deprecated: z.boolean().default(false),
  schema: jsonObject("Schema"),
  examples: z.array(catalogExampleSchema).min(1, "Add at least one example payload").max(20, "At most 20 examples"),
});
type EventTypeFields = z.output<typeof eventTypeFields>;

/** The checks that need no schema compiler; false when the schema cannot be compiled at all. */
function checkShape(value: EventTypeFields, ctx: z.RefinementCtx): boolean {
  const names = new Set<string>();
  value.examples.forEach((example, i) => {
    if (names.has(example.name)) ctx.addIssue({ code: "custom", path: ["examples", i, "name"], message: `Another example is already named "${example.name}"` });
    names.add(example.name);
  });
  if (value.schema.type !== "object") {
    ctx.addIssue({ code: "custom", path: ["schema"], message: 'Event payloads are JSON objects: the schema needs "type": "object" at its root' });
    return false;
  }
  return true;
}

/**
 * What the staff form checks in the browser. Compiling the JSON Schema and validating the examples
 * against it happen on the server only: Ajv compiles to code with `new Function`, which the
 * dashboard's Content-Security-Policy (no 'unsafe-eval') forbids in the browser.
 */
export const eventTypeFormSchema = eventTypeFields.superRefine((value, ctx) => void checkShape(value, ctx));

/** Create and edit share it; on edit the name identifies the type and cannot change (filters store it). */
export const eventTypeSchema = eventTypeFields.superRefine((value, ctx) => {
  if (!checkShape(value, ctx)) return;
  const compiled = compileSchema(value.schema);
  if (!compiled.ok) {
    ctx.addIssue({ code: "custom", path: ["schema"], message: compiled.error });
    return;
  }
  value.examples.forEach((example, i) => {
    const errors = validatePayload(compiled.validate, example.payload);
    if (errors.length) {
      ctx.addIssue({ code: "custom", path: ["examples", i, "payload"], message: `Does not match the schema: ${formatPayloadErrors(errors)}` });
    }
  });
});

export const archiveEventTypeSchema = z.object({
  name: eventTypeNameSchema,
  archived: z.boolean({ error: "archived must be true or false" }),
});

export type EventTypeInput = z.input<typeof eventTypeSchema>;
export type EventTypeData = z.output<typeof eventTypeSchema>;
