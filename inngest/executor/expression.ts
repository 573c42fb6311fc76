/**
 * The small subset of Inngest's CEL expressions the embedded executor understands, for the
 * options that take one: `idempotency` and `concurrency.key` (a field, or fields and quoted
 * strings joined with `+`), trigger `if` / onFailure expressions (`event.data.x == 'literal'`,
 * joined with `&&`) and `cancelOn` (`match: "data.x"`, i.e. `event.data.x == async.data.x`).
 * Anything else is rejected when functions are registered, never silently ignored.
 */

type Token =
  | { kind: "path"; root: "event" | "async"; path: string[] }
  | { kind: "literal"; value: string | number | boolean | null }
  | { kind: "plus" | "eq" | "and" };

export class ExpressionError extends Error {}

const TOKEN = /\s*(?:(&&)|(==)|(\+)|'([^'\\]*)'|"([^"\\]*)"|(-?\d+(?:\.\d+)?)\b|(true|false|null)\b|([A-Za-z_][\w]*(?:\.[A-Za-z_][\w]*)*))/y;

function tokenize(expr: string): Token[] {
  const tokens: Token[] = [];
  TOKEN.lastIndex = 0;
  let rest = expr.trim();
  while (rest.length > 0) {
    TOKEN.lastIndex = 0;
    const m = TOKEN.exec(rest);
    if (!m) throw new ExpressionError(`unsupported expression "${expr}" near "${rest}"`);
    rest = rest.slice(m[0].length).trimStart();
    if (m[1]) tokens.push({ kind: "and" });
    else if (m[2]) tokens.push({ kind: "eq" });
    else if (m[3]) tokens.push({ kind: "plus" });
    else if (m[4] !== undefined) tokens.push({ kind: "literal", value: m[4] });
    else if (m[5] !== undefined) tokens.push({ kind: "literal", value: m[5] });
    else if (m[6] !== undefined) tokens.push({ kind: "literal", value: Number(m[6]) });
    else if (m[7] !== undefined) tokens.push({ kind: "literal", value: m[7] === "null" ? null : m[7] === "true" });
    else {
      const [root, ...path] = m[8].split(".");
      if ((root !== "event" && root !== "async") || path.length === 0) {
        throw new ExpressionError(`unsupported expression "${expr}": fields must start with event. (or async. in cancelOn)`);
      }
      tokens.push({ kind: "path", root, path });
    }
  }
  return tokens;
}

/** Reads `path` (e.g. ["data", "endpointId"]) from an event. */
export function readPath(value: unknown, path: readonly string[]): unknown {
  let current: unknown = value;
  for (const key of path) {
    if (current === null || typeof current !== "object") return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

function asText(value: unknown): string {
  if (value === undefined || value === null) return "";
  return typeof value === "string" ? value : JSON.stringify(value);
}

export type KeyExpression = (event: unknown) => string;

/** `event.data.a` or `event.data.a + "-" + event.data.b`: the key of idempotency / concurrency. */
export function compileKeyExpression(expr: string): KeyExpression {
  const tokens = tokenize(expr);
  const parts: Token[] = [];
  tokens.forEach((t, i) => {
    const expectOperand = i % 2 === 0;
    if (expectOperand && (t.kind === "path" || t.kind === "literal")) {
      if (t.kind === "path" && t.root !== "event") throw new ExpressionError(`unsupported key expression "${expr}": only event. fields`);
      parts.push(t);
    } else if (expectOperand || t.kind !== "plus") {
      throw new ExpressionError(`unsupported key expression "${expr}": use a field or fields joined with +, e.g. event.data.endpointId`);
    }
  });
  if (parts.length === 0 || tokens.length % 2 === 0) throw new ExpressionError(`unsupported key expression "${expr}"`);
  return (event) =>
    parts.map((p) => (p.kind === "path" ? asText(readPath(event, p.path)) : asText(p.kind === "literal" ? p.value : ""))).join("");
}

type Comparison = [Token, Token];

function comparisons(expr: string): Comparison[] {
  const tokens = tokenize(expr);
  const result: Comparison[] = [];
  for (let i = 0; i < tokens.length; i += 4) {
    const [left, eq, right, and] = tokens.slice(i, i + 4);
    const operand = (t: Token | undefined) => t !== undefined && (t.kind === "path" || t.kind === "literal");
    if (!operand(left) || eq?.kind !== "eq" || !operand(right) || (and !== undefined && and.kind !== "and") || (and && i + 4 >= tokens.length)) {
      throw new ExpressionError(`unsupported expression "${expr}": use comparisons such as event.data.x == 'value' joined with &&`);
    }
    result.push([left, right]);
  }
  return result;
}

export type EventFilter = (event: unknown) => boolean;

/** A trigger's `if` (and the onFailure trigger): `event.<field> == <literal>` joined with &&. */
export function compileEventFilter(expr: string): EventFilter {
  const checks = comparisons(expr).map(([left, right]) => {
    const path = left.kind === "path" && left.root === "event" ? left : right.kind === "path" && right.root === "event" ? right : undefined;
    const literal = left.kind === "literal" ? left : right.kind === "literal" ? right : undefined;
    if (!path || !literal || path.kind !== "path" || literal.kind !== "literal") {
      throw new ExpressionError(`unsupported trigger expression "${expr}": compare an event. field with a literal`);
    }
    return (event: unknown) => readPath(event, path.path) === literal.value;
  });
  return (event) => checks.every((check) => check(event));
}

/** A pair of fields that must be equal: the run's triggering event and the incoming cancel event. */
export interface CancelMatch {
  /** Path under the run's event's `data`. */
  runDataPath: string[];
  /** Path under the incoming event (from its root). */
  incomingPath: string[];
}

/** cancelOn's `if` as the SDK registers it (`event.data.x == async.data.x`, joined with &&). */
export function compileCancelMatch(expr: string): CancelMatch[] {
  return comparisons(expr).map(([left, right]) => {
    const run = [left, right].find((t) => t.kind === "path" && t.root === "event");
    const incoming = [left, right].find((t) => t.kind === "path" && t.root === "async");
    if (!run || !incoming || run.kind !== "path" || incoming.kind !== "path" || run.path[0] !== "data") {
      throw new ExpressionError(`unsupported cancelOn expression "${expr}": use match: "data.<field>"`);
    }
    return { runDataPath: run.path.slice(1), incomingPath: incoming.path };
  });
}

/** The text PostgreSQL's `#>>` yields for a JSON value, to compare the incoming value with it. */
export function jsonText(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  return typeof value === "string" ? value : JSON.stringify(value);
}
