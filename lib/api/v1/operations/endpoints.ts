import { z } from "zod";
import { apiKeyActor } from "@/lib/api/app-request";
import type { ValidationIssue } from "@/lib/api/problem";
import { answer, type AnyOperation, apiError, defineOperation, invalidField, type Organization } from "@/lib/api/v1/operation";
import { messageOut } from "@/lib/api/v1/operations/messages";
import { appParams, csvList, dateTimeIn, dateTimeOut, iteratorPosition, listAnswer, listInMemory, listOf, listQuery, metadataSchema, orderedListQuery, sortOrderOf, windowStart } from "@/lib/api/v1/schemas";
import { db } from "@/lib/db";
import { listAttemptedMessages } from "@/lib/endpoints/attempted-messages";
import { endpointDeliveryCounts } from "@/lib/endpoints/delivery-stats";
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
import { headersToMap, patchHeaders } from "@/lib/endpoints/headers-map";
import { ids } from "@/lib/ids";
import { sendExampleMessage } from "@/lib/messages/send-test";
import { taskStarted } from "@/lib/recovery/api-shape";
import { startRecovery, type TaskView } from "@/lib/recovery/tasks";
import { customHeadersMapSchema, endpointConfigSchema, endpointUidSchema, eventTypeFilterSchema, type CustomHeader, type EndpointConfig } from "@/lib/validations/endpoint";
import { windowSchema, type RecoveryKind } from "@/lib/validations/recovery";
import { signingSecretSchema } from "@/lib/validations/signing-secret";

/**
 * Svix's Endpoint calls. `{endpoint_id}` is an endpoint id (`ep_…`) or the endpoint's `uid`.
 * Differences from Svix, each deliberate:
 * - `eventTypes` is mandatory and never empty (as in the dashboard): an endpoint never receives
 *   every event implicitly, so types added to the catalog later never arrive unexpectedly.
 * - `channels` are not supported: null or [] are accepted, anything else is refused (422).
 * - Changing the URL needs no confirmation (the dashboard asks for one); the audit log records it.
 * - Stats count deliveries; `canceled` is always 0 (a stopped endpoint ends its deliveries failed).
 */

const TAG = "Endpoint";

const endpointParams = appParams.extend({
  endpoint_id: z.string().min(1).max(256).meta({ description: "The endpoint: its id (`ep_…`) or its `uid`." }),
});

const config = endpointConfigSchema.shape;

const throttleRate = config.rateLimit.meta({
  description: "Messages per second sent to this endpoint at most (1–10,000); null for no limit.",
});
const uid = endpointUidSchema.nullish().meta({ description: "Your own unique id for the endpoint in this application (letters, digits, `-`, `_`, `.`), usable in place of its id. Null removes it." });
const eventTypes = eventTypeFilterSchema.meta({
  description: "The event types it receives: at least one. Unlike Svix there is no \"every event\" (null or []): new types never arrive unexpectedly.",
});
const channels = z
  .array(z.string())
  .nullish()
  .refine((list) => !list?.length, "Channels are not supported: endpoints filter by eventTypes only. Omit channels or send null.")
  .meta({ description: "Not supported: only null or [] are accepted." });
const headersMap = customHeadersMapSchema.meta({
  override: { type: "object", additionalProperties: { type: "string" } },
  description: "Custom headers sent with every request, by name (at most 20 and 8 KB; not Host, Content-Type, webhook-* or svix-* and the other reserved names).",
});

const endpointIn = z
  .object({
    url: config.url,
    description: config.description,
    throttleRate,
    uid,
    disabled: z.boolean().optional().meta({ description: "Create it disabled (it receives nothing until enabled)." }),
    eventTypes,
    channels,
    secret: signingSecretSchema.nullish().meta({ description: "Its signing secret, `whsec_` + base64 of 24 to 64 bytes; omit it to have one generated (recommended)." }),
    metadata: metadataSchema.optional(),
    headers: headersMap.nullish(),
  })
  .meta({ id: "EndpointIn" });

const endpointUpdate = z
  .object({
    url: config.url,
    description: config.description,
    throttleRate,
    uid,
    disabled: z.boolean().optional().meta({ description: "Disable (pending deliveries end failed, recoverable later) or enable it; absent leaves it as it is." }),
    eventTypes,
    channels,
    metadata: metadataSchema.optional(),
  })
  .meta({ id: "EndpointUpdate" });

