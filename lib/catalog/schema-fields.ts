/**
 * Derives a field table from a JSON Schema: one row per property, nested objects and array items
 * indented below their parent. Handles what the catalog and the OpenAPI document use: properties,
 * items, local `$ref`s (into `$defs`, or `components/schemas` of the document given as `root`),
 * type unions (`["string", "null"]`), enum/const, oneOf/anyOf and allOf.
 */
export interface FieldRow {
  /** Dotted path; array items appear as `lines[]`. */
  path: string;
  name: string;
  depth: number;
  type: string;
  required: boolean;
  enumValues: string[];
  format?: string;
  description?: string;
  /** Limits worth knowing before a request is refused: `1–200 characters`, `≤ 250`, `default 50`. */
  constraints: string[];
}

export type Schema = Record<string, unknown>;

export const isSchema = (v: unknown): v is Schema => typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * The schema with its local `$ref` followed (siblings of the `$ref` win, as in 2020-12) and its
 * `allOf` parts merged into one object schema. A `$ref` in `seen` is not followed again.
 */
export function resolve(schema: Schema, root: Schema, seen: Set<string> = new Set()): Schema {
  const ref = schema.$ref;
  if (typeof ref === "string" && ref.startsWith("#/") && !seen.has(ref)) {
    const target = ref
      .slice(2)
      .split("/")
      .reduce<unknown>((node, key) => (isSchema(node) ? node[key.replace(/~1/g, "/").replace(/~0/g, "~")] : undefined), root);
    if (isSchema(target)) {
      const { $ref: _ref, ...rest } = schema;
      return { ...resolve(target, root, new Set([...seen, ref])), ...rest };
    }
  }
  return Array.isArray(schema.allOf) ? mergeAllOf(schema, root, seen) : schema;
}

function mergeAllOf(schema: Schema, root: Schema, seen: Set<string>): Schema {
  const { allOf, ...rest } = schema;
  const parts = (allOf as unknown[]).filter(isSchema).map((part) => resolve(part, root, seen));
  const merged: Schema = {};
  const properties: Schema = {};
  const required = new Set<string>();
  for (const part of [...parts, rest]) {
    Object.assign(merged, part);
    if (isSchema(part.properties)) Object.assign(properties, part.properties);
    if (Array.isArray(part.required)) part.required.forEach((r) => typeof r === "string" && required.add(r));
  }
  if (Object.keys(properties).length) merged.properties = properties;
  if (required.size) merged.required = [...required];
  else delete merged.required;
  return merged;
}

function variants(schema: Schema): Schema[] {
  const list = schema.oneOf ?? schema.anyOf;
  return Array.isArray(list) ? list.filter(isSchema) : [];
}

/** `root` resolves `$ref`s inside unions and array items (see `deriveFields`). */
export function typeLabel(schema: Schema, root: Schema = schema): string {
  const t = schema.type;
  let label: string;
  if (Array.isArray(t)) label = t.join(" | ");
  else if (typeof t === "string") label = t;
  else if (schema.const !== undefined) label = typeof schema.const;
  else if (Array.isArray(schema.enum)) label = [...new Set(schema.enum.map((v) => (v === null ? "null" : typeof v)))].join(" | ");
  else if (variants(schema).length) label = [...new Set(variants(schema).map((v) => typeLabel(resolve(v, root), root)))].join(" | ");
  else if (isSchema(schema.properties)) label = "object";
  else label = "any";
  if (label === "array" && isSchema(schema.items)) {
    const item = resolve(schema.items, root);
    return `array of ${typeLabel(item, root)}`;
  }
  return label;
}

function enumValues(schema: Schema, root: Schema): string[] {
  if (Array.isArray(schema.enum)) return schema.enum.map((v) => (typeof v === "string" ? v : JSON.stringify(v)));
  if (schema.const !== undefined) return [typeof schema.const === "string" ? schema.const : JSON.stringify(schema.const)];
  // A nullable enum is a union of the enum and null.
  return variants(schema).flatMap((v) => enumValues(resolve(v, root), root));
}

/** zod's `int()` bounds: true of every integer a client sends, so not worth a line. */
const SAFE_INTEGER = Number.MAX_SAFE_INTEGER;

function range(min: unknown, max: unknown, unit: string): string | null {
  const lo = typeof min === "number" && Math.abs(min) !== SAFE_INTEGER ? min : null;
  const hi = typeof max === "number" && Math.abs(max) !== SAFE_INTEGER ? max : null;
  const suffix = unit ? ` ${unit}` : "";
  if (lo !== null && hi !== null) return lo === hi ? `exactly ${lo}${suffix}` : `${lo}–${hi}${suffix}`;
  if (lo !== null) return `≥ ${lo}${suffix}`;
  if (hi !== null) return `≤ ${hi}${suffix}`;
  return null;
}

export function constraintsOf(schema: Schema): string[] {
  const out = [
    range(schema.minLength, schema.maxLength, "characters"),
    range(schema.minimum, schema.maximum, ""),
    range(schema.minItems, schema.maxItems, "items"),
    typeof schema.pattern === "string" ? `pattern ${schema.pattern}` : null,
    schema.default !== undefined ? `default ${JSON.stringify(schema.default)}` : null,
  ];
  return out.filter((c): c is string => c !== null);
}

const MAX_DEPTH = 12;

/**
 * `root` is what local `$ref`s point into: the schema itself (the catalog's `$defs`), or the whole
 * OpenAPI document for a schema taken out of it (`#/components/schemas/...`).
 */
export function deriveFields(rootSchema: unknown, root: unknown = rootSchema): FieldRow[] {
  if (!isSchema(rootSchema) || !isSchema(root)) return [];
  const refRoot: Schema = root;
  const rows: FieldRow[] = [];

  function walkObject(schema: Schema, prefix: string, depth: number, seen: Set<string>) {
    if (depth > MAX_DEPTH) return;
    const resolved = resolve(schema, refRoot, seen);
    const props = isSchema(resolved.properties) ? resolved.properties : {};
    const required = new Set(Array.isArray(resolved.required) ? resolved.required.filter((r): r is string => typeof r === "string") : []);
    for (const [name, raw] of Object.entries(props)) {
      if (!isSchema(raw)) continue;
      const ref = typeof raw.$ref === "string" ? raw.$ref : undefined;
      // A $ref already being expanded above is recursive: show the row, do not expand it again.
      const recursive = ref !== undefined && seen.has(ref);
      const field = resolve(raw, refRoot, new Set());
      const path = prefix ? `${prefix}.${name}` : name;
      rows.push({
        path,
        name,
        depth,
        type: typeLabel(field, refRoot),
        required: required.has(name),
        enumValues: enumValues(field, refRoot),
        format: typeof field.format === "string" ? field.format : undefined,
        description: typeof field.description === "string" ? field.description : undefined,
        constraints: constraintsOf(field),
      });
      if (!recursive) walkChildren(field, path, depth + 1, ref ? new Set([...seen, ref]) : seen);
    }
  }

  function walkChildren(field: Schema, path: string, depth: number, seen: Set<string>) {
    if (isSchema(field.properties)) walkObject(field, path, depth, seen);
    if (isSchema(field.items)) {
      const item = resolve(field.items, refRoot, seen);
      if (isSchema(item.properties)) walkObject(item, `${path}[]`, depth, seen);
    }
    for (const variant of variants(field)) {
      const v = resolve(variant, refRoot, seen);
      if (isSchema(v.properties)) walkObject(v, path, depth, seen);
    }
  }

  walkObject(rootSchema, "", 0, new Set());
  return rows;
}
