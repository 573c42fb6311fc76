import { z } from "zod";
import { deriveFields, isSchema, resolve, typeLabel, type FieldRow, type Schema } from "@/lib/catalog/schema-fields";

/**
 * The dashboard's API reference, read out of the OpenAPI document (`openApiDocument()`): sections
 * by tag in the document's order, each operation with its parameters, body and answers as field
 * rows. It walks whatever the document holds, so a new operation appears without a change here.
 */

export const HTTP_METHODS = ["get", "post", "put", "patch", "delete"] as const;
export type Method = Uppercase<(typeof HTTP_METHODS)[number]>;

/** Who may call an operation: the document's `x-hookrelay-access` (see openapi.ts). */
export type Access = "public" | "any" | "platform" | "app" | "portal";
const accessSchema = z.enum(["public", "any", "platform", "app", "portal"]);

export interface SchemaView {
  /** The component's name when the schema is a `$ref` (`MessageIn`). */
  name: string | null;
  type: string;
  fields: FieldRow[];
}

export interface ParameterGroup {
  location: "path" | "query" | "header";
  fields: FieldRow[];
}

export interface OperationView {
  /** The HTML id of its heading: the operationId where it is usable as one. */
  anchor: string;
  operationId: string;
  method: Method;
  path: string;
  summary: string;
  description: string;
  access: Access | null;
  parameters: ParameterGroup[];
  body: SchemaView | null;
  success: { status: string; description: string; body: SchemaView | null };
  errors: { status: string; description: string }[];
  /** Lower-cased text the filter matches against. */
  searchText: string;
}

export interface SectionView {
  tag: string;
  anchor: string;
  operations: OperationView[];
}

const parameterSchema = z.object({
  name: z.string(),
  in: z.enum(["path", "query", "header", "cookie"]),
  required: z.boolean().optional(),
  description: z.string().optional(),
  schema: z.record(z.string(), z.unknown()).optional(),
});

const operationSchema = z.object({
  operationId: z.string().optional(),
  summary: z.string().optional(),
  description: z.string().optional(),
  tags: z.array(z.string()).optional(),
  parameters: z.array(z.unknown()).optional(),
  requestBody: z.unknown().optional(),
  responses: z.record(z.string(), z.unknown()).optional(),
  "x-hookrelay-access": accessSchema.optional(),
});

const documentSchema = z.object({
  tags: z.array(z.object({ name: z.string() })).optional(),
  paths: z.record(z.string(), z.record(z.string(), z.unknown())).optional(),
});

/** A `#/...` reference followed through the document (parameters, bodies, responses, schemas). */
function deref(node: unknown, root: Schema): Schema | null {
  return isSchema(node) ? resolve(node, root) : null;
}

const refName = (schema: Schema) => (typeof schema.$ref === "string" ? (schema.$ref.split("/").pop() ?? null) : null);

/** The JSON body of a request or response, as a field table. */
function jsonBody(container: Schema | null, root: Schema): SchemaView | null {
  const content = container && isSchema(container.content) ? container.content : null;
  const media = content ? (content["application/json"] ?? Object.values(content)[0]) : null;
  if (!isSchema(media) || !isSchema(media.schema)) return null;
  const schema = media.schema;
  return { name: refName(schema), type: typeLabel(resolve(schema, root), root), fields: deriveFields(schema, root) };
}

/** Parameters by location, as the fields of one object each, so they read like body fields. */
function parameterGroups(list: unknown[], root: Schema): ParameterGroup[] {
  const groups = new Map<ParameterGroup["location"], { properties: Schema; required: string[] }>();
  for (const raw of list) {
    const parsed = parameterSchema.safeParse(deref(raw, root));
    if (!parsed.success) continue;
    const { in: location, name, schema, description, required } = parsed.data;
    if (location === "cookie") continue;
    const group = groups.get(location) ?? { properties: {}, required: [] };
    group.properties[name] = { ...schema, ...(description ? { description } : {}) };
    if (required || location === "path") group.required.push(name);
    groups.set(location, group);
  }
  return (["path", "query", "header"] as const).flatMap((location) => {
    const group = groups.get(location);
    return group ? [{ location, fields: deriveFields({ type: "object", ...group }, root) }] : [];
  });
}

