/**
 * JSON input the database cannot store or the server cannot handle, found before it gets there:
 * - a NUL character (`\u0000`), which neither PostgreSQL's `text` nor its `jsonb` accepts
 *   ("unsupported Unicode escape sequence");
 * - a lone UTF-16 surrogate, which `jsonb` refuses and `text` would silently turn into U+FFFD;
 * - nesting deeper than `MAX_JSON_DEPTH`, which overflows the stack of `JSON.stringify` and of
 *   Prisma's serialiser long before the body size limit is reached;
 * - a number beyond a double's range (`1e400`), which `JSON.parse` reads as Infinity and
 *   `JSON.stringify` would write back as `null`: the stored message would silently differ.
 * Callers answer 422 naming the place, rather than failing in the database with a 500.
 */

/** The deepest nesting accepted: the recursion limit of Svix's own server (serde_json's 128), so a body Svix takes is taken here. */
export const MAX_JSON_DEPTH = 128;

const UNSTORABLE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

export interface UnstorableJson {
  /** Where the problem is: the keys and indexes down to the string, key or value holding it. */
  path: (string | number)[];
  msg: string;
}

function textProblem(text: string): string | null {
  const found = UNSTORABLE.exec(text);
  if (!found) return null;
  return found[0] === "\u0000"
    ? `contains a NUL character (\\u0000) at position ${found.index}, which cannot be stored: remove it or encode the data (e.g. base64)`
    : `contains a lone UTF-16 surrogate (\\u${found[0].charCodeAt(0).toString(16)}) at position ${found.index}, which is not valid Unicode`;
}

const isPlainObject = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && Object.getPrototypeOf(value) === Object.prototype;

/** The first problem in `value` (a parsed JSON value, or an input validated from one), depth first, or null. */
export function findUnstorableJson(value: unknown): UnstorableJson | null {
  // Iterative, so that the walk itself cannot overflow on the inputs it is there to refuse.
  const stack: { value: unknown; path: (string | number)[] }[] = [{ value, path: [] }];
  while (stack.length > 0) {
    const { value: current, path } = stack.pop()!;
    if (typeof current === "string") {
      const msg = textProblem(current);
      if (msg) return { path, msg };
      continue;
    }
    if (typeof current === "number") {
      if (!Number.isFinite(current)) return { path, msg: "is a number too large for a 64-bit float (it would be stored as null): send it as a string" };
      continue;
    }
    const isArray = Array.isArray(current);
    if (!isArray && !isPlainObject(current)) continue;
    if (path.length >= MAX_JSON_DEPTH) return { path, msg: `is nested deeper than ${MAX_JSON_DEPTH} levels` };
    const entries: [string | number, unknown][] = isArray ? (current as unknown[]).map((item, i) => [i, item]) : Object.entries(current as Record<string, unknown>);
    for (const [key] of entries) {
      const msg = typeof key === "string" ? textProblem(key) : null;
      if (msg) return { path: [...path, key], msg: `key ${msg}` };
    }
    for (let i = entries.length - 1; i >= 0; i--) stack.push({ value: entries[i]![1], path: [...path, entries[i]![0]] });
  }
  return null;
}

/** `path` as a message shows it: dotted, its middle elided when it is long (a deep nesting). */
export function describePath(path: readonly (string | number)[]): string {
  return path.length > 6 ? `${path.slice(0, 3).join(".")}.….${path.slice(-2).join(".")}` : path.join(".");
}

/** A zod check for one text field: refused with "`what` contains …" when the database cannot store it. */
export function storableText(what: string) {
  return (value: string, ctx: { addIssue(issue: { code: "custom"; message: string }): void }): void => {
    const found = findUnstorableJson(value);
    if (found) ctx.addIssue({ code: "custom", message: `${what} ${found.msg}` });
  };
}
