import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";

/**
 * Where code may reach (docs/server-actions.md): `app/` holds routes only, so nothing outside it
 * imports from it; server actions live in `actions/`, and a `"use server"` file exports async
 * functions only (Next turns each export into an endpoint; a type the browser shares with an action
 * lives in a plain module of its domain, e.g. lib/recovery/wire.ts).
 */
const ROOT = path.resolve(import.meta.dirname, "../..");
const SKIP = new Set([".git", "node_modules", "generated", ".next", ".next-test", ".data", "tools", "test-results", "playwright-report"]);

function sourceFiles(dir: string): string[] {
  return readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
    const rel = path.join(dir, entry.name);
    if (entry.isDirectory()) return SKIP.has(entry.name) ? [] : sourceFiles(rel);
    return /\.(ts|tsx)$/.test(entry.name) ? [rel] : [];
  });
}

/** Every module a file imports, re-exports, requires or imports dynamically, as written. */
function importsOf(file: string): string[] {
  return ts.preProcessFile(readFileSync(path.join(ROOT, file), "utf8"), true, true).importedFiles.map((f) => f.fileName);
}

function reachesIntoApp(file: string, specifier: string): boolean {
  if (specifier === "@/app" || specifier.startsWith("@/app/")) return true;
  if (!specifier.startsWith(".")) return false;
  const target = path.relative(ROOT, path.resolve(ROOT, path.dirname(file), specifier));
  return target === "app" || target.startsWith(`app${path.sep}`);
}

describe("nothing outside app/ imports from it", () => {
  const files = ["components", "lib", "actions"].flatMap((dir) => sourceFiles(dir));

  it("reads the components, lib and actions trees", () => {
    expect(files.length).toBeGreaterThan(200);
    expect(files.some((f) => f.startsWith(`actions${path.sep}`))).toBe(true);
  });

  it("finds no import of @/app (or a relative path into app/) in components/, lib/ or actions/", () => {
    const offenders = files.flatMap((file) => importsOf(file).filter((s) => reachesIntoApp(file, s)).map((s) => `${file} imports ${s}`));
    expect(offenders).toEqual([]);
  });
});

describe("the domain reaches the engine through the outbox only", () => {
  const files = sourceFiles("lib");
  const reachesEngine = (specifier: string) => specifier === "@/inngest" || specifier.startsWith("@/inngest/");

  it("finds inngest/ imported in lib/ by lib/outbox/ alone", () => {
    const importers = files.filter((file) => importsOf(file).some(reachesEngine)).map((f) => f.split(path.sep).join("/"));
    expect(importers.length).toBeGreaterThan(0);
    expect(importers.filter((f) => !f.startsWith("lib/outbox/"))).toEqual([]);
  });
});

function isUseServer(source: ts.SourceFile): boolean {
  const first = source.statements[0];
  return !!first && ts.isExpressionStatement(first) && ts.isStringLiteral(first.expression) && first.expression.text === "use server";
}

function isExported(statement: ts.Statement): boolean {
  return ts.canHaveModifiers(statement) && !!ts.getModifiers(statement)?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
}

function isAsync(node: ts.Node): boolean {
  return ts.canHaveModifiers(node) && !!ts.getModifiers(node)?.some((m) => m.kind === ts.SyntaxKind.AsyncKeyword);
}

/** `defineAction(...)` returns an async function (lib/actions/define-action.ts); so does an async arrow or function expression. */
function isAsyncFunctionValue(expression: ts.Expression | undefined): boolean {
  if (!expression) return false;
  if (ts.isArrowFunction(expression) || ts.isFunctionExpression(expression)) return isAsync(expression);
  return ts.isCallExpression(expression) && ts.isIdentifier(expression.expression) && expression.expression.text === "defineAction";
}

/** What a `"use server"` file exports that is not an async function, by name and kind. */
function nonAsyncExports(file: string): string[] {
  const source = ts.createSourceFile(file, readFileSync(path.join(ROOT, file), "utf8"), ts.ScriptTarget.Latest, true);
  return source.statements.flatMap((statement): string[] => {
    if (ts.isExportDeclaration(statement)) return [`re-export ${statement.getText(source)}`];
    if (ts.isExportAssignment(statement)) return [`export default ${statement.expression.getText(source)}`];
    if (!isExported(statement)) return [];
    if (ts.isFunctionDeclaration(statement)) return isAsync(statement) ? [] : [`function ${statement.name?.text ?? "default"} (not async)`];
    if (ts.isVariableStatement(statement)) {
      return statement.declarationList.declarations.filter((d) => !isAsyncFunctionValue(d.initializer)).map((d) => `const ${d.name.getText(source)}`);
    }
    const name = (statement as ts.Statement & { name?: ts.Identifier }).name?.text ?? "";
    return [`${ts.SyntaxKind[statement.kind]} ${name}`.trim()];
  });
}

describe('"use server" files export async functions only', () => {
  const files = sourceFiles(".").filter((file) => isUseServer(ts.createSourceFile(file, readFileSync(path.join(ROOT, file), "utf8"), ts.ScriptTarget.Latest)));

  it("finds the server action files, all in actions/", () => {
    expect(files.length).toBeGreaterThan(10);
    expect(files.filter((f) => !f.startsWith(`actions${path.sep}`))).toEqual([]);
  });

  it.each(files.map((f) => [f]))("%s exports nothing but async functions (no types, constants or sync functions)", (file) => {
    expect(nonAsyncExports(file)).toEqual([]);
  });

  it.each(files.map((f) => [f]))("%s: every export is an async function at run time", async (file) => {
    const exports: Record<string, unknown> = await import(/* @vite-ignore */ path.join(ROOT, file));
    const notAsync = Object.entries(exports).filter(([, value]) => !(typeof value === "function" && value.constructor.name === "AsyncFunction"));
    expect(notAsync.map(([name]) => name)).toEqual([]);
  });
});
