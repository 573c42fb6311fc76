import { z } from "zod";
import { defineOperation } from "@/lib/api/v1/operation";

/** The calls that are about the API itself: health and this document. */
export const metaOperations = [
  defineOperation({
    method: "GET",
    path: "/api/v1/health",
    operationId: "v1.health.get",
    tag: "Health",
    summary: "Health",
    description: "204 while the API answers. No database work (the dashboard's `/api/health` also checks the database).",
    access: "public",
    response: { status: 204, description: "The API is up." },
    handler: async () => null,
  }),
  defineOperation({
    method: "GET",
    path: "/api/v1/openapi.json",
    operationId: "v1.openapi.get",
    tag: "Health",
    summary: "OpenAPI document",
    description: "This API's OpenAPI 3.1 document, generated from the schemas the server validates with.",
    access: "public",
    response: { status: 200, description: "The document.", schema: z.record(z.string(), z.unknown()) },
    handler: async () => {
      const { openApiDocument } = await import("@/lib/api/v1/registry");
      return openApiDocument() as unknown as Record<string, unknown>;
    },
  }),
];
