import { z } from "zod";
import { apiKeyActor } from "@/lib/api/app-request";
import { answer, type AnyOperation, apiError, defineOperation } from "@/lib/api/v1/operation";
import { dateTimeOut, iteratorPosition, listAnswer, listInMemory, listOf, metadataSchema, orderedListQuery, sortOrderOf } from "@/lib/api/v1/schemas";
import {
  applyEndpointChanges,
  createEndpoint,
  deleteEndpoint,
  findEndpoint,
  listEndpoints,
  revealEndpointSecret,
  rotateEndpointSecret,
  type EndpointFailure,
  type EndpointView,
} from "@/lib/endpoints/endpoints";
import { headersToMap } from "@/lib/endpoints/headers-map";
import { OPERATIONAL_EVENT_TYPE_NAMES } from "@/lib/operational/events";
import { ids } from "@/lib/ids";
import { PLATFORM_ORGANIZATION_ID } from "@/lib/operational/platform";
import { customHeadersMapSchema, endpointUidSchema, type CustomHeader, type EndpointConfig } from "@/lib/validations/endpoint";
import { operatorEndpointFormSchema } from "@/lib/validations/operational";
import { signingSecretSchema } from "@/lib/validations/signing-secret";

/**
 * Svix's `operational-webhook.endpoint.*` calls, platform keys only: the platform's operators add
 * endpoints that receive operational events (lib/operational/events.ts) about every
 * organization's webhooks. Operator endpoints are endpoints of the platform organization
 * (lib/operational/platform.ts), so every rule of an endpoint holds (URL, headers, secrets,
 * rotation, delivery, retries, auto-disable); `eventTypes` takes operational events, and null or
 * absent means every one of them, as in Svix.
 */

const TAG = "Operational Webhook";

const params = z.object({
  endpoint_id: z.string().min(1).max(256).meta({ description: "The operator endpoint: its id (`ep_…`) or its `uid`." }),
});

const form = operatorEndpointFormSchema.shape;

const eventTypes = z
  .array(z.enum(OPERATIONAL_EVENT_TYPE_NAMES, { error: (issue) => `${String(issue.input)} is not an operational event; choose from ${OPERATIONAL_EVENT_TYPE_NAMES.join(", ")}` }))
  .min(1, "eventTypes lists at least one operational event; send null (or omit it) for every one")
  .transform((names) => [...new Set(names)].sort())
  .nullish()
  .meta({ description: `The operational events it receives: ${OPERATIONAL_EVENT_TYPE_NAMES.join(", ")}. Null or absent: every one, including those added later.` });

const throttleRate = form.rateLimit.optional().meta({ description: "Messages per second sent to it at most (1–10,000); null for no limit." });
const uid = endpointUidSchema.nullish().meta({ description: "Your own unique id for it (letters, digits, `-`, `_`, `.`), usable in place of its id. Null removes it." });
const disabled = z.boolean().optional().meta({ description: "Disabled, it receives nothing (pending deliveries end failed); absent leaves it as it is, or enabled when created." });
const headersMap = customHeadersMapSchema.meta({
  override: { type: "object", additionalProperties: { type: "string" } },
  description: "Custom headers sent with every request, by name (the rules of an endpoint's headers).",
});

const endpointIn = z
  .object({
    url: form.url,
    description: form.description,
    throttleRate,
    uid,
    disabled,
    eventTypes,
    secret: signingSecretSchema.nullish().meta({ description: "Its signing secret, `whsec_` + base64 of 24 to 64 bytes; omit it to have one generated (recommended)." }),
    metadata: metadataSchema.optional(),
    headers: headersMap.nullish(),
  })
  .meta({ id: "OperationalWebhookEndpointIn" });

const endpointUpsertIn = z
  .object({ url: form.url, description: form.description, throttleRate, uid, disabled, eventTypes, metadata: metadataSchema.optional() })
  .meta({ id: "OperationalWebhookEndpointUpsertIn" });

