import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import SwaggerParser from "@apidevtools/swagger-parser";
import { describe, expect, it } from "vitest";
import { openApiDocument, operations } from "@/lib/api/v1/registry";

/**
 * The route files under app/api/v1 and the operations of the OpenAPI document are the same set:
 * a route added without its operation (or an operation without its route file) fails here.
 */
const ROOT = path.resolve(import.meta.dirname, "../../app/api/v1");
const CATCH_ALL = "[[...path]]";

function routeFiles(dir = ROOT): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === CATCH_ALL ? [] : routeFiles(full);
    return entry.name === "route.ts" ? [full] : [];
  });
}

/** `app/api/v1/app/[app_id]/msg/route.ts` → `/api/v1/app/{app_id}/msg`. */
function templateOf(file: string): string {
  const relative = path.relative(ROOT, path.dirname(file)).split(path.sep).filter(Boolean);
  return ["/api/v1", ...relative.map((segment) => segment.replace(/^\[(\w+)\]$/, "{$1}"))].join("/");
}

describe("the API's routes and its OpenAPI document", () => {
  const files = routeFiles();

  it("finds the route files", () => {
    expect(files.length).toBeGreaterThan(20);
  });

  it.each(files.map((f) => [path.relative(ROOT, f), f]))("%s binds to the operations of its own path", (_, file) => {
    const template = templateOf(file);
    const source = readFileSync(file, "utf8");
    // Every route file is the one-line binding; a hand-written handler would bypass the pipeline and the document.
    expect(source).toContain(`= route("${template}");`);
    expect(operations.filter((op) => op.path === template).length, `no operation declared for ${template}`).toBeGreaterThan(0);
  });

  it("has a route file for every operation, and one operation per method and path", () => {
    const templates = new Set(files.map(templateOf));
    for (const op of operations) expect(templates.has(op.path), `${op.method} ${op.path} has no route file`).toBe(true);
    const keys = operations.map((op) => `${op.method} ${op.path}`);
    expect(new Set(keys).size).toBe(keys.length);
    const ids = operations.map((op) => op.operationId);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("documents every operation, and the document is valid OpenAPI 3.1", async () => {
    const document = openApiDocument();
    expect(document.openapi).toBe("3.1.0");
    for (const op of operations) {
      const item = document.paths?.[op.path] as Record<string, { operationId?: string }> | undefined;
      expect(item?.[op.method.toLowerCase()]?.operationId, `${op.method} ${op.path}`).toBe(op.operationId);
    }
    const copy = structuredClone(document) as unknown as Parameters<typeof SwaggerParser.validate>[0];
    await SwaggerParser.validate(copy);
  });
});
