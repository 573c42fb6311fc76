/**
 * Derives the catalog's field table from a JSON Schema: one row per property, nested objects and
 * array items indented below their parent. Handles what the catalog uses: properties, items,
 * local `$ref`s into `$defs`, type unions (`["string", "null"]`), enum/const and oneOf/anyOf.
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
}

type Schema = Record<string, unknown>;

const isSchema = (v: unknown): v is Schema => typeof v === "object" && v !== null && !Array.isArray(v);

function resolve(schema: Schema, root: Schema, seen: Set<string>): Schema {
  const ref = schema.$ref;
  if (typeof ref !== "string" || !ref.startsWith("#/") || seen.has(ref)) return schema;
  const target = ref
    .slice(2)
    .split("/")
    .reduce<unknown>((node, key) => (isSchema(node) ? node[key.replace(/~1/g, "/").replace(/~0/g, "~")] : undefined), root);
  if (!isSchema(target)) return schema;
  const { $ref: _ref, ...rest } = schema;
  return { ...resolve(target, root, new Set([...seen, ref])), ...rest };
}

function variants(schema: Schema): Schema[] {
  const list = schema.oneOf ?? schema.anyOf;
  return Array.isArray(list) ? list.filter(isSchema) : [];
}

export function typeLabel(schema: Schema): string {
  const t = schema.type;
  let label: string;
  if (Array.isArray(t)) label = t.join(" | ");
  else if (typeof t === "string") label = t;
  else if (schema.const !== undefined) label = typeof schema.const;
  else if (Array.isArray(schema.enum)) label = [...new Set(schema.enum.map((v) => (v === null ? "null" : typeof v)))].join(" | ");
  else if (variants(schema).length) label = variants(schema).map(typeLabel).join(" | ");
  else if (isSchema(schema.properties)) label = "object";
  else label = "any";
  if (label === "array" && isSchema(schema.items)) {
    const item = schema.items;
    return `array of ${typeLabel(item)}`;
  }
  return label;
}

function enumValues(schema: Schema): string[] {
  if (Array.isArray(schema.enum)) return schema.enum.map((v) => (typeof v === "string" ? v : JSON.stringify(v)));
  if (schema.const !== undefined) return [typeof schema.const === "string" ? schema.const : JSON.stringify(schema.const)];
  return [];
}

const MAX_DEPTH = 12;

export function deriveFields(rootSchema: unknown): FieldRow[] {
  if (!isSchema(rootSchema)) return [];
  const rows: FieldRow[] = [];

  function walkObject(schema: Schema, prefix: string, depth: number, seen: Set<string>) {
    if (depth > MAX_DEPTH) return;
    const resolved = resolve(schema, rootSchema as Schema, seen);
    const props = isSchema(resolved.properties) ? resolved.properties : {};
    const required = new Set(Array.isArray(resolved.required) ? resolved.required.filter((r): r is string => typeof r === "string") : []);
    for (const [name, raw] of Object.entries(props)) {
      if (!isSchema(raw)) continue;
      const ref = typeof raw.$ref === "string" ? raw.$ref : undefined;
      // A $ref already being expanded above is recursive: show the row, do not expand it again.
      const recursive = ref !== undefined && seen.has(ref);
      const field = resolve(raw, rootSchema as Schema, new Set());
      const path = prefix ? `${prefix}.${name}` : name;
      rows.push({
        path,
        name,
        depth,
        type: typeLabel(field),
        required: required.has(name),
        enumValues: enumValues(field),
        format: typeof field.format === "string" ? field.format : undefined,
        description: typeof field.description === "string" ? field.description : undefined,
      });
      if (!recursive) walkChildren(field, path, depth + 1, ref ? new Set([...seen, ref]) : seen);
    }
  }

  function walkChildren(field: Schema, path: string, depth: number, seen: Set<string>) {
    if (isSchema(field.properties)) walkObject(field, path, depth, seen);
    if (isSchema(field.items)) {
      const item = resolve(field.items, rootSchema as Schema, seen);
      if (isSchema(item.properties)) walkObject(item, `${path}[]`, depth, seen);
    }
    for (const variant of variants(field)) {
      const v = resolve(variant, rootSchema as Schema, seen);
      if (isSchema(v.properties)) walkObject(v, path, depth, seen);
    }
  }

  walkObject(rootSchema, "", 0, new Set());
  return rows;
}