const endpointOut = z
  .object({
    id: z.string().meta({ description: "The operator endpoint's id (`ep_…`)." }),
    url: z.string(),
    description: z.string(),
    throttleRate: z.number().int().nullable(),
    uid: z.string().nullable(),
    disabled: z.boolean(),
    eventTypes: z.array(z.string()).nullable().meta({ description: "Null: every operational event." }),
    createdAt: dateTimeOut,
    updatedAt: dateTimeOut,
    metadata: z.record(z.string(), z.string()),
  })
  .meta({ id: "OperationalWebhookEndpointOut" });

function toOut(e: EndpointView): z.input<typeof endpointOut> {
  return {
    id: e.id,
    url: e.url,
    description: e.description,
    throttleRate: e.rateLimit,
    uid: e.uid,
    disabled: e.disabled,
    eventTypes: e.eventTypes.length ? e.eventTypes : null,
    createdAt: e.createdAt,
    updatedAt: e.updatedAt,
    metadata: e.metadata,
  };
}

const notFound = (ref: string) => apiError("not_found", `No operational webhook endpoint "${ref}" (by id or uid).`);

async function endpointOrNotFound(ref: string): Promise<EndpointView> {
  const endpoint = await findEndpoint(PLATFORM_ORGANIZATION_ID, ref);
  if (!endpoint) throw notFound(ref);
  return endpoint;
}

function failure(result: EndpointFailure, ref: string) {
  if (result.code === "not_found") return notFound(ref);
  if (result.code === "conflict") return apiError("conflict", result.message);
  return apiError(result.code === "unknown_event_types" ? "unknown_event_types" : "invalid_body", result.message, [
    { loc: ["body", result.field ?? "url"], msg: result.message, type: result.code },
  ]);
}

type Change = { url: string; description: string; eventTypes?: string[] | null; throttleRate?: number | null };

/** The configuration a PUT leaves: Svix's upsert replaces it, custom headers apart (they change through /headers). */
function replaced(change: Change, headers: CustomHeader[]): EndpointConfig {
  return { url: change.url, description: change.description, eventTypes: change.eventTypes ?? [], rateLimit: change.throttleRate ?? null, headers };
}

async function save(current: EndpointView, config: EndpointConfig, api: { uid?: string | null; metadata?: Record<string, string>; disabled?: boolean }, principal: Parameters<typeof apiKeyActor>[0], ref: string) {
  const saved = await applyEndpointChanges(PLATFORM_ORGANIZATION_ID, current.id, config, api, await apiKeyActor(principal));
  if (!saved.ok) throw failure(saved, ref);
  return toOut(await endpointOrNotFound(current.id));
}

const headersOut = z
  .object({
    headers: z.record(z.string(), z.string()),
    sensitive: z.array(z.string()).meta({ description: "Always []: values are returned as stored." }),
  })
  .meta({ id: "OperationalWebhookEndpointHeadersOut" });

