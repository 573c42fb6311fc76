import { z } from "zod";
import { apiKeyActor } from "@/lib/api/app-request";
import { apiError, defineOperation, type AnyOperation } from "@/lib/api/v1/operation";
import { checkTimeWindow, messageOr404, messageOut, messageOutOf, msgParams, queryFlag, timeWindowOf, timeWindowQuery, unsupportedFilter } from "@/lib/api/v1/operations/messages";
import { appParams, csvList, dateTimeOut, iteratorPosition, listAnswer, listOf, listQuery, windowStart } from "@/lib/api/v1/schemas";
import { db } from "@/lib/db";
import { keysetClauses, toPage, type Cursor } from "@/lib/db/keyset";
import { Prisma, type AttemptTrigger, type DeliveryStatus } from "@/lib/generated/prisma/client";
import { ids } from "@/lib/ids";
import { expungeAttemptContent } from "@/lib/messages/expunge";
import { resendMessage } from "@/lib/recovery/resend";

/**
 * Svix's Message Attempt calls: the attempts of an endpoint or of a message, the endpoints a
 * message was sent to with each delivery's state, one attempt, and resending a message to an
 * endpoint. Attempts are read from the Attempt table (one row per HTTP request, recorded when it
 * ended), deliveries from Delivery.
 */

// ---- Svix's enums, with the SDK's values ----------------------------------------------------

const MESSAGE_STATUS = { success: 0, pending: 1, fail: 2, sending: 3, canceled: 4 } as const;
type StatusText = keyof typeof MESSAGE_STATUS;

const messageStatus = z
  .literal([0, 1, 2, 3, 4])
  .meta({ id: "MessageStatus", description: "0 success, 1 pending, 2 fail, 3 sending, 4 canceled (never used here)." });
const messageStatusText = z.enum(["success", "pending", "fail", "sending", "canceled"]).meta({ id: "MessageStatusText" });
const triggerType = z.literal([0, 1]).meta({ id: "MessageAttemptTriggerType", description: "0 scheduled (the retry schedule), 1 manual (a resend, or a test from the dashboard)." });

const DELIVERY_STATUS_TEXT: Record<DeliveryStatus, StatusText> = { SUCCEEDED: "success", PENDING: "pending", FAILED: "fail", SENDING: "sending" };

function deliveryStatus(status: DeliveryStatus) {
  const text = DELIVERY_STATUS_TEXT[status];
  return { status: MESSAGE_STATUS[text], statusText: text };
}

/** A status query parameter (`status=2`), as the SDKs send the number. */
const statusQuery = z
  .enum(["0", "1", "2", "3", "4"], { message: "status is 0 (success), 1 (pending), 2 (fail), 3 (sending) or 4 (canceled)" })
  .transform(Number)
  .optional()
  .meta({ override: { type: "integer", enum: [0, 1, 2, 3, 4] }, description: "Only attempts with this status: 0 success, 2 fail. Attempts are recorded when they end, so 1 (pending), 3 (sending) and 4 (canceled) match none." });

/** Svix's `StatusCodeClass`: 0 no answer (a network error or timeout), 100 … 500 the class of the HTTP status. */
const statusCodeClassQuery = z
  .enum(["0", "100", "200", "300", "400", "500"], { message: "status_code_class is 0 (no answer), 100, 200, 300, 400 or 500" })
  .transform(Number)
  .optional()
  .meta({ override: { type: "integer", enum: [0, 100, 200, 300, 400, 500] }, description: "Only attempts whose answer is in this class: 0 for no answer (network error or timeout), 200 for 2xx, and so on." });

// ---- Schemas ------------------------------------------------------------------------------

