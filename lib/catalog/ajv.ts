import Ajv2020, { type ErrorObject, type ValidateFunction } from "ajv/dist/2020";
import addFormats from "ajv-formats";

/**
 * JSON Schema (draft 2020-12) compile and validate for the catalog. Strict schema mode catches
 * misspelt keywords, which would otherwise silently validate nothing.
 */
function createAjv(): Ajv2020 {
  const ajv = new Ajv2020({ allErrors: true, strict: true, strictTypes: false, strictTuples: false, strictRequired: false });
  addFormats(ajv);
  return ajv;
}

export type CompileResult = { ok: true; validate: ValidateFunction } | { ok: false; error: string };

export function compileSchema(schema: unknown): CompileResult {
  if (typeof schema !== "object" || schema === null || Array.isArray(schema)) {
    return { ok: false, error: "The schema must be a JSON object" };
  }
  // A fresh instance per schema: the catalog's schemas may share `$id`s, which Ajv refuses to add twice.
  try {
    return { ok: true, validate: createAjv().compile(schema) };
  } catch (error) {
    return { ok: false, error: `The schema does not compile: ${error instanceof Error ? error.message : String(error)}` };
  }
}

export interface PayloadError {
  /** JSON Pointer of the failing value ("" is the payload itself). */
  path: string;
  message: string;
}

function describe(error: ErrorObject): PayloadError {
  let path = error.instancePath;
  let message = error.message ?? "is invalid";
  if (error.keyword === "required") {
    const missing = (error.params as { missingProperty: string }).missingProperty;
    path = `${path}/${missing}`;
    message = "is required";
  } else if (error.keyword === "additionalProperties") {
    const extra = (error.params as { additionalProperty: string }).additionalProperty;
    path = `${path}/${extra}`;
    message = "is not allowed by the schema";
  } else if (error.keyword === "enum") {
    message = `must be one of ${(error.params as { allowedValues: unknown[] }).allowedValues.map((v) => JSON.stringify(v)).join(", ")}`;
  }
  return { path, message };
}

export function validatePayload(validate: ValidateFunction, payload: unknown): PayloadError[] {
  if (validate(payload)) return [];
  return (validate.errors ?? []).map(describe);
}

export function formatPayloadErrors(errors: PayloadError[]): string {
  return errors.map((e) => `${e.path || "(payload)"} ${e.message}`).join("; ");
}
