import { z } from "zod";
import { apiKeyActor } from "@/lib/api/app-request";
import type { ApiPrincipal } from "@/lib/api/authenticate";
import type { ValidationIssue } from "@/lib/api/problem";
import { type AnyOperation, type ApiError, apiError, defineOperation, invalidField } from "@/lib/api/v1/operation";
import { applicationIn, createApplication } from "@/lib/api/v1/operations/applications";
import { appParams, csvList, dateTimeIn, dateTimeOut, iteratorPosition, listAnswer, listOf, listQuery, windowStart } from "@/lib/api/v1/schemas";
import { db } from "@/lib/db";
import { keysetClauses, toPage, type Cursor } from "@/lib/db/keyset";
import { Prisma } from "@/lib/generated/prisma/client";
import { ids } from "@/lib/ids";
import { expungeMessageContent } from "@/lib/messages/expunge";
import { selectionConditions } from "@/lib/messages/list";
import { checkEvent, sendEvent, type SendEventFailure } from "@/lib/messages/send-event";
import { findOrganization } from "@/lib/organizations/cache";
import { deliverAtProblem, MAX_MESSAGE_BYTES, sendEventSchema } from "@/lib/validations/message";

/** Svix's `MessageOut`. */
export const messageOut = z
  .object({
    id: z.string().meta({ description: "The message id (`msg_…`), also the `webhook-id` header of its deliveries." }),
    eventType: z.string(),
    eventId: z.string().nullable().meta({ description: "Your id for the event, if you gave one: unique per organization for 24 hours." }),
    payload: z.record(z.string(), z.unknown()),
    timestamp: dateTimeOut.meta({ description: "When it was recorded." }),
    deliverAt: dateTimeOut
      .nullish()
      .meta({ description: "When its deliveries are due, for a message sent with `deliverAt` (scheduled); absent otherwise." }),
  })
  .meta({ id: "MessageOut" });

const messageCreated = messageOut
  .extend({
    deliveries: z
      .object({ total: z.number().int(), scheduled: z.number().int(), failed: z.number().int() })
      .meta({
        description:
          "The deliveries the message fanned out to (one per subscribed, enabled endpoint), each scheduled in the same transaction as the message: `scheduled` is always `total` and `failed` 0 (kept for clients that read them).",
      }),
  })
  .meta({ id: "MessageCreated" });

const messageIn = sendEventSchema
  .extend({
    channels: z.array(z.string()).nullish().meta({ description: "Accepted for Svix compatibility; not used." }),
    tags: z.array(z.string()).nullish().meta({ description: "Accepted for Svix compatibility; not used." }),
    deliverAt: dateTimeIn("deliverAt")
      .nullish()
      .superRefine((at, ctx) => {
        const problem = at ? deliverAtProblem(at, new Date()) : null;
        if (problem) ctx.addIssue({ code: "custom", message: problem });
      })
      .meta({
        description:
          "Schedules the message: it is recorded now and delivered at this time (at most 5 days ahead; a past time or a later one is refused with 422). Its deliveries wait durably, across restarts, and are cancelled with their endpoint like any pending delivery.",
      }),
    application: applicationIn.nullish().meta({
      description:
        "Creates the application with the message when `{app_id}` names none yet, as Svix does (platform keys only: an organization key cannot create applications). Its `uid` must be set and equal to `{app_id}`. Ignored when the application exists.",
    }),
  })
  .meta({ id: "MessageIn" });

type MessageInput = z.output<typeof messageIn>;

/**
 * Svix's inline create: the path's uid becomes a new application (organization, webhooks on) made
 * from `application`, whose `uid` must be the path's. Two sends racing to create it both use the
 * one that won.
 */
async function inlineApplication(principal: ApiPrincipal, appId: string, body: MessageInput) {
  const application = body.application;
  if (!application) return null;
  if (!application.uid) throw invalidField(["body", "application", "uid"], "Application UID not set in body: it must be the application id or uid of the path", { type: "application_uid_missing" });
  if (application.uid !== appId) {
    throw invalidField(["body", "application", "uid"], `Application UID in the path ("${appId}") and body ("${application.uid}") must match`, { type: "application_uid_mismatch" });
  }
  // A message that would be refused creates nothing.
  const checked = await checkEvent(body);
  if (!checked.ok) throw refused(checked);
  const created = await createApplication(application, application.uid, principal);
  return findOrganization(created.ok ? created.organization.id : appId);
}

