import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import SwaggerParser from "@apidevtools/swagger-parser";
import { describe, expect, it } from "vitest";
import * as catchAll from "@/app/api/v1/[[...path]]/route";
import { openApiDocument, operations } from "@/lib/api/v1/registry";

/**
 * The route files under app/api/v1 and the operations of the OpenAPI document are the same set:
 * a route added without its operation (or an operation without its route file) fails here.
 */
const ROOT = path.resolve(import.meta.dirname, "../../app/api/v1");
const CATCH_ALL = "[[...path]]";

/**
 * Every operation of the API, written by hand: a route lost together with its operation (which the
 * two-way check below cannot see), a renamed operation id or a moved path fails here, and adding an
 * operation means adding its row.
 */
const EXPECTED_OPERATIONS = [
  "GET /api/v1/app v1.application.list",
  "POST /api/v1/app v1.application.create",
  "GET /api/v1/app/{app_id} v1.application.get",
  "PUT /api/v1/app/{app_id} v1.application.update",
  "PATCH /api/v1/app/{app_id} v1.application.patch",
  "DELETE /api/v1/app/{app_id} v1.application.delete",
  "GET /api/v1/event-type v1.event-type.list",
  "POST /api/v1/event-type v1.event-type.create",
  "GET /api/v1/event-type/{event_type_name} v1.event-type.get",
  "PUT /api/v1/event-type/{event_type_name} v1.event-type.update",
  "PATCH /api/v1/event-type/{event_type_name} v1.event-type.patch",
  "DELETE /api/v1/event-type/{event_type_name} v1.event-type.delete",
  "GET /api/v1/app/{app_id}/endpoint v1.endpoint.list",
  "POST /api/v1/app/{app_id}/endpoint v1.endpoint.create",
  "GET /api/v1/app/{app_id}/endpoint/{endpoint_id} v1.endpoint.get",
  "PUT /api/v1/app/{app_id}/endpoint/{endpoint_id} v1.endpoint.update",
  "PATCH /api/v1/app/{app_id}/endpoint/{endpoint_id} v1.endpoint.patch",
  "DELETE /api/v1/app/{app_id}/endpoint/{endpoint_id} v1.endpoint.delete",
  "GET /api/v1/app/{app_id}/endpoint/{endpoint_id}/secret v1.endpoint.get-secret",
  "POST /api/v1/app/{app_id}/endpoint/{endpoint_id}/secret/rotate v1.endpoint.rotate-secret",
  "GET /api/v1/app/{app_id}/endpoint/{endpoint_id}/headers v1.endpoint.get-headers",
  "PUT /api/v1/app/{app_id}/endpoint/{endpoint_id}/headers v1.endpoint.update-headers",
  "PATCH /api/v1/app/{app_id}/endpoint/{endpoint_id}/headers v1.endpoint.patch-headers",
  "GET /api/v1/app/{app_id}/endpoint/{endpoint_id}/stats v1.endpoint.get-stats",
  "POST /api/v1/app/{app_id}/endpoint/{endpoint_id}/send-example v1.endpoint.send-example",
  "POST /api/v1/app/{app_id}/endpoint/{endpoint_id}/recover v1.endpoint.recover",
  "POST /api/v1/app/{app_id}/endpoint/{endpoint_id}/replay-missing v1.endpoint.replay-missing",
  "GET /api/v1/app/{app_id}/endpoint/{endpoint_id}/msg v1.message-attempt.list-attempted-messages",
  "POST /api/v1/app/{app_id}/msg v1.message.create",
  "GET /api/v1/app/{app_id}/msg v1.message.list",
  "GET /api/v1/app/{app_id}/msg/{msg_id} v1.message.get",
  "DELETE /api/v1/app/{app_id}/msg/{msg_id}/content v1.message.expunge-content",
  "GET /api/v1/app/{app_id}/attempt/endpoint/{endpoint_id} v1.message-attempt.list-by-endpoint",
  "GET /api/v1/app/{app_id}/attempt/msg/{msg_id} v1.message-attempt.list-by-msg",
  "GET /api/v1/app/{app_id}/msg/{msg_id}/endpoint v1.message-attempt.list-attempted-destinations",
  "GET /api/v1/app/{app_id}/msg/{msg_id}/attempt/{attempt_id} v1.message-attempt.get",
  "POST /api/v1/app/{app_id}/msg/{msg_id}/endpoint/{endpoint_id}/resend v1.message-attempt.resend",
  "DELETE /api/v1/app/{app_id}/msg/{msg_id}/attempt/{attempt_id}/content v1.message-attempt.expunge-content",
  "GET /api/v1/background-task v1.background-task.list",
  "GET /api/v1/background-task/{task_id} v1.background-task.get",
  "POST /api/v1/auth/app-portal-access/{app_id} v1.authentication.app-portal-access",
  "POST /api/v1/auth/app/{app_id}/expire-all v1.authentication.expire-all",
  "POST /api/v1/auth/logout v1.authentication.logout",
  "GET /api/v1/operational-webhook/endpoint v1.operational-webhook.endpoint.list",
  "POST /api/v1/operational-webhook/endpoint v1.operational-webhook.endpoint.create",
  "GET /api/v1/operational-webhook/endpoint/{endpoint_id} v1.operational-webhook.endpoint.get",
  "PUT /api/v1/operational-webhook/endpoint/{endpoint_id} v1.operational-webhook.endpoint.upsert",
  "DELETE /api/v1/operational-webhook/endpoint/{endpoint_id} v1.operational-webhook.endpoint.delete",
  "GET /api/v1/operational-webhook/endpoint/{endpoint_id}/secret v1.operational-webhook.endpoint.get-secret",
  "POST /api/v1/operational-webhook/endpoint/{endpoint_id}/secret/rotate v1.operational-webhook.endpoint.rotate-secret",
  "GET /api/v1/operational-webhook/endpoint/{endpoint_id}/headers v1.operational-webhook.endpoint.get-headers",
  "PUT /api/v1/operational-webhook/endpoint/{endpoint_id}/headers v1.operational-webhook.endpoint.set-headers",
  "GET /api/v1/health v1.health.get",
  "GET /api/v1/openapi.json v1.openapi.get",
];

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

  it("declares exactly the operations listed by hand, each path served by its own route file", () => {
    expect(operations.map((op) => `${op.method} ${op.path} ${op.operationId}`).sort()).toEqual([...EXPECTED_OPERATIONS].sort());
    const expectedPaths = new Set(EXPECTED_OPERATIONS.map((row) => row.split(" ")[1]));
    expect(files.map(templateOf).sort()).toEqual([...expectedPaths].sort());
  });

  it("answers a path no route serves with the API's not_found problem, for every method", async () => {
    for (const method of ["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"] as const) {
      const response = catchAll[method](new Request("http://localhost/api/v1/no/such/path", { method }));
      expect(response.status, method).toBe(404);
      expect(await response.json(), method).toMatchObject({ code: "not_found" });
    }
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