const endpointPatch = z
  .object({
    url: config.url.optional(),
    // Without the create default (""): an absent description is left as it is.
    description: config.description.unwrap().optional(),
    throttleRate: throttleRate.optional(),
    uid,
    disabled: z.boolean().optional(),
    eventTypes: eventTypes.optional(),
    channels,
    metadata: metadataSchema.optional(),
  })
  .meta({ id: "EndpointPatch", description: "Only the fields given change; `throttleRate: null` removes the limit, `uid: null` the uid." });

const endpointOut = z
  .object({
    id: z.string().meta({ description: "The endpoint id (`ep_…`)." }),
    metadata: z.record(z.string(), z.string()),
    url: z.string(),
    description: z.string(),
    throttleRate: z.number().int().nullable(),
    uid: z.string().nullable(),
    disabled: z.boolean(),
    eventTypes: z.array(z.string()),
    createdAt: dateTimeOut,
    updatedAt: dateTimeOut,
  })
  .meta({ id: "EndpointOut" });

function toOut(e: EndpointView): z.input<typeof endpointOut> {
  return { id: e.id, metadata: e.metadata, url: e.url, description: e.description, throttleRate: e.rateLimit, uid: e.uid, disabled: e.disabled, eventTypes: e.eventTypes, createdAt: e.createdAt, updatedAt: e.updatedAt };
}

const notFound = (ref: string) => apiError("not_found", `No endpoint "${ref}" in this application (by id or uid).`);

async function endpointOrNotFound(organization: Organization, ref: string): Promise<EndpointView> {
  const endpoint = await findEndpoint(organization.id, ref);
  if (!endpoint) throw notFound(ref);
  return endpoint;
}

function endpointFailure(failure: EndpointFailure, ref: string) {
  if (failure.code === "not_found") return notFound(ref);
  const issues: ValidationIssue[] = [{ loc: ["body", failure.field ?? "url"], msg: failure.message, type: failure.code }];
  if (failure.code === "unknown_event_types") return apiError("unknown_event_types", failure.message, issues);
  if (failure.code === "conflict") return apiError("conflict", failure.message);
  // url_change_unconfirmed: the API confirms URL changes itself; never reached.
  return apiError("invalid_body", failure.message, issues);
}

/** The configuration an update leaves, the endpoint's custom headers kept (they change through /headers). */
function nextConfig(current: EndpointView, change: { url?: string; description?: string; eventTypes?: string[]; rateLimit?: number | null }, headers: CustomHeader[] = current.headers): EndpointConfig {
  return {
    url: change.url ?? current.url,
    description: change.description ?? current.description,
    eventTypes: change.eventTypes ?? current.eventTypes,
    rateLimit: change.rateLimit === undefined ? current.rateLimit : change.rateLimit,
    headers,
  };
}

async function saveChanges(organization: Organization, current: EndpointView, config: EndpointConfig, api: { uid?: string | null; metadata?: Record<string, string>; disabled?: boolean }, actor: Awaited<ReturnType<typeof apiKeyActor>>, ref: string) {
  const saved = await applyEndpointChanges(organization.id, current.id, config, api, actor);
  if (!saved.ok) throw endpointFailure(saved, ref);
  return toOut(await endpointOrNotFound(organization, current.id));
}

/** Svix's `RecoverOut` / `ReplayOut`. */
const taskStartedOut = (id: string) =>
  z
    .object({
      id: z.string().meta({ description: "The background task (`qtask_…`): follow it with GET /api/v1/background-task/{task_id}." }),
      status: z.enum(["running", "finished", "failed"]),
      task: z.enum(["endpoint.recover", "endpoint.replay"]),
      updatedAt: dateTimeOut,
    })
    .meta({ id });

function taskAnswer(task: TaskView) {
  const started = taskStarted(task);
  if (started.task === "message.bulk_resend") throw new Error(`an endpoint recovery started a ${started.task} task`);
  return { ...started, task: started.task, updatedAt: task.finishedAt ?? task.startedAt ?? task.createdAt };
}