/** A refused send as the API answers it: each failing path of an invalid payload under `["body", "payload", …]`. */
function refused(failure: SendEventFailure): ApiError {
  if (failure.code === "invalid_payload") {
    const issues: ValidationIssue[] = failure.details.map((d) => ({ loc: ["body", "payload", ...pointerPath(d.path)], msg: d.message, type: "schema" }));
    return apiError("invalid_payload", failure.message, issues);
  }
  if (failure.code === "webhooks_disabled") return apiError(failure.code, failure.message);
  return apiError(failure.code, failure.message, [{ loc: ["body", "eventType"], msg: failure.message, type: failure.code }]);
}

/** A query flag written `true` or `false` (the SDKs send them so). */
export const queryFlag = (defaultValue: boolean, description: string) =>
  z
    .enum(["true", "false"], { message: "Write true or false" })
    .default(defaultValue ? "true" : "false")
    .transform((text) => text === "true")
    .meta({
      description,
      // The wire value is the text true or false; the document shows Svix's boolean.
      override: ({ jsonSchema }) => {
        delete jsonSchema.enum;
        Object.assign(jsonSchema, { type: "boolean", default: defaultValue });
      },
    });

/**
 * The time window of a list: Svix's `before` and `after` (what the SDKs send), with `since` and
 * `until` accepted as their other names. `after` is inclusive, `before` exclusive.
 */
export const timeWindowQuery = {
  before: dateTimeIn("before").optional().meta({ description: "Only items from before this time (exclusive). `until` is the same filter." }),
  after: dateTimeIn("after").optional().meta({ description: "Only items from this time on (inclusive). `since` is the same filter." }),
  since: dateTimeIn("since").optional().meta({ description: "The same as `after`." }),
  until: dateTimeIn("until").optional().meta({ description: "The same as `before`." }),
};

type WindowQuery = { before?: Date; after?: Date; since?: Date; until?: Date };

/** The 422 issues of a contradictory window (superRefine of a query with `timeWindowQuery`). */
export function checkTimeWindow(query: WindowQuery, ctx: z.RefinementCtx): void {
  if (query.since && query.after) ctx.addIssue({ code: "custom", path: ["since"], message: "Give either since or after (they are the same filter), not both" });
  if (query.until && query.before) ctx.addIssue({ code: "custom", path: ["until"], message: "Give either until or before (they are the same filter), not both" });
  const { from, to } = timeWindowOf(query);
  if (from && to && from >= to) ctx.addIssue({ code: "custom", path: [query.before ? "before" : "until"], message: "The end of the window must be after its start" });
}

/** The window as `[from, to)`. */
export function timeWindowOf(query: WindowQuery): { from?: Date; to?: Date } {
  return { from: query.after ?? query.since, to: query.before ?? query.until };
}

/** Channels and tags do not exist here: a filter on them is refused rather than silently matching everything or nothing. */
export const unsupportedFilter = (name: "channel" | "tag") =>
  z
    .string()
    .optional()
    .refine((value) => value === undefined, `Messages have no ${name === "channel" ? "channels" : "tags"} here, so a ${name} filter would match nothing: filter with event_types instead`)
    .meta({ description: `Not supported (messages have no ${name === "channel" ? "channels" : "tags"}): refused with 422.` });

/** A message's id (`msg_…`) or the `eventId` it was sent with, as Svix accepts both. */
export const msgParams = appParams.extend({
  msg_id: z.string().min(1).max(256).meta({ description: "The message id (`msg_…`) or the `eventId` it was sent with (the newest such message)." }),
});

interface StoredMessage {
  id: string;
  eventType: string;
  eventId: string | null;
  body: string;
  createdAt: Date;
  deliverAt: Date | null;
}

const STORED_MESSAGE = { id: true, eventType: true, eventId: true, body: true, createdAt: true, deliverAt: true } as const;

/**
 * The organization's message `idOrEventId` names: by id (the primary key), else by the sender's
 * eventId, the newest first (an eventId is unique for 24 hours only). Both are index lookups.
 */
