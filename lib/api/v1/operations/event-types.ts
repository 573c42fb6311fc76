import { z } from "zod";
import { apiKeyActor } from "@/lib/api/app-request";
import { answer, type AnyOperation, apiError, defineOperation, invalidField } from "@/lib/api/v1/operation";
import { dateTimeOut, iteratorPosition, listAnswer, listInMemory, listOf, orderedListQuery, sortOrderOf } from "@/lib/api/v1/schemas";
import { listEventTypeDetails, getEventType, type EventTypeDetail } from "@/lib/catalog/event-types";
import {
  archiveSvixEventType,
  createSvixEventType,
  SCHEMA_VERSION,
  svixSchemas,
  SvixEventTypeError,
  updateSvixEventType,
  type SvixEventTypeChanges,
} from "@/lib/catalog/svix-event-types";
import { eventTypeNameSchema } from "@/lib/validations/catalog";

const SCHEMAS_DESCRIPTION = `The payload's JSON Schema (draft 2020-12) under version "${SCHEMA_VERSION}", the only version: \`{ "${SCHEMA_VERSION}": { "type": "object", ..., "examples": [ <payload>, ... ] } }\`. The \`examples\` keyword holds the type's example payloads (at least one; each must match the schema).`;

/** Svix's `EventTypeOut`. */
const eventTypeOut = z
  .object({
    name: z.string().meta({ description: "The dotted name (`contract.created`)." }),
    description: z.string(),
    archived: z.boolean().meta({ description: "Archived types accept no new messages or subscriptions; existing endpoint filters keep them." }),
    deprecated: z.boolean(),
    schemas: z
      .record(z.string(), z.record(z.string(), z.unknown()))
      .nullable()
      .meta({ description: `${SCHEMAS_DESCRIPTION} Null in lists without \`with_content=true\`.` }),
    createdAt: dateTimeOut,
    updatedAt: dateTimeOut,
    groupName: z.string().meta({ description: "The part of the name before the first dot." }),
    featureFlags: z.null().meta({ description: "Always null: feature flags are not supported." }),
  })
  .meta({ id: "EventTypeOut" });

function toEventTypeOut(detail: EventTypeDetail, withContent = true): z.input<typeof eventTypeOut> {
  return {
    name: detail.name,
    description: detail.description,
    archived: detail.archived,
    deprecated: detail.deprecated,
    schemas: withContent ? svixSchemas(detail) : null,
    createdAt: detail.createdAt,
    updatedAt: detail.updatedAt,
    groupName: detail.group,
    featureFlags: null,
  };
}

const boolParam = (name: string, description: string) =>
  z
    .enum(["true", "false"], { message: `${name} is true or false` })
    .optional()
    .transform((value) => value === "true")
    .meta({ description });

const schemasField = z.record(z.string(), z.unknown()).nullish().meta({ description: SCHEMAS_DESCRIPTION });
const groupNameField = z.string().nullish().meta({ description: "Accepted when absent, null or the part of the name before the first dot (the group is always that)." });
const featureFlagsField = z.array(z.string()).nullish().meta({ description: "Accepted when absent, null or empty: feature flags are not supported." });
const descriptionField = z.string().meta({ description: "What the event means, for the people who subscribe to it." });

const eventTypeIn = z
  .object({
    name: eventTypeNameSchema,
    description: descriptionField,
    archived: z.boolean().optional().meta({ description: "Create it archived (default false)." }),
    deprecated: z.boolean().optional(),
    schemas: schemasField,
    groupName: groupNameField,
    featureFlags: featureFlagsField,
  })
  .meta({ id: "EventTypeIn" });

const eventTypeUpsertIn = eventTypeIn
  .omit({ name: true })
  .extend({ archived: z.boolean().optional().meta({ description: "Default false: a PUT brings an archived type back." }) })
  .meta({ id: "EventTypeUpsertIn" });

const eventTypePatch = z
  .object({
    description: descriptionField.optional(),
    archived: z.boolean().optional(),
    deprecated: z.boolean().optional(),
    schemas: schemasField,
    groupName: groupNameField,
    featureFlags: featureFlagsField,
  })
  .meta({ id: "EventTypePatch" });

const nameParams = z.object({ event_type_name: z.string().min(1).max(100).meta({ description: "The event type's name." }) });

/** Runs a catalog write, answering its rule violations as a 422 on the body's fields. */
async function write<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof SvixEventTypeError) {
      throw apiError(
        "invalid_body",
        `${error.issues[0]?.loc.join(".") ?? "body"}: ${error.message}`,
        error.issues.map((issue) => ({ ...issue, loc: ["body", ...issue.loc] })),
      );
    }
    throw error;
  }
}

function notFound(name: string): never {
  throw apiError("not_found", `No event type named "${name}".`);
}

function exists(name: string): never {
  throw apiError("conflict", `An event type named "${name}" already exists: change it with PUT or PATCH /api/v1/event-type/${name}.`);
}