function recoveryOperation(kind: RecoveryKind) {
  const recover = kind === "resend_failed";
  return defineOperation({
    method: "POST",
    path: `/api/v1/app/{app_id}/endpoint/{endpoint_id}/${recover ? "recover" : "replay-missing"}`,
    operationId: recover ? "v1.endpoint.recover" : "v1.endpoint.replay-missing",
    tag: TAG,
    summary: recover ? "Recover failed webhooks" : "Replay missing webhooks",
    description: recover
      ? "Resends, once each, the messages of the window (`since` inclusive, `until` exclusive, now when absent, at most 14 days) whose delivery to this endpoint ended failed, as a background task. Refused while the endpoint is disabled or an identical operation runs (its `taskId` in the answer)."
      : "Sends the messages of the window that the endpoint subscribes to and never had a delivery for (it was disabled, or created later), as a background task.",
    access: "app",
    params: endpointParams,
    body: windowSchema().meta({ id: recover ? "RecoverIn" : "ReplayIn" }),
    response: { status: 202, description: "The task was started.", schema: taskStartedOut(recover ? "RecoverOut" : "ReplayOut") },
    errors: ["not_found", "endpoint_disabled", "webhooks_disabled", "operation_in_progress"],
    handler: async ({ organization, principal, params, body }) => {
      const endpoint = await endpointOrNotFound(organization, params.endpoint_id);
      const result = await startRecovery(organization, await apiKeyActor(principal), endpoint.id, kind, body);
      if (!result.ok) throw apiError(result.code, result.message, result.taskId ? { taskId: result.taskId } : undefined);
      return taskAnswer(result.task);
    },
  });
}

const queryBoolean = (description: string) =>
  z
    .enum(["true", "false"], { message: "true or false" })
    .transform((v) => v === "true")
    .optional()
    .meta({ description });

/** Svix's `MessageStatus` numbers and texts, from our delivery states. */
const MESSAGE_STATUS = [
  { status: "SUCCEEDED", filter: "succeeded", text: "success" },
  { status: "PENDING", filter: "pending", text: "pending" },
  { status: "FAILED", filter: "failed", text: "fail" },
  { status: "SENDING", filter: "sending", text: "sending" },
] as const;
const CANCELED = 4;

const endpointMessageOut = z
  .object({
    id: z.string(),
    eventType: z.string(),
    eventId: z.string().nullable(),
    payload: z.record(z.string(), z.unknown()).meta({ description: "The payload with `with_content=true`, else {}." }),
    timestamp: dateTimeOut.meta({ description: "When the message was recorded." }),
    status: z.number().int().meta({ description: "The delivery's state: 0 success, 1 pending, 2 fail, 3 sending." }),
    statusText: z.enum(["success", "pending", "fail", "sending"]),
    nextAttempt: dateTimeOut.nullable().meta({ description: "When the next attempt is due, while one is scheduled." }),
  })
  .meta({ id: "EndpointMessageOut" });

const headersOut = z
  .object({
    headers: z.record(z.string(), z.string()),
    sensitive: z.array(z.string()).meta({ description: "Always []: values are returned as stored (API keys may read them, as the dashboard's admins can)." }),
  })
  .meta({ id: "EndpointHeadersOut" });

async function replaceHeaders(organization: Organization, principal: Parameters<typeof apiKeyActor>[0], ref: string, headers: CustomHeader[]) {
  const current = await endpointOrNotFound(organization, ref);
  await saveChanges(organization, current, nextConfig(current, {}, headers), {}, await apiKeyActor(principal), ref);
  return null;
}