export async function findMessage(organizationId: string, idOrEventId: string): Promise<StoredMessage | null> {
  const byId = idOrEventId.startsWith("msg_") ? await db.message.findFirst({ where: { id: idOrEventId, organizationId }, select: STORED_MESSAGE }) : null;
  return byId ?? db.message.findFirst({ where: { organizationId, eventId: idOrEventId }, orderBy: [{ createdAt: "desc" }, { id: "desc" }], select: STORED_MESSAGE });
}

/** `findMessage`, or the API's 404. */
export async function messageOr404(organizationId: string, idOrEventId: string): Promise<StoredMessage> {
  const message = await findMessage(organizationId, idOrEventId);
  if (!message) throw apiError("not_found", `No message with id or eventId "${idOrEventId}" in this organization (messages older than the retention period are deleted).`);
  return message;
}

/** A stored message as `MessageOut`; without content, its payload is `{}` as Svix answers. */
export function messageOutOf(message: { id: string; eventType: string; eventId: string | null; body?: string | null; createdAt: Date; deliverAt?: Date | null }, withContent: boolean) {
  const payload = withContent && message.body ? (JSON.parse(message.body) as Record<string, unknown>) : {};
  return { id: message.id, eventType: message.eventType, eventId: message.eventId, payload, timestamp: message.createdAt, ...(message.deliverAt ? { deliverAt: message.deliverAt } : {}) };
}

const withContentFlag = queryFlag(true, "Include each message's payload (default true); `false` answers `payload: {}`, as Svix does.");

const messageListQuery = listQuery
  .extend({
    event_types: csvList(z.string().min(1).max(200)).optional().meta({ description: "Only messages of these event types (comma-separated, at most 100)." }),
    ...timeWindowQuery,
    with_content: withContentFlag,
    channel: unsupportedFilter("channel"),
    tag: unsupportedFilter("tag"),
  })
  .superRefine(checkTimeWindow);

/**
 * A page of the organization's messages, newest first, read from `read` (the iterator's position,
 * or the start of an `after` window) under the message logs' own conditions
 * (lib/messages/list.ts `selectionConditions`: the (organizationId[, eventType], createdAt, id)
 * indexes), the body read only when it is asked for.
 */
async function messagePage(organizationId: string, query: z.output<typeof messageListQuery>, read: Cursor | undefined) {
  const { limit } = query;
  const page = keysetClauses(Prisma.sql`m."createdAt"`, Prisma.sql`m.id`, read, limit);
  const conditions = selectionConditions(organizationId, { eventType: query.event_types ?? [], ...timeWindowOf(query) }, new Date());
  const body = query.with_content ? Prisma.sql`m.body` : Prisma.sql`NULL::text AS body`;
  const rows = await db.$queryRaw<StoredMessage[]>`
    SELECT m.id, m."eventType", m."eventId", ${body}, m."createdAt", m."deliverAt"
      FROM "Message" m
     WHERE m."organizationId" = ${organizationId} ${conditions} ${page.where}
     ${page.order} ${page.limit}`;
  return toPage(rows, (r) => ({ at: r.createdAt, id: r.id }), read, limit);
}

/** Where a message list continues: an id iterator is the message's place, read by its primary key. */
async function messageListStart(organizationId: string, query: z.output<typeof messageListQuery>): Promise<Cursor | undefined> {
  const cursor = await iteratorPosition(query.iterator, {
    noun: "message",
    accepts: ids.message.is,
    find: async (id) => {
      const message = await db.message.findFirst({ where: { id, organizationId }, select: { id: true, createdAt: true } });
      return message && { at: message.createdAt, id: message.id };
    },
  });
  return windowStart(cursor, timeWindowOf(query));
}

/** JSON Pointer `/a/0/b` → `["a", 0, "b"]`. */
function pointerPath(pointer: string): (string | number)[] {
  return pointer
    .split("/")
    .slice(1)
    .map((p) => p.replace(/~1/g, "/").replace(/~0/g, "~"))
    .map((p) => (/^\d+$/.test(p) ? Number(p) : p));
}