export const eventTypesOperations: AnyOperation[] = [
  defineOperation({
    method: "GET",
    path: "/api/v1/event-type",
    operationId: "v1.event-type.list",
    tag: "Event Type",
    summary: "List event types",
    description:
      "The shared catalog, newest first (oldest first with `order=ascending`). Archived types only with `include_archived=true`; schemas only with `with_content=true`. The iterator is a type's name.",
    access: "any",
    query: orderedListQuery.extend({
      include_archived: boolParam("include_archived", "Include archived types (default false)."),
      with_content: boolParam("with_content", "Include each type's `schemas` (default false: null)."),
    }),
    response: { status: 200, description: "One page of event types.", schema: listOf(eventTypeOut, "EventTypeOut") },
    handler: async ({ query }) => {
      const details = await listEventTypeDetails({ includeArchived: query.include_archived });
      const order = sortOrderOf(query.order);
      const read = await iteratorPosition(query.iterator, {
        noun: "event type",
        // An archived type left out of this list still has its place in it.
        find: async (name) => {
          const type = details.find((d) => d.name === name) ?? (await getEventType(name));
          return type && { at: type.createdAt, id: type.name };
        },
      }, order);
      const page = listInMemory(details, (d) => ({ at: d.createdAt, id: d.name }), query.limit, read, order);
      return listAnswer(page, read, (d) => d.name, (d) => toEventTypeOut(d, query.with_content));
    },
  }),
  defineOperation({
    method: "POST",
    path: "/api/v1/event-type",
    operationId: "v1.event-type.create",
    tag: "Event Type",
    summary: "Create event type",
    description:
      "Adds a type to the shared catalog (platform keys only), with the staff catalog's rules: a dotted lowercase name, a description, a schema that compiles and at least one example that matches it. An archived type of the same name is brought back with the new content; an active one is refused with 409.",
    access: "platform",
    body: eventTypeIn,
    response: { status: 201, description: "Created.", schema: eventTypeOut },
    errors: ["conflict"],
    handler: async ({ principal, body }) => {
      const { name, ...changes } = body;
      const result = await write(async () => createSvixEventType(name, changes, await apiKeyActor(principal)));
      return result.ok ? toEventTypeOut(result.detail) : exists(name);
    },
  }),
  defineOperation({
    method: "GET",
    path: "/api/v1/event-type/{event_type_name}",
    operationId: "v1.event-type.get",
    tag: "Event Type",
    summary: "Get event type",
    description: "Archived types stay readable.",
    access: "any",
    params: nameParams,
    response: { status: 200, description: "The event type.", schema: eventTypeOut },
    errors: ["not_found"],
    handler: async ({ params }) => {
      const detail = await getEventType(params.event_type_name);
      return detail ? toEventTypeOut(detail) : notFound(params.event_type_name);
    },
  }),
  defineOperation({
    method: "PUT",
    path: "/api/v1/event-type/{event_type_name}",
    operationId: "v1.event-type.update",
    tag: "Event Type",
    summary: "Update or create event type",
    description:
      "Replaces the description, `deprecated` (default false) and `archived` (default false: a PUT brings an archived type back); `schemas` replaces the schema, and its absence keeps the current one. Creates the type (201) when there is none of this name. Platform keys only.",
    access: "platform",
    params: nameParams,
    body: eventTypeUpsertIn,
    response: { status: 200, description: "Updated.", schema: eventTypeOut },
    handler: async ({ principal, params, body }) => {
      const name = params.event_type_name;
      const actor = await apiKeyActor(principal);
      const changes: SvixEventTypeChanges = { ...body, deprecated: body.deprecated ?? false, archived: body.archived ?? false };
      const detail = await write(() => updateSvixEventType(name, changes, actor));
      if (detail) return toEventTypeOut(detail);
      const parsedName = eventTypeNameSchema.safeParse(name);
      if (!parsedName.success) {
        const msg = parsedName.error.issues[0]?.message ?? "invalid";
        throw invalidField(["path", "event_type_name"], msg, { message: `name: ${msg}` });
      }
      const created = await write(() => createSvixEventType(parsedName.data, changes, actor));
      if (!created.ok) return exists(name);
      return answer(201, toEventTypeOut(created.detail));
    },
  }),
  defineOperation({
    method: "PATCH",
    path: "/api/v1/event-type/{event_type_name}",
    operationId: "v1.event-type.patch",
    tag: "Event Type",
    summary: "Patch event type",
    description: "Changes only the fields given (`archived: false` brings an archived type back). Platform keys only.",
    access: "platform",
    params: nameParams,
    body: eventTypePatch,
    response: { status: 200, description: "Updated.", schema: eventTypeOut },
    errors: ["not_found"],
    handler: async ({ principal, params, body }) => {
      const actor = await apiKeyActor(principal);
      const detail = await write(() => updateSvixEventType(params.event_type_name, body, actor));
      return detail ? toEventTypeOut(detail) : notFound(params.event_type_name);
    },
  }),
  defineOperation({
    method: "DELETE",
    path: "/api/v1/event-type/{event_type_name}",
    operationId: "v1.event-type.delete",
    tag: "Event Type",
    summary: "Archive event type",
    description:
      "Archives the type: new messages of it and new subscriptions to it are refused; endpoints already subscribed keep it in their filter, and its messages stay readable. Bring it back with create, PUT or PATCH `archived: false`. Event types are never deleted for good: `expunge=true` is refused. Platform keys only.",
    access: "platform",
    params: nameParams,
    query: z.object({ expunge: boolParam("expunge", "Not supported: only `false` (or absent) is accepted.") }),
    response: { status: 204, description: "Archived." },
    errors: ["not_found"],
    handler: async ({ principal, params, query }) => {
      if (query.expunge) {
        const msg = "Event types are never deleted for good (messages and endpoint filters keep their names): call without expunge to archive it.";
        throw invalidField(["query", "expunge"], msg, { message: msg });
      }
      if ((await archiveSvixEventType(params.event_type_name, await apiKeyActor(principal))) === "not_found") return notFound(params.event_type_name);
      return null;
    },
  }),
];