const messageAttemptOut = z
  .object({
    id: z.string().meta({ description: "The attempt id: `atmpt_…` (Svix's prefix), or `att_…` for attempts recorded before it was adopted." }),
    msgId: z.string(),
    endpointId: z.string(),
    url: z.string().meta({ description: "The URL the request went to (the endpoint's at the time)." }),
    response: z.string().meta({ description: "The receiver's answer body (truncated when large), or the error when there was no answer. Empty unless `with_content` (lists) is true." }),
    responseStatusCode: z.number().int().meta({ description: "The HTTP status, 0 when there was no answer." }),
    responseDurationMs: z.number().int(),
    status: messageStatus,
    statusText: messageStatusText,
    triggerType,
    timestamp: dateTimeOut.meta({ description: "When the request started." }),
    msg: messageOut.nullable().optional().meta({ description: "The message (its payload `{}`), when `with_msg` is true." }),
  })
  .meta({ id: "MessageAttemptOut" });

const messageEndpointOut = z
  .object({
    id: z.string().meta({ description: "The endpoint id." }),
    status: messageStatus,
    statusText: messageStatusText,
    nextAttempt: dateTimeOut.nullable().meta({ description: "When the next scheduled attempt is due, while the delivery is pending." }),
    url: z.string(),
    description: z.string(),
    throttleRate: z.number().int().nullable().meta({ description: "Messages per second; null for unlimited." }),
    uid: z.string().nullable(),
    disabled: z.boolean().meta({ description: "True when the endpoint is disabled or was deleted." }),
    eventTypes: z.array(z.string()),
    createdAt: dateTimeOut,
    updatedAt: dateTimeOut,
  })
  .meta({ id: "MessageEndpointOut" });

const attemptList = listOf(messageAttemptOut, "MessageAttemptOut");

const resendOut = z
  .object({
    attempt: z.object({
      id: z.string().meta({ description: "The manual attempt's id: read it with `GET .../msg/{msg_id}/attempt/{attempt_id}`." }),
      trigger: z.literal("manual"),
      succeeded: z.boolean(),
      statusCode: z.number().int().nullable().meta({ description: "The receiver's HTTP status; null when there was no answer." }),
      error: z.string().nullable().meta({ description: "Why it failed, in one sentence; null when it succeeded." }),
    }),
  })
  .meta({ id: "ResendOut", description: "Svix answers `{}`; the SDKs ignore the body. Here the attempt was made before the answer and is described." });

// ---- Queries ------------------------------------------------------------------------------

const attemptFilters = {
  status: statusQuery,
  status_code_class: statusCodeClassQuery,
  event_types: csvList(z.string().min(1).max(200)).optional().meta({ description: "Only attempts of messages of these event types." }),
  ...timeWindowQuery,
  with_content: queryFlag(true, "Include each attempt's `response` (default true); `false` answers it empty."),
  expanded_statuses: queryFlag(true, "Accepted for Svix compatibility: no attempt is ever canceled here."),
  channel: unsupportedFilter("channel"),
  tag: unsupportedFilter("tag"),
};

const byEndpointQuery = listQuery
  .extend({ ...attemptFilters, with_msg: queryFlag(false, "Include each attempt's message as `msg` (its payload `{}`, as Svix does).") })
  .superRefine(checkTimeWindow);

const byMessageQuery = listQuery
  .extend({ ...attemptFilters, endpoint_id: z.string().min(1).max(100).optional().meta({ description: "Only attempts to this endpoint (its id or uid)." }) })
  .superRefine(checkTimeWindow);

type AttemptQuery = z.output<typeof byEndpointQuery> | z.output<typeof byMessageQuery>;

interface AttemptRow {
  id: string;
  messageId: string;
  endpointId: string;
  url: string;
  startedAt: Date;
  durationMs: number;
  succeeded: boolean;
  statusCode: number | null;
  trigger: AttemptTrigger;
  responseBody: string | null;
  errorMessage: string | null;
  eventType: string | null;
  eventId: string | null;
  messageCreatedAt: Date | null;
}

