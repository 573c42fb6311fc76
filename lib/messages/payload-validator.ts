import type { ValidateFunction } from "ajv";
import { compileSchema } from "@/lib/catalog/ajv";

/**
 * Compiled payload validators, one per event type version (name + updatedAt): compiling a schema
 * costs milliseconds, validating with a compiled one microseconds.
 */
const cache = new Map<string, { version: number; validate: ValidateFunction }>();

export function validatorFor(type: { name: string; schema: unknown; updatedAt: Date }): ValidateFunction | { error: string } {
  const version = type.updatedAt.getTime();
  const hit = cache.get(type.name);
  if (hit && hit.version === version) return hit.validate;
  const compiled = compileSchema(type.schema);
  if (!compiled.ok) return { error: compiled.error };
  cache.set(type.name, { version, validate: compiled.validate });
  return compiled.validate;
}