export const endpointsOperations: AnyOperation[] = [
  defineOperation({
    method: "GET",
    path: "/api/v1/app/{app_id}/endpoint",
    operationId: "v1.endpoint.list",
    tag: TAG,
    summary: "List endpoints",
    description: "The application's endpoints, newest first, or oldest first with `order=ascending`.",
    access: "app",
    params: appParams,
    query: orderedListQuery,
    response: { status: 200, description: "A page of endpoints.", schema: listOf(endpointOut, "EndpointOut") },
    handler: async ({ organization, query }) => {
      const endpoints = await listEndpoints(organization.id);
      const order = sortOrderOf(query.order);
      const read = await iteratorPosition(query.iterator, {
        noun: "endpoint",
        accepts: ids.endpoint.is,
        // A deleted endpoint keeps its row, so a stored id still has its place.
        find: async (id) => {
          const endpoint = endpoints.find((e) => e.id === id) ?? (await db.endpoint.findFirst({ where: { id, organizationId: organization.id }, select: { id: true, createdAt: true } }));
          return endpoint && { at: endpoint.createdAt, id: endpoint.id };
        },
      }, order);
      const page = listInMemory(endpoints, (e) => ({ at: e.createdAt, id: e.id }), query.limit, read, order);
      return listAnswer(page, read, (e) => e.id, toOut);
    },
  }),
  defineOperation({
    method: "POST",
    path: "/api/v1/app/{app_id}/endpoint",
    operationId: "v1.endpoint.create",
    tag: TAG,
    summary: "Create endpoint",
    description: "Creates an endpoint with the dashboard's rules (URL, event types from the catalog, custom headers). Its signing secret is generated unless `secret` is given.",
    access: "app",
    params: appParams,
    body: endpointIn,
    response: { status: 201, description: "Created.", schema: endpointOut },
    errors: ["unknown_event_types", "conflict"],
    handler: async ({ organization, principal, body }) => {
      const created = await createEndpoint(
        organization.id,
        { url: body.url, description: body.description, eventTypes: body.eventTypes, rateLimit: body.throttleRate, headers: body.headers ?? [] },
        await apiKeyActor(principal),
        new Date(),
        { uid: body.uid ?? null, metadata: body.metadata, disabled: body.disabled, secret: body.secret ?? undefined },
      );
      if (!created.ok) throw endpointFailure(created, body.uid ?? body.url);
      return toOut(await endpointOrNotFound(organization, created.id));
    },
  }),
  defineOperation({
    method: "GET",
    path: "/api/v1/app/{app_id}/endpoint/{endpoint_id}",
    operationId: "v1.endpoint.get",
    tag: TAG,
    summary: "Get endpoint",
    access: "app",
    params: endpointParams,
    response: { status: 200, description: "The endpoint.", schema: endpointOut },
    errors: ["not_found"],
    handler: async ({ organization, params }) => toOut(await endpointOrNotFound(organization, params.endpoint_id)),
  }),
  defineOperation({
    method: "PUT",
    path: "/api/v1/app/{app_id}/endpoint/{endpoint_id}",
    operationId: "v1.endpoint.update",
    tag: TAG,
    summary: "Update endpoint",
    description:
      "Replaces the endpoint's configuration (custom headers and the secret change through their own calls; `uid`, `metadata` and `disabled` stay as they are when absent). A changed URL needs no confirmation, unlike the dashboard: past attempts keep the URL they went to and the audit log records the change. When no endpoint has this `{endpoint_id}` and it is a valid uid, the endpoint is created with that uid (201), as Svix's upsert.",
    access: "app",
    params: endpointParams,
    body: endpointUpdate,
    response: { status: 200, description: "Updated.", schema: endpointOut },
    errors: ["not_found", "unknown_event_types", "conflict"],
    handler: async ({ organization, principal, params, body }) => {
      const actor = await apiKeyActor(principal);
      const current = await findEndpoint(organization.id, params.endpoint_id);
      const change = { url: body.url, description: body.description, eventTypes: body.eventTypes, rateLimit: body.throttleRate };
      if (current) return saveChanges(organization, current, nextConfig(current, change), { uid: body.uid, metadata: body.metadata, disabled: body.disabled }, actor, params.endpoint_id);
      const asUid = endpointUidSchema.safeParse(params.endpoint_id);
      if (!asUid.success) throw notFound(params.endpoint_id);
      const created = await createEndpoint(organization.id, { ...change, headers: [] }, actor, new Date(), { uid: asUid.data, metadata: body.metadata, disabled: body.disabled });
      if (!created.ok) throw endpointFailure(created, params.endpoint_id);
      return answer(201, toOut(await endpointOrNotFound(organization, created.id)));
    },
  }),
  defineOperation({
    method: "PATCH",
    path: "/api/v1/app/{app_id}/endpoint/{endpoint_id}",
    operationId: "v1.endpoint.patch",
    tag: TAG,
    summary: "Patch endpoint",
    description: "Changes only the fields given, with the same rules as update.",
    access: "app",
    params: endpointParams,
    body: endpointPatch,
    response: { status: 200, description: "Updated.", schema: endpointOut },
    errors: ["not_found", "unknown_event_types", "conflict"],
    handler: async ({ organization, principal, params, body }) => {
      const current = await endpointOrNotFound(organization, params.endpoint_id);
      const config = nextConfig(current, { url: body.url, description: body.description, eventTypes: body.eventTypes, rateLimit: body.throttleRate });
      return saveChanges(organization, current, config, { uid: body.uid, metadata: body.metadata, disabled: body.disabled }, await apiKeyActor(principal), params.endpoint_id);
    },
  }),
  defineOperation({
    method: "DELETE",
    path: "/api/v1/app/{app_id}/endpoint/{endpoint_id}",
    operationId: "v1.endpoint.delete",
    tag: TAG,
    summary: "Delete endpoint",
    description: "Deletes the endpoint: it receives nothing more, its pending deliveries end failed, and its uid is free again. Its past attempts stay in the message logs.",
    access: "app",
    params: endpointParams,
    response: { status: 204, description: "Deleted." },
    errors: ["not_found"],
    handler: async ({ organization, principal, params }) => {
      const endpoint = await endpointOrNotFound(organization, params.endpoint_id);
      const deleted = await deleteEndpoint(organization.id, endpoint.id, await apiKeyActor(principal));
      if (!deleted.ok) throw endpointFailure(deleted, params.endpoint_id);
      return null;
    },
  }),
  defineOperation({
    method: "GET",
    path: "/api/v1/app/{app_id}/endpoint/{endpoint_id}/secret",
    operationId: "v1.endpoint.get-secret",
    tag: TAG,
    summary: "Get endpoint secret",
    description: "The current signing secret. Every read is recorded in the audit log (whoever has it can forge webhooks to this endpoint).",
    access: "app",
    params: endpointParams,
    response: {
      status: 200,
      description: "The secret.",
      schema: z.object({ key: z.string().meta({ description: "The current signing secret, `whsec_…`." }) }).meta({ id: "EndpointSecretOut" }),
    },
    errors: ["not_found"],
    handler: async ({ organization, principal, params }) => {
      const endpoint = await endpointOrNotFound(organization, params.endpoint_id);
      const revealed = await revealEndpointSecret(organization.id, endpoint.id, await apiKeyActor(principal));
      if (!revealed.ok) throw endpointFailure(revealed, params.endpoint_id);
      return { key: revealed.secret };
    },
  }),
  defineOperation({
    method: "POST",
    path: "/api/v1/app/{app_id}/endpoint/{endpoint_id}/secret/rotate",
    operationId: "v1.endpoint.rotate-secret",
    tag: TAG,
    summary: "Rotate endpoint secret",
    description: "Replaces the signing secret with `key` (or a generated one). The previous secret keeps signing, beside the new one, for 24 hours, so receivers can switch without dropping a message.",
    access: "app",
    params: endpointParams,
    body: z
      .object({
        key: signingSecretSchema.nullish().meta({ description: "The new secret, `whsec_` + base64 of 24 to 64 bytes; omit it to have one generated (recommended)." }),
        gracePeriodSeconds: z.number().int().nullish().meta({ description: "Accepted and ignored: the previous secret always signs for 24 hours." }),
      })
      .meta({ id: "EndpointSecretRotateIn" }),
    response: { status: 204, description: "Rotated." },
    errors: ["not_found"],
    handler: async ({ organization, principal, params, body }) => {
      const endpoint = await endpointOrNotFound(organization, params.endpoint_id);
      const rotated = await rotateEndpointSecret(organization.id, endpoint.id, await apiKeyActor(principal), new Date(), body.key ?? undefined);
      if (!rotated.ok) throw endpointFailure(rotated, params.endpoint_id);
      return null;
    },
  }),
  defineOperation({
    method: "GET",
    path: "/api/v1/app/{app_id}/endpoint/{endpoint_id}/headers",
    operationId: "v1.endpoint.get-headers",
    tag: TAG,
    summary: "Get endpoint headers",
    access: "app",
    params: endpointParams,
    response: { status: 200, description: "The custom headers.", schema: headersOut },
    errors: ["not_found"],
    handler: async ({ organization, params }) => ({ headers: headersToMap((await endpointOrNotFound(organization, params.endpoint_id)).headers), sensitive: [] }),
  }),
  defineOperation({
    method: "PUT",
    path: "/api/v1/app/{app_id}/endpoint/{endpoint_id}/headers",
    operationId: "v1.endpoint.update-headers",
    tag: TAG,
    summary: "Update endpoint headers",
    description: "Replaces every custom header.",
    access: "app",
    params: endpointParams,
    body: z.object({ headers: headersMap }).meta({ id: "EndpointHeadersIn" }),
    response: { status: 204, description: "Updated." },
    errors: ["not_found"],
    handler: async ({ organization, principal, params, body }) => replaceHeaders(organization, principal, params.endpoint_id, body.headers),
  }),
  defineOperation({
    method: "PATCH",
    path: "/api/v1/app/{app_id}/endpoint/{endpoint_id}/headers",
    operationId: "v1.endpoint.patch-headers",
    tag: TAG,
    summary: "Patch endpoint headers",
    description: "Sets the headers given (replacing those of the same name, case-insensitively) and removes those in `deleteHeaders`; the result must pass the same rules.",
    access: "app",
    params: endpointParams,
    body: z
      .object({
        headers: z.record(z.string(), z.string()).meta({ description: "Headers to add or replace." }),
        deleteHeaders: z.array(z.string()).max(100).optional().meta({ description: "Names of headers to remove." }),
      })
      .meta({ id: "EndpointHeadersPatchIn" }),
    response: { status: 204, description: "Updated." },
    errors: ["not_found"],
    handler: async ({ organization, principal, params, body }) => {
      const current = await endpointOrNotFound(organization, params.endpoint_id);
      const merged = customHeadersMapSchema.safeParse(patchHeaders(current.headers, body.headers, body.deleteHeaders ?? []));
      if (!merged.success) {
        const issues = merged.error.issues.map((i) => ({ loc: ["body", "headers", ...i.path.map(String)], msg: i.message, type: i.code }));
        throw apiError("invalid_body", `headers: ${issues[0]?.msg ?? "invalid"}`, issues);
      }
      return replaceHeaders(organization, principal, params.endpoint_id, merged.data);
    },
  }),
  defineOperation({
    method: "GET",
    path: "/api/v1/app/{app_id}/endpoint/{endpoint_id}/stats",
    operationId: "v1.endpoint.get-stats",
    tag: TAG,
    summary: "Endpoint stats",
    description: "How many of the endpoint's deliveries are in each state, optionally only those created from `since` (inclusive) to `until` (exclusive). `canceled` is always 0.",
    access: "app",
    params: endpointParams,
    query: z.object({ since: dateTimeIn("since").optional(), until: dateTimeIn("until").optional() }),
    response: {
      status: 200,
      description: "The counts.",
      schema: z
        .object({ success: z.number().int(), pending: z.number().int(), sending: z.number().int(), fail: z.number().int(), canceled: z.number().int() })
        .meta({ id: "EndpointStats" }),
    },
    errors: ["not_found"],
    handler: async ({ organization, params, query }) => {
      const endpoint = await endpointOrNotFound(organization, params.endpoint_id);
      return endpointDeliveryCounts(endpoint.id, { since: query.since, until: query.until });
    },
  }),
  defineOperation({
    method: "POST",
    path: "/api/v1/app/{app_id}/endpoint/{endpoint_id}/send-example",
    operationId: "v1.endpoint.send-example",
    tag: TAG,
    summary: "Send event type example message",
    description: "Sends the catalog's example of the event type to this endpoint only (whatever it subscribes to), as the dashboard's Testing tab does; the message is marked test.",
    access: "app",
    params: endpointParams,
    body: z
      .object({
        eventType: z.string().min(1).max(100).meta({ description: "The event type's name." }),
        exampleIndex: z.number().int().min(0).default(0).meta({ description: "Which of the type's examples (default the first)." }),
      })
      .meta({ id: "EventExampleIn" }),
    response: { status: 202, description: "Sent: the delivery is scheduled.", schema: messageOut },
    errors: ["not_found", "unknown_event_type", "archived_event_type", "endpoint_disabled", "webhooks_disabled"],
    handler: async ({ organization, params, body }) => {
      const endpoint = await endpointOrNotFound(organization, params.endpoint_id);
      const sent = await sendExampleMessage(organization, endpoint.id, body.eventType, body.exampleIndex);
      if (sent.ok) return { id: sent.messageId, eventType: body.eventType, eventId: null, payload: sent.payload, timestamp: sent.createdAt };
      if (sent.code === "no_example") throw invalidField(["body", "exampleIndex"], sent.message, { type: sent.code, message: sent.message });
      if (sent.code === "unknown_event_type" || sent.code === "archived_event_type" || sent.code === "invalid_payload") {
        throw apiError(sent.code, sent.message, [{ loc: ["body", "eventType"], msg: sent.message, type: sent.code }]);
      }
      if (sent.code === "not_found") throw notFound(params.endpoint_id);
      throw apiError(sent.code, sent.message);
    },
  }),
  recoveryOperation("resend_failed"),
  recoveryOperation("replay_missing"),
  defineOperation({
    method: "GET",
    path: "/api/v1/app/{app_id}/endpoint/{endpoint_id}/msg",
    operationId: "v1.message-attempt.list-attempted-messages",
    tag: "Message Attempt",
    summary: "List attempted messages",
    description:
      "The messages sent (or to be sent) to this endpoint, newest first, each with its delivery's state. `since`/`after` and `until`/`before` bound when the delivery was created (with `after` alone and no iterator, the window's oldest page comes first, as at Svix); `channel` and `tag` are not supported and ignored.",
    access: "app",
    params: endpointParams,
    query: listQuery.extend({
      status: z.coerce
        .number({ message: "status is 0 (success), 1 (pending), 2 (fail), 3 (sending) or 4 (canceled)" })
        .int("status is a whole number from 0 to 4")
        .min(0, "status is at least 0")
        .max(4, "status is at most 4")
        .optional()
        .meta({ description: "0 success, 1 pending, 2 fail, 3 sending, 4 canceled (never: nothing is listed)." }),
      event_types: csvList().optional(),
      since: dateTimeIn("since").optional(),
      after: dateTimeIn("after").optional(),
      until: dateTimeIn("until").optional(),
      before: dateTimeIn("before").optional(),
      with_content: queryBoolean("Include each message's payload (default false)."),
    }),
    response: { status: 200, description: "A page of messages.", schema: listOf(endpointMessageOut, "EndpointMessageOut") },
    errors: ["not_found"],
    handler: async ({ organization, params, query }) => {
      const endpoint = await endpointOrNotFound(organization, params.endpoint_id);
      if (query.status === CANCELED) return { data: [], iterator: null, prevIterator: null, done: true };
      const state = query.status === undefined ? undefined : MESSAGE_STATUS[query.status];
      const window = { from: query.since ?? query.after, to: query.until ?? query.before };
      // An id iterator is a message sent to this endpoint: its delivery, by Delivery (messageId, endpointId).
      const cursor = await iteratorPosition(query.iterator, {
        noun: "message",
        accepts: ids.message.is,
        find: async (messageId) => {
          const delivery = await db.delivery.findUnique({ where: { messageId_endpointId: { messageId, endpointId: endpoint.id } }, select: { id: true, createdAt: true } });
          return delivery && { at: delivery.createdAt, id: delivery.id };
        },
      });
      const read = windowStart(cursor, window);
      const page = await listAttemptedMessages(
        organization.id,
        endpoint.id,
        { status: state?.filter, cursor: read, limit: query.limit },
        { eventTypes: query.event_types, since: window.from, until: window.to, withContent: query.with_content ?? false },
      );
      return listAnswer(page, read, (row) => row.messageId, (row) => {
        const index = MESSAGE_STATUS.findIndex((s) => s.status === row.status);
        return {
          id: row.messageId,
          eventType: row.eventType,
          eventId: row.eventId,
          payload: row.body === undefined ? {} : (JSON.parse(row.body) as Record<string, unknown>),
          timestamp: row.messageCreatedAt,
          status: index,
          statusText: MESSAGE_STATUS[index]!.text,
          nextAttempt: row.nextAttemptAt,
        };
      });
    },
  }),
];