export const operationalWebhooksOperations: AnyOperation[] = [
  defineOperation({
    method: "GET",
    path: "/api/v1/operational-webhook/endpoint",
    operationId: "v1.operational-webhook.endpoint.list",
    tag: TAG,
    summary: "List operational webhook endpoints",
    description: "The operator endpoints, newest first, or oldest first with `order=ascending`.",
    access: "platform",
    query: orderedListQuery,
    response: { status: 200, description: "A page of operator endpoints.", schema: listOf(endpointOut, "OperationalWebhookEndpointOut") },
    handler: async ({ query }) => {
      const endpoints = await listEndpoints(PLATFORM_ORGANIZATION_ID);
      const order = sortOrderOf(query.order);
      const read = await iteratorPosition(query.iterator, {
        noun: "operational webhook endpoint",
        accepts: ids.endpoint.is,
        find: async (id) => {
          const endpoint = endpoints.find((e) => e.id === id);
          return endpoint ? { at: endpoint.createdAt, id: endpoint.id } : null;
        },
      }, order);
      const page = listInMemory(endpoints, (e) => ({ at: e.createdAt, id: e.id }), query.limit, read, order);
      return listAnswer(page, read, (e) => e.id, toOut);
    },
  }),
  defineOperation({
    method: "POST",
    path: "/api/v1/operational-webhook/endpoint",
    operationId: "v1.operational-webhook.endpoint.create",
    tag: TAG,
    summary: "Create operational webhook endpoint",
    description: "Adds an operator endpoint. Its signing secret is generated unless `secret` is given; it is delivered to like any endpoint (signed, retried on the schedule, in its log).",
    access: "platform",
    body: endpointIn,
    response: { status: 201, description: "Created.", schema: endpointOut },
    errors: ["unknown_event_types", "conflict"],
    handler: async ({ principal, body }) => {
      const created = await createEndpoint(
        PLATFORM_ORGANIZATION_ID,
        { url: body.url, description: body.description, eventTypes: body.eventTypes ?? [], rateLimit: body.throttleRate ?? null, headers: body.headers ?? [] },
        await apiKeyActor(principal),
        new Date(),
        { uid: body.uid ?? null, metadata: body.metadata, disabled: body.disabled, secret: body.secret ?? undefined },
      );
      if (!created.ok) throw failure(created, body.uid ?? body.url);
      return toOut(await endpointOrNotFound(created.id));
    },
  }),
  defineOperation({
    method: "GET",
    path: "/api/v1/operational-webhook/endpoint/{endpoint_id}",
    operationId: "v1.operational-webhook.endpoint.get",
    tag: TAG,
    summary: "Get operational webhook endpoint",
    access: "platform",
    params,
    response: { status: 200, description: "The operator endpoint.", schema: endpointOut },
    errors: ["not_found"],
    handler: async ({ params }) => toOut(await endpointOrNotFound(params.endpoint_id)),
  }),
  defineOperation({
    method: "PUT",
    path: "/api/v1/operational-webhook/endpoint/{endpoint_id}",
    operationId: "v1.operational-webhook.endpoint.upsert",
    tag: TAG,
    summary: "Upsert operational webhook endpoint",
    description:
      "Replaces the operator endpoint's configuration (`uid`, `metadata` and `disabled` stay as they are when absent; custom headers and the secret change through their own calls). When none has this `{endpoint_id}` and it is a valid uid, one is created with that uid (201).",
    access: "platform",
    params,
    body: endpointUpsertIn,
    response: { status: 200, description: "Updated.", schema: endpointOut },
    errors: ["not_found", "unknown_event_types", "conflict"],
    handler: async ({ principal, params, body }) => {
      const current = await findEndpoint(PLATFORM_ORGANIZATION_ID, params.endpoint_id);
      if (current) return save(current, replaced(body, current.headers), { uid: body.uid, metadata: body.metadata, disabled: body.disabled }, principal, params.endpoint_id);
      const asUid = endpointUidSchema.safeParse(params.endpoint_id);
      if (!asUid.success) throw notFound(params.endpoint_id);
      const created = await createEndpoint(PLATFORM_ORGANIZATION_ID, replaced(body, []), await apiKeyActor(principal), new Date(), {
        uid: asUid.data,
        metadata: body.metadata,
        disabled: body.disabled,
      });
      if (!created.ok) throw failure(created, params.endpoint_id);
      return answer(201, toOut(await endpointOrNotFound(created.id)));
    },
  }),
  defineOperation({
    method: "DELETE",
    path: "/api/v1/operational-webhook/endpoint/{endpoint_id}",
    operationId: "v1.operational-webhook.endpoint.delete",
    tag: TAG,
    summary: "Delete operational webhook endpoint",
    description: "It receives nothing more; its pending deliveries end failed.",
    access: "platform",
    params,
    response: { status: 204, description: "Deleted." },
    errors: ["not_found"],
    handler: async ({ principal, params }) => {
      const endpoint = await endpointOrNotFound(params.endpoint_id);
      const deleted = await deleteEndpoint(PLATFORM_ORGANIZATION_ID, endpoint.id, await apiKeyActor(principal));
      if (!deleted.ok) throw failure(deleted, params.endpoint_id);
      return null;
    },
  }),
  defineOperation({
    method: "GET",
    path: "/api/v1/operational-webhook/endpoint/{endpoint_id}/secret",
    operationId: "v1.operational-webhook.endpoint.get-secret",
    tag: TAG,
    summary: "Get operational webhook endpoint secret",
    description: "The current signing secret, to verify the operational events it receives. Every read is in the audit log.",
    access: "platform",
    params,
    response: { status: 200, description: "The secret.", schema: z.object({ key: z.string() }).meta({ id: "OperationalWebhookEndpointSecretOut" }) },
    errors: ["not_found"],
    handler: async ({ principal, params }) => {
      const endpoint = await endpointOrNotFound(params.endpoint_id);
      const revealed = await revealEndpointSecret(PLATFORM_ORGANIZATION_ID, endpoint.id, await apiKeyActor(principal));
      if (!revealed.ok) throw failure(revealed, params.endpoint_id);
      return { key: revealed.secret };
    },
  }),
  defineOperation({
    method: "POST",
    path: "/api/v1/operational-webhook/endpoint/{endpoint_id}/secret/rotate",
    operationId: "v1.operational-webhook.endpoint.rotate-secret",
    tag: TAG,
    summary: "Rotate operational webhook endpoint secret",
    description: "Replaces the signing secret with `key` (or a generated one); the previous one keeps signing beside it for 24 hours.",
    access: "platform",
    params,
    body: z
      .object({
        key: signingSecretSchema.nullish().meta({ description: "The new secret; omit it to have one generated (recommended)." }),
        gracePeriodSeconds: z.number().int().nullish().meta({ description: "Accepted and ignored: the previous secret always signs for 24 hours." }),
      })
      .meta({ id: "OperationalWebhookEndpointSecretIn" }),
    response: { status: 204, description: "Rotated." },
    errors: ["not_found"],
    handler: async ({ principal, params, body }) => {
      const endpoint = await endpointOrNotFound(params.endpoint_id);
      const rotated = await rotateEndpointSecret(PLATFORM_ORGANIZATION_ID, endpoint.id, await apiKeyActor(principal), new Date(), body.key ?? undefined);
      if (!rotated.ok) throw failure(rotated, params.endpoint_id);
      return null;
    },
  }),
  defineOperation({
    method: "GET",
    path: "/api/v1/operational-webhook/endpoint/{endpoint_id}/headers",
    operationId: "v1.operational-webhook.endpoint.get-headers",
    tag: TAG,
    summary: "Get operational webhook endpoint headers",
    access: "platform",
    params,
    response: { status: 200, description: "The custom headers.", schema: headersOut },
    errors: ["not_found"],
    handler: async ({ params }) => ({ headers: headersToMap((await endpointOrNotFound(params.endpoint_id)).headers), sensitive: [] }),
  }),
  defineOperation({
    method: "PUT",
    path: "/api/v1/operational-webhook/endpoint/{endpoint_id}/headers",
    operationId: "v1.operational-webhook.endpoint.set-headers",
    tag: TAG,
    summary: "Set operational webhook endpoint headers",
    description: "Replaces every custom header.",
    access: "platform",
    params,
    body: z.object({ headers: headersMap }).meta({ id: "OperationalWebhookEndpointHeadersIn" }),
    response: { status: 204, description: "Updated." },
    errors: ["not_found"],
    handler: async ({ principal, params, body }) => {
      const current = await endpointOrNotFound(params.endpoint_id);
      const config = { url: current.url, description: current.description, eventTypes: current.eventTypes, rateLimit: current.rateLimit, headers: body.headers };
      await save(current, config, {}, principal, params.endpoint_id);
      return null;
    },
  }),
];
