import packageJson from "@/package.json";
import { buildOpenApiDocument } from "@/lib/api/v1/openapi";
import { routeHandlers } from "@/lib/api/v1/handle";
import type { AnyOperation } from "@/lib/api/v1/operation";
import { applicationsOperations } from "@/lib/api/v1/operations/applications";
import { attemptsOperations, expungeAttemptContentOperation } from "@/lib/api/v1/operations/attempts";
import { authenticationOperations } from "@/lib/api/v1/operations/authentication";
import { backgroundTasksOperations } from "@/lib/api/v1/operations/background-tasks";
import { endpointsOperations } from "@/lib/api/v1/operations/endpoints";
import { eventTypesOperations } from "@/lib/api/v1/operations/event-types";
import { expungeMessageContentOperation, messagesOperations } from "@/lib/api/v1/operations/messages";
import { metaOperations } from "@/lib/api/v1/operations/meta";
import { operationalWebhooksOperations } from "@/lib/api/v1/operations/operational-webhooks";

/** Every operation of `/api/v1`, in the reference's order. Route files bind to these by path. */
export const operations: readonly AnyOperation[] = [
  ...applicationsOperations,
  ...eventTypesOperations,
  ...endpointsOperations,
  ...messagesOperations,
  expungeMessageContentOperation,
  ...attemptsOperations,
  expungeAttemptContentOperation,
  ...backgroundTasksOperations,
  ...authenticationOperations,
  ...operationalWebhooksOperations,
  ...metaOperations,
];

let document: ReturnType<typeof buildOpenApiDocument> | undefined;

/** The OpenAPI document (built once per process). */
export function openApiDocument() {
  return (document ??= buildOpenApiDocument(operations, packageJson.version));
}

/** The handlers a route file exports: `export const { GET, POST, ... } = route("/api/v1/...")`. */
export function route(path: string) {
  return routeHandlers(path, operations);
}