const STATUS_CODE_RANGE: Record<number, [number, number]> = { 100: [100, 199], 200: [200, 299], 300: [300, 399], 400: [400, 499], 500: [500, 599] };

function attemptConditions(query: AttemptQuery): Prisma.Sql[] {
  const conditions: Prisma.Sql[] = [];
  if (query.status === MESSAGE_STATUS.success) conditions.push(Prisma.sql`a.succeeded`);
  else if (query.status === MESSAGE_STATUS.fail) conditions.push(Prisma.sql`NOT a.succeeded`);
  else if (query.status !== undefined) conditions.push(Prisma.sql`false`);
  if (query.status_code_class === 0) conditions.push(Prisma.sql`(a."statusCode" IS NULL OR a."statusCode" < 100)`);
  else if (query.status_code_class !== undefined) {
    const [low, high] = STATUS_CODE_RANGE[query.status_code_class]!;
    conditions.push(Prisma.sql`a."statusCode" BETWEEN ${low} AND ${high}`);
  }
  const { from, to } = timeWindowOf(query);
  if (from) conditions.push(Prisma.sql`a."startedAt" >= ${from}`);
  if (to) conditions.push(Prisma.sql`a."startedAt" < ${to}`);
  if (query.event_types?.length) conditions.push(Prisma.sql`m."eventType" = ANY (${query.event_types}::text[])`);
  return conditions;
}

/**
 * A page of attempts, newest first, keyset on (startedAt, id), read from `read`: by endpoint it
 * walks Attempt (endpointId, startedAt, id) backwards; by message (messageId, startedAt), a message
 * having a handful of attempts. The message row is joined only when a filter or `with_msg` needs it.
 */
async function attemptPage(scope: Prisma.Sql, query: AttemptQuery, withMsg: boolean, read: Cursor | undefined) {
  const page = keysetClauses(Prisma.sql`a."startedAt"`, Prisma.sql`a.id`, read, query.limit);
  const joinMessage = withMsg || Boolean(query.event_types?.length);
  const conditions = [scope, ...attemptConditions(query)];
  const rows = await db.$queryRaw<AttemptRow[]>`
    SELECT a.id, a."messageId", a."endpointId", a.url, a."startedAt", a."durationMs", a.succeeded, a."statusCode", a.trigger,
           ${query.with_content ? Prisma.sql`a."responseBody"` : Prisma.sql`NULL::text`} AS "responseBody", a."errorMessage",
           ${joinMessage ? Prisma.sql`m."eventType", m."eventId", m."createdAt" AS "messageCreatedAt"` : Prisma.sql`NULL::text AS "eventType", NULL::text AS "eventId", NULL::timestamp AS "messageCreatedAt"`}
      FROM "Attempt" a ${joinMessage ? Prisma.sql`JOIN "Message" m ON m.id = a."messageId"` : Prisma.empty}
     WHERE ${Prisma.join(conditions, " AND ")} ${page.where}
     ${page.order} ${page.limit}`;
  return toPage(rows, (r) => ({ at: r.startedAt, id: r.id }), read, query.limit);
}

/** Where a list of attempts continues: an id iterator is an attempt of the list's endpoint or message, read by its primary key. */
async function attemptListStart(query: AttemptQuery, scope: { endpointId: string } | { messageId: string }): Promise<Cursor | undefined> {
  const cursor = await iteratorPosition(query.iterator, {
    noun: "attempt",
    accepts: ids.attempt.is,
    find: async (id) => {
      const attempt = await db.attempt.findFirst({ where: { id, ...scope }, select: { id: true, startedAt: true } });
      return attempt && { at: attempt.startedAt, id: attempt.id };
    },
  });
  return windowStart(cursor, timeWindowOf(query));
}

type AttemptOutInput = Pick<AttemptRow, "id" | "messageId" | "endpointId" | "url" | "startedAt" | "durationMs" | "succeeded" | "statusCode" | "trigger" | "errorMessage"> & {
  responseBody: string | null;
};