export const messagesOperations: AnyOperation[] = [
  defineOperation({
    method: "POST",
    path: "/api/v1/app/{app_id}/msg",
    operationId: "v1.message.create",
    tag: "Message",
    summary: "Create message",
    description:
      "Records the event for the organization and fans it out to every enabled endpoint subscribed to its type. The payload is checked against the event type's schema. An `eventId` already used by a message of this organization within 24 hours is refused with 409 `conflict`, as Svix does: nothing is recorded or sent again (read the original with `GET …/msg/{eventId}`).",
    access: "app",
    params: appParams,
    body: messageIn,
    maxBodyBytes: MAX_MESSAGE_BYTES,
    response: { status: 202, description: "Recorded, with its deliveries scheduled.", schema: messageCreated },
    errors: ["conflict", "webhooks_disabled", "unknown_event_type", "invalid_payload"],
    createApp: ({ principal, appId, body }) => inlineApplication(principal, appId, body),
    handler: async ({ organization, body }) => {
      const result = await sendEvent(organization, { eventType: body.eventType, payload: body.payload, eventId: body.eventId, deliverAt: body.deliverAt });
      if (!result.ok) throw refused(result);
      const { deliverAt, ...sent } = result.message;
      const message = { ...sent, timestamp: new Date(sent.timestamp), ...(deliverAt ? { deliverAt: new Date(deliverAt) } : {}) };
      if (!result.created) {
        throw apiError(
          "conflict",
          `A message with eventId "${message.eventId}" was already created in the last 24 hours (${message.id}): nothing was sent again. Read it with GET /api/v1/app/{app_id}/msg/${message.eventId}.`,
        );
      }
      // Every delivery is scheduled by the statement that created it (lib/outbox).
      return { ...message, deliveries: { total: result.deliveries, scheduled: result.deliveries, failed: 0 } };
    },
  }),
  defineOperation({
    method: "GET",
    path: "/api/v1/app/{app_id}/msg",
    operationId: "v1.message.list",
    tag: "Message",
    summary: "List messages",
    description:
      "The organization's messages, newest first, including those no endpoint received. Filter by event types and a time window (`after`/`since` inclusive, `before`/`until` exclusive); page with `iterator` (a message id; `-` and an id for the newer ones). With `after` alone and no iterator, the window's oldest page comes first, as at Svix, so that `prevIterator` walks forward from `after`. Channels and tags are not supported: those filters are refused.",
    access: "app",
    params: appParams,
    query: messageListQuery,
    response: { status: 200, description: "A page of messages.", schema: listOf(messageOut, "MessageOut") },
    handler: async ({ organization, query }) => {
      const read = await messageListStart(organization.id, query);
      return listAnswer(await messagePage(organization.id, query, read), read, (m) => m.id, (m) => messageOutOf(m, query.with_content));
    },
  }),
  defineOperation({
    method: "GET",
    path: "/api/v1/app/{app_id}/msg/{msg_id}",
    operationId: "v1.message.get",
    tag: "Message",
    summary: "Get message",
    description: "One message, by its id or the `eventId` it was sent with. `with_content=false` answers `payload: {}`.",
    access: "app",
    params: msgParams,
    query: z.object({ with_content: withContentFlag }),
    response: { status: 200, description: "The message.", schema: messageOut },
    handler: async ({ organization, params, query }) => messageOutOf(await messageOr404(organization.id, params.msg_id), query.with_content),
  }),
];

/** Svix's `message.expunge-content`, listed after `messagesOperations` in the registry. */
export const expungeMessageContentOperation = defineOperation({
  method: "DELETE",
  path: "/api/v1/app/{app_id}/msg/{msg_id}/content",
  operationId: "v1.message.expunge-content",
  tag: "Message",
  summary: "Delete message payload",
  description:
    'Overwrites the message\'s payload in the database, for content that must go before retention deletes it (personal data sent by mistake). Afterwards the message reads `payload: {"expired":true}` as on Svix, a payload search no longer finds it, its deliveries still on their retry schedule stop (failed, "message content expunged"), and resending or replaying it is refused (400 `missing_payload`). The receivers\' answers stay: expunge them per attempt with `DELETE .../attempt/{attempt_id}/content`. Repeating the call changes nothing and answers 204 again.',
  access: "app",
  params: msgParams,
  response: { status: 204, description: "The payload is gone (or already was)." },
  handler: async ({ organization, params, principal }) => {
    const message = await messageOr404(organization.id, params.msg_id);
    const done = await expungeMessageContent(ids.organization.of(organization.id), message.id, { responses: false }, await apiKeyActor(principal));
    if (!done.ok) throw apiError(done.code, done.message);
    return null;
  },
});