/** Ids must be usable in a URL fragment and `getElementById`. */
export function anchorOf(text: string): string {
  return text.replace(/[^A-Za-z0-9_.-]+/g, "-").replace(/^-+|-+$/g, "") || "section";
}

function operationView(method: Method, path: string, raw: unknown, root: Schema): OperationView | null {
  const parsed = operationSchema.safeParse(deref(raw, root));
  if (!parsed.success) return null;
  const op = parsed.data;
  const responses = Object.entries(op.responses ?? {}).sort(([a], [b]) => a.localeCompare(b));
  const successEntry = responses.find(([status]) => status.startsWith("2"));
  const success = successEntry ? deref(successEntry[1], root) : null;
  const summary = op.summary ?? `${method} ${path}`;
  const operationId = op.operationId ?? `${method.toLowerCase()} ${path}`;
  const description = op.description ?? "";
  return {
    anchor: anchorOf(operationId),
    operationId,
    method,
    path,
    summary,
    description,
    access: op["x-hookrelay-access"] ?? null,
    parameters: parameterGroups(op.parameters ?? [], root),
    body: jsonBody(deref(op.requestBody, root), root),
    success: {
      status: successEntry?.[0] ?? "",
      description: typeof success?.description === "string" ? success.description : "",
      body: jsonBody(success, root),
    },
    errors: responses
      .filter(([status]) => !status.startsWith("2"))
      .map(([status, response]) => {
        const r = deref(response, root);
        return { status, description: typeof r?.description === "string" ? r.description : "" };
      }),
    searchText: [operationId, summary, method, path, description].join(" ").toLowerCase(),
  };
}

/** The document's operations grouped by their first tag: declared tags first, in order, then any other. */
export function referenceSections(document: unknown): SectionView[] {
  if (!isSchema(document)) return [];
  const parsed = documentSchema.safeParse(document);
  if (!parsed.success) return [];
  const byTag = new Map<string, OperationView[]>((parsed.data.tags ?? []).map((t) => [t.name, []]));
  for (const [path, item] of Object.entries(parsed.data.paths ?? {})) {
    for (const method of HTTP_METHODS) {
      if (!(method in item)) continue;
      const view = operationView(method.toUpperCase() as Method, path, item[method], document);
      if (!view) continue;
      const tag = operationSchema.safeParse(item[method]).data?.tags?.[0] ?? "Other";
      byTag.set(tag, [...(byTag.get(tag) ?? []), view]);
    }
  }
  return [...byTag]
    .filter(([, operations]) => operations.length > 0)
    .map(([tag, operations]) => ({ tag, anchor: `tag-${anchorOf(tag)}`, operations }));
}

/** What the index shows of an operation, and the text its filter matches. */
export type IndexOperation = Pick<OperationView, "anchor" | "method" | "path" | "summary" | "searchText">;

export interface IndexSection {
  tag: string;
  anchor: string;
  operations: IndexOperation[];
}

/** An operation's tables: sent when the operation is opened, not with the page. */
export type OperationDetails = Pick<OperationView, "parameters" | "body" | "success" | "errors">;

/** Every operation by section, without the tables: the page's index and filter. */
export function referenceIndex(sections: SectionView[]): IndexSection[] {
  return sections.map(({ tag, anchor, operations }) => ({
    tag,
    anchor,
    operations: operations.map(({ anchor, method, path, summary, searchText }) => ({ anchor, method, path, summary, searchText })),
  }));
}

export function operationDetails({ parameters, body, success, errors }: OperationView): OperationDetails {
  return { parameters, body, success, errors };
}

/** The section a `?section=` value names; anything else (absent, stale, hand-edited) shows the first. */
export function chosenSection<T extends { anchor: string }>(sections: T[], anchor: string | undefined): T | undefined {
  return sections.find((s) => s.anchor === anchor) ?? sections[0];
}

/** The section a `#fragment` belongs to: the one it names, or the one holding the operation it names. */
export function sectionOfFragment(sections: IndexSection[], fragment: string): string | null {
  const section = sections.find((s) => s.anchor === fragment || s.operations.some((op) => op.anchor === fragment));
  return section?.anchor ?? null;
}

/** Whether an operation matches the filter: every word of the query somewhere in its text. */
export function matchesFilter(searchText: string, query: string): boolean {
  return query
    .toLowerCase()
    .split(/\s+/)
    .filter(Boolean)
    .every((word) => searchText.includes(word));
}