function attemptOut(row: AttemptOutInput, withContent: boolean, msg?: z.input<typeof messageOut> | null) {
  const text: StatusText = row.succeeded ? "success" : "fail";
  const response = !withContent ? "" : row.statusCode === null ? (row.errorMessage ?? "") : (row.responseBody ?? "");
  return {
    id: row.id,
    msgId: row.messageId,
    endpointId: row.endpointId,
    url: row.url,
    response,
    responseStatusCode: row.statusCode ?? 0,
    responseDurationMs: row.durationMs,
    status: MESSAGE_STATUS[text],
    statusText: text,
    // A test from the dashboard is a manual send too.
    triggerType: row.trigger === "SCHEDULED" ? (0 as const) : (1 as const),
    timestamp: row.startedAt,
    ...(msg === undefined ? {} : { msg }),
  };
}

/** The organization's endpoint with this id or uid (deleted ones included: their history remains), or the API's 404. */
async function endpointOr404(organizationId: string, idOrUid: string): Promise<string> {
  const endpoint = await db.endpoint.findFirst({ where: { organizationId, OR: [{ id: idOrUid }, { uid: idOrUid }] }, select: { id: true } });
  if (!endpoint) throw apiError("not_found", `No endpoint with id or uid "${idOrUid}" in this organization.`);
  return endpoint.id;
}

const endpointParams = appParams.extend({ endpoint_id: z.string().min(1).max(100).meta({ description: "The endpoint: its id (`ep_…`) or uid." }) });

// ---- Operations ---------------------------------------------------------------------------

export const attemptsOperations: AnyOperation[] = [
  defineOperation({
    method: "GET",
    path: "/api/v1/app/{app_id}/attempt/endpoint/{endpoint_id}",
    operationId: "v1.message-attempt.list-by-endpoint",
    tag: "Message Attempt",
    summary: "List attempts by endpoint",
    description:
      "Every request made to the endpoint, newest first: scheduled attempts, resends and tests. Filter by status (0 success, 2 fail), status code class, event types and a time window on when the attempt started; with `after` alone and no iterator, the window's oldest page comes first, as at Svix.",
    access: "app",
    params: endpointParams,
    query: byEndpointQuery,
    response: { status: 200, description: "A page of attempts.", schema: attemptList },
    handler: async ({ organization, params, query }) => {
      const endpointId = await endpointOr404(organization.id, params.endpoint_id);
      const read = await attemptListStart(query, { endpointId });
      const page = await attemptPage(Prisma.sql`a."endpointId" = ${endpointId}`, query, query.with_msg, read);
      return listAnswer(page, read, (row) => row.id, (row) =>
        attemptOut(row, query.with_content, query.with_msg ? messageOutOf({ id: row.messageId, eventType: row.eventType ?? "", eventId: row.eventId, createdAt: row.messageCreatedAt ?? row.startedAt }, false) : undefined),
      );
    },
  }),
  defineOperation({
    method: "GET",
    path: "/api/v1/app/{app_id}/attempt/msg/{msg_id}",
    operationId: "v1.message-attempt.list-by-msg",
    tag: "Message Attempt",
    summary: "List attempts by message",
    description: "Every request made for the message (by id or `eventId`), newest first, to every endpoint or to `endpoint_id` only. With `after` alone and no iterator, the window's oldest page comes first, as at Svix.",
    access: "app",
    params: msgParams,
    query: byMessageQuery,
    response: { status: 200, description: "A page of attempts.", schema: attemptList },
    handler: async ({ organization, params, query }) => {
      const message = await messageOr404(organization.id, params.msg_id);
      const endpointId = query.endpoint_id ? await endpointOr404(organization.id, query.endpoint_id) : null;
      const scope = endpointId ? Prisma.sql`a."messageId" = ${message.id} AND a."endpointId" = ${endpointId}` : Prisma.sql`a."messageId" = ${message.id}`;
      const read = await attemptListStart(query, { messageId: message.id });
      return listAnswer(await attemptPage(scope, query, false, read), read, (row) => row.id, (row) => attemptOut(row, query.with_content));
    },
  }),
  defineOperation({
    method: "GET",
    path: "/api/v1/app/{app_id}/msg/{msg_id}/endpoint",
    operationId: "v1.message-attempt.list-attempted-destinations",
    tag: "Message Attempt",
    summary: "List attempted destinations",
    description:
      "The endpoints the message was sent to (or is being sent to), each with its delivery's state: 0 success, 1 pending (with `nextAttempt`), 2 fail, 3 sending. Listed in ascending order, as at Svix: by when the delivery was made, then by endpoint id.",
    access: "app",
    params: msgParams,
    query: listQuery,
    response: { status: 200, description: "A page of endpoints.", schema: listOf(messageEndpointOut, "MessageEndpointOut") },
    handler: async ({ organization, params, query }) => {
      const message = await messageOr404(organization.id, params.msg_id);
      // An id iterator is an endpoint this message was sent to: its delivery, by Delivery (messageId, endpointId).
      const read = await iteratorPosition(query.iterator, {
        noun: "endpoint",
        accepts: ids.endpoint.is,
        find: async (endpointId) => {
          const delivery = await db.delivery.findUnique({ where: { messageId_endpointId: { messageId: message.id, endpointId } }, select: { createdAt: true } });
          return delivery && { at: delivery.createdAt, id: endpointId };
        },
      }, "asc");
      // The deliveries of one message (Delivery (messageId, endpointId)), keyset on (createdAt, endpointId),
      // ascending as Svix lists them (by endpoint id, its ids being time-ordered).
      const page = keysetClauses(Prisma.sql`d."createdAt"`, Prisma.sql`d."endpointId"`, read, query.limit, "asc");
      const rows = await db.$queryRaw<
        { endpointId: string; createdAt: Date; status: DeliveryStatus; nextAttemptAt: Date | null; url: string; description: string; rateLimit: number | null; uid: string | null; disabled: boolean; eventTypes: string[]; endpointCreatedAt: Date; updatedAt: Date }[]
      >`
        SELECT d."endpointId", d."createdAt", d.status, d."nextAttemptAt", e.url, e.description, e."rateLimit", e.uid,
               (e.disabled OR e."deletedAt" IS NOT NULL) AS disabled, e."eventTypes", e."createdAt" AS "endpointCreatedAt", e."updatedAt"
          FROM "Delivery" d JOIN "Endpoint" e ON e.id = d."endpointId"
         WHERE d."messageId" = ${message.id} ${page.where}
         ${page.order} ${page.limit}`;
      return listAnswer(toPage(rows, (r) => ({ at: r.createdAt, id: r.endpointId }), read, query.limit), read, (r) => r.endpointId, (r) => ({
        id: r.endpointId,
        ...deliveryStatus(r.status),
        nextAttempt: r.status === "PENDING" ? r.nextAttemptAt : null,
        url: r.url,
        description: r.description,
        throttleRate: r.rateLimit,
        uid: r.uid,
        disabled: r.disabled,
        eventTypes: r.eventTypes,
        createdAt: r.endpointCreatedAt,
        updatedAt: r.updatedAt,
      }));
    },
  }),
  defineOperation({
    method: "GET",
    path: "/api/v1/app/{app_id}/msg/{msg_id}/attempt/{attempt_id}",
    operationId: "v1.message-attempt.get",
    tag: "Message Attempt",
    summary: "Get attempt",
    description: "One attempt of the message (by id or `eventId`), with the receiver's answer in `response`.",
    access: "app",
    params: msgParams.extend({ attempt_id: z.string().min(1).max(100).meta({ description: "The attempt id: `atmpt_…`, or an older `att_…`." }) }),
    query: z.object({ expanded_statuses: attemptFilters.expanded_statuses }),
    response: { status: 200, description: "The attempt.", schema: messageAttemptOut },
    handler: async ({ organization, params }) => {
      const message = await messageOr404(organization.id, params.msg_id);
      const attempt = await db.attempt.findFirst({
        where: { id: params.attempt_id, messageId: message.id },
        select: { id: true, messageId: true, endpointId: true, url: true, startedAt: true, durationMs: true, succeeded: true, statusCode: true, trigger: true, responseBody: true, errorMessage: true },
      });
      if (!attempt) throw apiError("not_found", `No attempt "${params.attempt_id}" of message ${message.id}.`);
      return attemptOut(attempt, true);
    },
  }),
  defineOperation({
    method: "POST",
    path: "/api/v1/app/{app_id}/msg/{msg_id}/endpoint/{endpoint_id}/resend",
    operationId: "v1.message-attempt.resend",
    tag: "Message Attempt",
    summary: "Resend a message to an endpoint",
    description:
      "One manual attempt now, recorded like any other and never retried; the answer (202) describes it. Like Svix, a message already delivered to the endpoint is sent again without a confirmation (the dashboard asks a person first; the call itself is the confirmation, and the audit log records that it had been delivered). Refused while the message is scheduled for later (409 `scheduled`: `deliverAt` is ahead, and a message is never sent before it), while the delivery is in flight (409 `attempt_in_flight`) or still on its retry schedule (409 `delivery_in_progress`), when the message was never sent to this endpoint (409 `not_attempted`: replay missing messages instead), when it aged out of retention (410) and when the endpoint or webhooks are disabled (409).",
    access: "app",
    params: msgParams.extend({ endpoint_id: endpointParams.shape.endpoint_id }),
    response: { status: 202, description: "The attempt was made; `attempt` says how it went.", schema: resendOut },
    errors: ["not_found", "aged_out", "endpoint_disabled", "webhooks_disabled", "not_attempted", "attempt_in_flight", "delivery_in_progress", "missing_payload", "scheduled"],
    handler: async ({ organization, params, principal }) => {
      const message = await messageOr404(organization.id, params.msg_id);
      const endpointId = await endpointOr404(organization.id, params.endpoint_id);
      const result = await resendMessage(organization, endpointId, message.id, { confirmDelivered: true }, await apiKeyActor(principal));
      if (!result.ok) throw apiError(result.code, result.message);
      const { attemptId, ok, statusCode, error } = result.attempt;
      return { attempt: { id: attemptId, trigger: "manual" as const, succeeded: ok, statusCode, error } };
    },
  }),
];

/** Svix's `message-attempt.expunge-content`, listed after `attemptsOperations` in the registry. */
export const expungeAttemptContentOperation = defineOperation({
  method: "DELETE",
  path: "/api/v1/app/{app_id}/msg/{msg_id}/attempt/{attempt_id}/content",
  operationId: "v1.message-attempt.expunge-content",
  tag: "Message Attempt",
  summary: "Delete attempt response body",
  description:
    "Overwrites what the receiver answered to this attempt: its body becomes `EXPUNGED` (the attempt's `response`, as on Svix), and its response headers and a redirect's target go too, since they can carry personal data as well. The status code and duration stay. Repeating the call changes nothing and answers 204 again.",
  access: "app",
  params: msgParams.extend({ attempt_id: ids.attempt.schema().meta({ description: "The attempt id: `atmpt_…`, or an older `att_…`." }) }),
  response: { status: 204, description: "The answer is gone (or already was)." },
  handler: async ({ organization, params, principal }) => {
    const message = await messageOr404(organization.id, params.msg_id);
    const done = await expungeAttemptContent(ids.organization.of(organization.id), message.id, params.attempt_id, await apiKeyActor(principal));
    if (!done.ok) throw apiError(done.code, done.message);
    return null;
  },
});
