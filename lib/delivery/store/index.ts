import { db } from "@/lib/db";
import { sqlPool } from "@/lib/db/pool";
import { preparedStatement, type PreparedStatement } from "@/lib/db/prepared";
import type { AttemptOutcome } from "@/lib/delivery/attempt";
import { EXPUNGED_REASON, EXPUNGED_RESPONSE, withoutRedirectTarget } from "@/lib/delivery/store/expunge";
import { Prisma, type Attempt, type AttemptTrigger, type Delivery, type DeliveryStatus, type Endpoint, type Message, type Organization } from "@/lib/generated/prisma/client";
import { NEW_ID_SQL, type AttemptId, type DeliveryId, type EndpointId, type MessageId, type OrganizationId, type TaskId } from "@/lib/ids";
import { attemptEventCtes } from "@/lib/delivery/store/operational";
import { attemptEventOf } from "@/lib/operational/events";
import { annotateSpan, currentTraceparent, tracingEnabled } from "@/lib/observability/tracing";
import { deliveriesDueFromRows, deliveriesRequestedFromRows, events, publish } from "@/lib/outbox";

/**
 * The delivery store: the one module that inserts deliveries and attempts and changes their
 * state (tests/unit/delivery-store-owner.test.ts fails if another file does). Every way a delivery
 * is born (a message's fan-out, a test send, a replay) publishes its `delivery/requested` in the
 * same statement or transaction (lib/outbox), or its `delivery/retry.due` when its message is
 * scheduled (`deliverAt`), so no delivery is ever recorded without the run that will send it. Its
 * states (a scheduled message's deliveries are PENDING, not attempted, until `deliverAt`):
 *
 *   PENDING ──markSending, claimFirstAttempts──▶ SENDING ──recordScheduledAttempts──▶ SUCCEEDED | PENDING (retry) | FAILED
 *   FAILED | SUCCEEDED ──claimForManual──▶ SENDING ──recordManualAttempts──▶ SUCCEEDED | FAILED
 *   PENDING | SENDING ──failDeliveries──▶ FAILED (endpoint disabled or deleted, a task stopped)
 *   PENDING ──expungeMessage──▶ FAILED (its message's content expunged: expunge.ts)
 *
 * Ids are typed per kind (lib/ids.ts): a message id cannot be passed for a delivery id.
 */

type Sql = Pick<Prisma.TransactionClient, "$executeRaw" | "$queryRaw" | "$queryRawUnsafe">;

/** Reasons a delivery ends failed without exhausting its schedule. */
export const STOP_REASON = { disabled: "endpoint disabled", deleted: "endpoint deleted", expunged: EXPUNGED_REASON } as const;

// ---------------------------------------------------------------------------------------------
// Births

export interface NewMessage {
  id: MessageId;
  eventType: string;
  eventId: string | null;
  /** The exact JSON text that is signed and sent. */
  body: string;
  createdAt: Date;
  /** Svix's `deliverAt`: its deliveries wait until then (after `createdAt`). */
  deliverAt?: Date | null;
}

export interface Fanned {
  id: DeliveryId;
  endpointId: EndpointId;
}

/**
 * The message and one delivery per subscribed, enabled endpoint, with their `delivery/requested`
 * events, in one statement: the one place that says which endpoints receive a message, and the
 * hot path of ingestion (one round trip), composed once per process. The columns are timestamps
 * without time zone holding UTC (as Prisma writes them): an ISO time in UTC is stored as is,
 * whatever the session's time zone.
 */
let recordMessageStatement: PreparedStatement<"id" | "organizationId" | "eventType" | "eventId" | "body" | "at" | "ms" | "traceparent"> | undefined;
const recordMessageSql = () =>
  (recordMessageStatement ??= preparedStatement("record-message", (p) => {
    const published = deliveriesRequestedFromRows("deliveries", {
      organizationId: Prisma.sql`${p.organizationId}::text`,
      ts: Prisma.sql`${p.ms}::bigint`,
      at: Prisma.sql`(${p.at}::timestamp AT TIME ZONE 'UTC')`,
      traceparent: tracingEnabled ? Prisma.sql`${p.traceparent}::text` : undefined,
    });
    return Prisma.sql`
      WITH message AS (
        INSERT INTO "Message" (id, "organizationId", "eventType", "eventId", body, "createdAt")
        VALUES (${p.id}, ${p.organizationId}, ${p.eventType}, ${p.eventId}, ${p.body}, ${p.at}::timestamp)
        RETURNING id, "eventType", "createdAt"
      ), deliveries AS (
        INSERT INTO "Delivery" (id, "organizationId", "messageId", "endpointId", status, "attemptCount", "nextAttemptAt", "createdAt", "updatedAt")
        SELECT ${Prisma.raw(NEW_ID_SQL.delivery)}, e."organizationId", message.id, e.id, 'PENDING', 0, message."createdAt", message."createdAt", message."createdAt"
          FROM message, "Endpoint" e
         WHERE e."organizationId" = ${p.organizationId} AND NOT e.disabled AND e."deletedAt" IS NULL AND message."eventType" = ANY (e."eventTypes")
        RETURNING id, "endpointId", "messageId"
      ), events AS (${published.cte})
      SELECT id, "endpointId", ${published.wake} AS woke FROM deliveries`;
  }));

/**
 * A scheduled message (Svix's `deliverAt`): the same fan-out, its deliveries PENDING with their
 * first attempt due at `deliverAt`, each published as `delivery/retry.due` (attempt 1, at
 * `deliverAt`) so the retry function sleeps until then. A statement of its own, so the common one
 * stays as it is.
 */
let recordScheduledMessageStatement: PreparedStatement<"id" | "organizationId" | "eventType" | "eventId" | "body" | "at" | "ms" | "deliverAt" | "traceparent"> | undefined;
const recordScheduledMessageSql = () =>
  (recordScheduledMessageStatement ??= preparedStatement("record-scheduled-message", (p) => {
    const published = deliveriesDueFromRows("deliveries", {
      organizationId: Prisma.sql`${p.organizationId}::text`,
      ts: Prisma.sql`${p.ms}::bigint`,
      at: Prisma.sql`(${p.at}::timestamp AT TIME ZONE 'UTC')`,
      dueAt: Prisma.sql`${p.deliverAt}::text`,
      traceparent: tracingEnabled ? Prisma.sql`${p.traceparent}::text` : undefined,
    });
    return Prisma.sql`
      WITH message AS (
        INSERT INTO "Message" (id, "organizationId", "eventType", "eventId", body, "deliverAt", "createdAt")
        VALUES (${p.id}, ${p.organizationId}, ${p.eventType}, ${p.eventId}, ${p.body}, ${p.deliverAt}::timestamp, ${p.at}::timestamp)
        RETURNING id, "eventType", "deliverAt", "createdAt"
      ), deliveries AS (
        INSERT INTO "Delivery" (id, "organizationId", "messageId", "endpointId", status, "attemptCount", "nextAttemptAt", "createdAt", "updatedAt")
        SELECT ${Prisma.raw(NEW_ID_SQL.delivery)}, e."organizationId", message.id, e.id, 'PENDING', 0, message."deliverAt", message."createdAt", message."createdAt"
          FROM message, "Endpoint" e
         WHERE e."organizationId" = ${p.organizationId} AND NOT e.disabled AND e."deletedAt" IS NULL AND message."eventType" = ANY (e."eventTypes")
        RETURNING id, "endpointId", "messageId"
      ), events AS (${published.cte})
      SELECT id, "endpointId", ${published.wake} AS woke FROM deliveries`;
  }));

/**
 * Records a message, its deliveries and their events. In `tx` when given (an idempotent send
 * holds a lock); otherwise one prepared statement on the raw pool, the cheapest path there is.
 * A message with `deliverAt` takes the scheduled statement.
 */
export async function recordMessage(organizationId: OrganizationId, message: NewMessage, tx?: Sql): Promise<Fanned[]> {
  const run = async <K extends string>(statement: PreparedStatement<K>, values: Record<K, unknown>) =>
    tx ? tx.$queryRawUnsafe<Fanned[]>(statement.text, ...statement.values(values)) : (await sqlPool().query<Fanned>(statement.bind(values))).rows;
  const { deliverAt, ...rest } = message;
  annotateSpan("hookrelay.message.id", message.id);
  // With tracing on, the deliveries' events carry this call's trace to the executor (lib/observability/tracing.ts).
  const values = { ...rest, organizationId, at: message.createdAt.toISOString(), ms: message.createdAt.getTime(), traceparent: currentTraceparent() };
  const rows = deliverAt ? await run(recordScheduledMessageSql(), { ...values, deliverAt: deliverAt.toISOString() }) : await run(recordMessageSql(), values);
  return rows.map(({ id, endpointId }) => ({ id, endpointId }));
}

/**
 * A test message (the endpoint's Testing tab): delivered to this one endpoint only, whatever its
 * subscriptions, its attempts recorded with trigger TEST, through the normal delivery path.
 */
export async function recordTestMessage(
  organizationId: OrganizationId,
  endpointId: EndpointId,
  message: Omit<NewMessage, "eventId">,
  deliveryId: DeliveryId,
): Promise<void> {
  await db.$transaction(async (tx) => {
    await tx.message.create({ data: { id: message.id, organizationId, eventType: message.eventType, body: message.body, test: true, createdAt: message.createdAt } });
    await tx.delivery.create({
      data: { id: deliveryId, organizationId, messageId: message.id, endpointId, status: "PENDING", attemptCount: 0, nextAttemptAt: message.createdAt, createdAt: message.createdAt },
    });
    await publish(tx, [events.deliveryRequested({ deliveryId, organizationId, endpointId, messageId: message.id, trigger: "TEST" })], message.createdAt);
  });
}

/**
 * Replay: a normal delivery for each queued item of a recovery task whose message (its content
 * not expunged) and endpoint still exist and that got no delivery meanwhile, with its event, and
 * the item marked SCHEDULED with its delivery, in one statement: a re-run after a crash finds the
 * items scheduled and creates and publishes nothing twice. Returns the items it scheduled.
 */
export async function createReplayDeliveries(task: { id: TaskId; organizationId: OrganizationId }, seqs: number[], now: Date): Promise<number[]> {
  const published = deliveriesRequestedFromRows("created", { organizationId: Prisma.sql`${task.organizationId}::text`, ts: Prisma.sql`${now.getTime()}::bigint`, at: Prisma.sql`${now}::timestamptz` });
  const rows = await db.$queryRaw<{ seq: number }[]>`
    WITH batch AS (
      SELECT i.seq, i."messageId", i."endpointId", ${Prisma.raw(NEW_ID_SQL.delivery)} AS "deliveryId"
        FROM "BackgroundTaskItem" i
        JOIN "Message" m ON m.id = i."messageId" AND m."expungedAt" IS NULL
        JOIN "Endpoint" e ON e.id = i."endpointId" AND NOT e.disabled AND e."deletedAt" IS NULL
       WHERE i."taskId" = ${task.id} AND i.seq = ANY (${seqs}::int[]) AND i.state = 'QUEUED'
    ),
    created AS (
      INSERT INTO "Delivery" (id, "organizationId", "messageId", "endpointId", status, "attemptCount", "nextAttemptAt", "createdAt", "updatedAt")
      SELECT b."deliveryId", ${task.organizationId}, b."messageId", b."endpointId", 'PENDING', 0, ${now}, ${now}, ${now} FROM batch b
      ON CONFLICT ("messageId", "endpointId") DO NOTHING
      RETURNING id, "endpointId", "messageId"
    ),
    events AS (${published.cte}),
    scheduled AS (
      UPDATE "BackgroundTaskItem" i SET state = 'SCHEDULED', "deliveryId" = b."deliveryId"
        FROM batch b JOIN created c ON c.id = b."deliveryId"
       WHERE i."taskId" = ${task.id} AND i.seq = b.seq
      RETURNING i.seq
    )
    SELECT seq, ${published.wake} AS woke FROM scheduled`;
  return rows.map((r) => r.seq);
}

/**
 * Publishes deliveries a replay created before this store published in the same statement (a
 * task caught between the two by an upgrade or a crash), and marks their items SCHEDULED, in one
 * transaction. The event id per delivery drops a publication that did happen.
 */
export async function scheduleCreatedReplays(task: { id: TaskId; organizationId: OrganizationId }, items: { seq: number; deliveryId: DeliveryId; messageId: MessageId; endpointId: EndpointId }[]) {
  if (items.length === 0) return;
  await db.$transaction(async (tx) => {
    await publish(
      tx,
      items.map((i) =>
        events.deliveryRequested(
          { deliveryId: i.deliveryId, organizationId: task.organizationId, endpointId: i.endpointId, messageId: i.messageId },
          { id: `recovery-${task.id}-${i.deliveryId}` },
        ),
      ),
    );
    await tx.backgroundTaskItem.updateMany({ where: { taskId: task.id, seq: { in: items.map((i) => i.seq) }, state: "SENDING" }, data: { state: "SCHEDULED" } });
  });
}

// ---------------------------------------------------------------------------------------------
// Stops

/**
 * Ends every unfinished delivery matching `where` as failed with `reason` (recoverable later by a
 * manual resend). Finished deliveries keep their outcome.
 */
export async function failDeliveries(
  where: { ids: DeliveryId[] } | { endpointId: EndpointId },
  reason: string,
  client: Pick<Prisma.TransactionClient, "delivery"> = db,
): Promise<number> {
  const { count } = await client.delivery.updateMany({
    where: { ...("ids" in where ? { id: { in: where.ids } } : { endpointId: where.endpointId }), status: { in: ["PENDING", "SENDING"] } },
    data: { status: "FAILED", failureReason: reason, nextAttemptAt: null },
  });
  return count;
}

// ---------------------------------------------------------------------------------------------
// Scheduled attempts

/** How a run's attempts are recorded: the normal schedule, or a test send from the endpoint's Testing tab (same path, same retries). */
export type ScheduledTrigger = Extract<AttemptTrigger, "SCHEDULED" | "TEST">;

export type AttemptContext = Pick<Delivery, "status" | "nextAttemptAt"> &
  Pick<Message, "body"> &
  Pick<Endpoint, "url" | "disabled" | "deletedAt" | "rateLimit" | "headers"> & {
    deliveryId: DeliveryId;
    messageId: MessageId;
    endpointId: EndpointId;
    organizationDisabledAt: Organization["disabledAt"];
    /** Set once the message's content was expunged: nothing is left to send. */
    messageExpungedAt: Message["expungedAt"];
    earlier: Pick<Attempt, "succeeded" | "statusCode" | "errorMessage"> | null;
    /** Ciphertexts of the secrets valid now, newest first. */
    secrets: string[];
  };

/** The columns and joins of an attempt's context (see `AttemptContext`), for `loadContexts` and `claimFirstAttempts`. */
function contextSelect(attemptNumber: number, trigger: ScheduledTrigger, now: Date): Prisma.Sql {
  return Prisma.sql`
    SELECT d.id AS "deliveryId", d.status::text AS status, d."nextAttemptAt", m.id AS "messageId", m.body, e.id AS "endpointId", e.url, e.disabled,
           e."deletedAt", e."rateLimit", e.headers, o."disabledAt" AS "organizationDisabledAt", m."expungedAt" AS "messageExpungedAt",
           (SELECT json_build_object('succeeded', a.succeeded, 'statusCode', a."statusCode", 'errorMessage', a."errorMessage")
              FROM "Attempt" a
             WHERE a."deliveryId" = d.id AND a.trigger = ${trigger}::"AttemptTrigger" AND a."attemptNumber" = ${attemptNumber}) AS earlier,
           (SELECT coalesce(json_agg(s.ciphertext ORDER BY s."createdAt" DESC, s.id DESC), '[]'::json)
              FROM "EndpointSecret" s
             WHERE s."endpointId" = e.id AND (s."expiresAt" IS NULL OR s."expiresAt" > ${now})) AS secrets
      FROM "Delivery" d
      JOIN "Message" m ON m.id = d."messageId"
      JOIN "Endpoint" e ON e.id = d."endpointId"
      JOIN "Organization" o ON o.id = e."organizationId"`;
}

/**
 * Everything the attempts of these deliveries need, in one round trip: this is the delivery hot
 * path, where every statement costs CPU on the executor's one thread and in the kernel. `earlier`
 * is attempt `attemptNumber` of `trigger` if it was already recorded (a re-run after a crash).
 */
export async function loadContexts(deliveryIds: DeliveryId[], attemptNumber: number, trigger: ScheduledTrigger, now: Date): Promise<AttemptContext[]> {
  return db.$queryRaw<AttemptContext[]>`${contextSelect(attemptNumber, trigger, now)} WHERE d.id = ANY (${deliveryIds}::text[])`;
}

/** A first attempt's context, and whether it may be sent now without a rate-limit slot. */
export type FirstAttemptContext = AttemptContext & {
  /**
   * Marked SENDING by this statement (it was PENDING), or already SENDING from a run that stopped
   * before recording its attempt; and nothing stands in the way: not finished, endpoint enabled and
   * not deleted, content not expunged, attempt not recorded, organization enabled, no rate limit.
   */
  sendable: boolean;
};

/**
 * `loadContexts` and `markSending` of a batch of first attempts in one statement: the contexts
 * of every delivery, and the deliveries that may be sent at once (`sendable`) moved to SENDING.
 * The others are left as they were, for the caller to stop, answer or pace one by one.
 */
export async function claimFirstAttempts(deliveryIds: DeliveryId[], trigger: ScheduledTrigger, now: Date): Promise<FirstAttemptContext[]> {
  return db.$queryRaw<FirstAttemptContext[]>`
    WITH ctx AS (${contextSelect(1, trigger, now)} WHERE d.id = ANY (${deliveryIds}::text[])),
    ready AS (
      SELECT "deliveryId" FROM ctx
       WHERE status IN ('PENDING', 'SENDING') AND "deletedAt" IS NULL AND NOT disabled AND "messageExpungedAt" IS NULL
         AND earlier IS NULL AND "organizationDisabledAt" IS NULL AND "rateLimit" IS NULL
    ),
    marked AS (
      UPDATE "Delivery" d SET status = 'SENDING', "attemptCount" = 1, "lastAttemptAt" = ${now}, "nextAttemptAt" = NULL, "updatedAt" = ${now}
        FROM ready WHERE d.id = ready."deliveryId" AND d.status = 'PENDING'
      RETURNING d.id
    )
    SELECT ctx.*, (ctx."deliveryId" IN (SELECT id FROM marked) OR (ctx.status = 'SENDING' AND ctx."deliveryId" IN (SELECT "deliveryId" FROM ready))) AS sendable
      FROM ctx`;
}

/** Pending deliveries about to be attempted: SENDING is what "an attempt in flight" means everywhere. */
export async function markSending(deliveryIds: DeliveryId[], attemptNumber: number, now: Date) {
  await db.$executeRaw`
    UPDATE "Delivery" SET status = 'SENDING', "attemptCount" = ${attemptNumber}, "lastAttemptAt" = ${now}, "nextAttemptAt" = NULL, "updatedAt" = ${now}
     WHERE id = ANY (${deliveryIds}::text[]) AND status = 'PENDING'`;
}

/** Where an attempt came from and what it answered. */
export interface AnsweredAttempt {
  context: Pick<AttemptContext, "deliveryId" | "messageId" | "endpointId">;
  outcome: AttemptOutcome;
}

/** A scheduled attempt and its delivery's next state. */
export interface ScheduledRecord extends AnsweredAttempt {
  next: { status: "SUCCEEDED" | "PENDING" | "FAILED"; reason: string | null; at: Date | null };
}

/**
 * The answers of attempts as `unnest()` arrays, one per column of ATTEMPT_INPUT_COLUMNS, for the
 * `input` CTE of a statement that records many attempts at once (scheduled and manual ones).
 */
function attemptArrays(rows: AnsweredAttempt[]): Prisma.Sql {
  const col = <T>(pick: (r: AnsweredAttempt) => T) => rows.map(pick);
  return Prisma.sql`
    ${col((r) => r.context.deliveryId)}::text[], ${col((r) => r.context.messageId)}::text[], ${col((r) => r.context.endpointId)}::text[],
    ${col((r) => r.outcome.url)}::text[], ${col((r) => new Date(r.outcome.startedAt))}::timestamp[], ${col((r) => Math.round(r.outcome.durationMs))}::int[],
    ${col((r) => r.outcome.ok)}::boolean[], ${col((r) => r.outcome.statusCode ?? null)}::int[],
    ${col((r) => (r.outcome.responseHeaders ? JSON.stringify(r.outcome.responseHeaders) : null))}::text[], ${col((r) => r.outcome.responseBody)}::text[],
    ${col((r) => r.outcome.responseBodyTruncated)}::boolean[], ${col((r) => r.outcome.errorKind ?? null)}::text[], ${col((r) => r.outcome.errorMessage ?? null)}::text[]`;
}

/** Column names of `attemptArrays`, in order. */
const ATTEMPT_INPUT_COLUMNS = Prisma.raw(
  `"deliveryId", "messageId", "endpointId", url, "startedAt", "durationMs", succeeded, "statusCode", "responseHeaders", "responseBody", "responseBodyTruncated", "errorKind", "errorMessage"`,
);

/** The columns of an attempt's answer, filled by `ANSWER_VALUES`. */
const ANSWER_COLUMNS = Prisma.raw(`"responseHeaders", "responseBody", "responseBodyTruncated", "errorKind", "errorMessage", "responseExpungedAt"`);

/**
 * An answer (the `input` row's columns) as recorded, unless the content of its message `m` was
 * expunged meanwhile: then nothing of the answer is kept, as `expungeMessage` leaves the others
 * (expunge.ts). `m` is read FOR SHARE, which an expunge in progress holds FOR UPDATE: the
 * statement waits for it and sees it.
 */
const ANSWER_VALUES = Prisma.sql`
  CASE WHEN m."expungedAt" IS NULL THEN "responseHeaders"::jsonb END,
  CASE WHEN m."expungedAt" IS NULL THEN "responseBody" ELSE ${EXPUNGED_RESPONSE} END,
  "responseBodyTruncated" AND m."expungedAt" IS NULL,
  "errorKind",
  CASE WHEN m."expungedAt" IS NULL OR "errorKind" IS DISTINCT FROM 'redirect' THEN "errorMessage" ELSE ${withoutRedirectTarget(Prisma.sql`"errorMessage"`)} END,
  m."expungedAt"`;

/**
 * Attempts and their deliveries' next states, all in one statement (group commit). A delivery
 * stopped meanwhile (endpoint disabled while the request was in flight) keeps its FAILED state; an
 * attempt number already recorded (a re-run after a crash) is not recorded twice.
 *
 * The same statement keeps each endpoint's failure streak (`Endpoint.failingSince`, written only
 * when it changes: set by a failure after a success, cleared by a success) and answers the
 * endpoints of these failed attempts that have been failing since `disableFailingBefore` or
 * earlier, for lib/endpoints/auto-disable.ts to disable (null: none). The attempts that cause an
 * operational event (failing, exhausted, recovered: lib/operational/events.ts) record it in the
 * same statement too; only then does the statement carry those parts.
 */
export async function recordScheduledAttempts(
  records: ScheduledRecord[],
  attemptNumber: number,
  trigger: ScheduledTrigger,
  disableFailingBefore: Date | null = null,
  now: Date = new Date(),
): Promise<EndpointId[]> {
  if (records.length === 0) return [];
  const col = <T>(pick: (r: ScheduledRecord) => T) => records.map(pick);
  const attemptEvents = records.flatMap((r) => {
    const type = attemptEventOf(r.outcome.ok, attemptNumber, r.next.status);
    return type ? [{ deliveryId: r.context.deliveryId, type }] : [];
  });
  const operational = attemptEvents.length > 0 ? attemptEventCtes(attemptEvents, now) : null;
  const [row] = await db.$queryRaw<{ failing: EndpointId[] }[]>`
    WITH input AS (
      SELECT * FROM unnest(
        ${attemptArrays(records)},
        ${col((r) => r.next.status)}::text[], ${col((r) => r.next.reason)}::text[], ${col((r) => r.next.at)}::timestamp[]
      ) AS t(${ATTEMPT_INPUT_COLUMNS}, "nextStatus", "nextReason", "nextAt")
    ),
    recorded AS (
      INSERT INTO "Attempt" (id, "deliveryId", "messageId", "endpointId", "attemptNumber", trigger, url, "startedAt", "durationMs",
                             succeeded, "statusCode", ${ANSWER_COLUMNS})
      SELECT ${Prisma.raw(NEW_ID_SQL.attempt)}, "deliveryId", "messageId", "endpointId", ${attemptNumber}, ${trigger}::"AttemptTrigger",
             url, "startedAt", "durationMs", succeeded, "statusCode", ${ANSWER_VALUES}
        FROM input JOIN "Message" m ON m.id = input."messageId" FOR SHARE OF m
      ON CONFLICT ("deliveryId", trigger, "attemptNumber") DO NOTHING
      RETURNING id, "deliveryId"
    ),
    ${failureStreakCtes()},
    delivery AS (
      UPDATE "Delivery" d
         SET status = input."nextStatus"::"DeliveryStatus", "failureReason" = input."nextReason", "nextAttemptAt" = input."nextAt", "updatedAt" = now()
        FROM input
       WHERE d.id = input."deliveryId" AND d.status = 'SENDING' AND (SELECT count(*) FROM streak) >= 0
    )${operational ? Prisma.sql`,${operational.ctes}` : Prisma.empty}
    SELECT coalesce((
             SELECT array_agg(e.id) FROM "Endpoint" e JOIN by_endpoint b ON b."endpointId" = e.id
              WHERE NOT b.succeeded AND e."failingSince" <= ${disableFailingBefore?.toISOString() ?? null}::timestamp AND NOT e.disabled AND e."deletedAt" IS NULL
           ), '{}') AS failing${operational ? Prisma.sql`, ${operational.wake} AS woke` : Prisma.empty}`;
  return row?.failing ?? [];
}

/**
 * CTEs over `input` (attempts: "endpointId", succeeded, "startedAt") that move each endpoint's
 * `failingSince`: a success clears it, a failure sets it when unset. Rows change only when the
 * value does, so a healthy endpoint's row is read, never written; `by_endpoint` is left for the
 * statement's own use. The statement's delivery update waits for `streak` (it reads it): the rows
 * that change are locked first and in id order, as a disable locks the endpoint before its
 * deliveries, so neither can wait on the other in a cycle. Writes of the same statement see the
 * snapshot before it: `failingSince` read later in the statement is the value before these attempts.
 */
function failureStreakCtes(): Prisma.Sql {
  return Prisma.sql`
    by_endpoint AS (
      SELECT "endpointId", bool_or(succeeded) AS succeeded, min("startedAt") FILTER (WHERE NOT succeeded) AS "firstFailure" FROM input GROUP BY "endpointId"
    ),
    changing AS (
      SELECT e.id, b.succeeded, b."firstFailure" FROM "Endpoint" e JOIN by_endpoint b ON b."endpointId" = e.id
       WHERE CASE WHEN b.succeeded THEN e."failingSince" IS NOT NULL ELSE e."failingSince" IS NULL END
       ORDER BY e.id FOR NO KEY UPDATE OF e
    ),
    streak AS (
      UPDATE "Endpoint" e SET "failingSince" = CASE WHEN c.succeeded THEN NULL ELSE c."firstFailure" END
        FROM changing c
       WHERE e.id = c.id
      RETURNING e.id
    )`;
}

// ---------------------------------------------------------------------------------------------
// Manual attempts

export type FinishedStatus = Extract<DeliveryStatus, "FAILED" | "SUCCEEDED">;

export interface ManualClaim {
  deliveryId: DeliveryId;
  /** The delivery's status before the claim: a failed resend of a delivered message leaves it SUCCEEDED. */
  prior: FinishedStatus;
}

/**
 * Claims finished deliveries for a manual attempt (one of `allowed` → SENDING), which a second
 * resend, the scheduled path and the retention purge all leave alone. Returns those claimed with
 * their prior state.
 */
export async function claimForManual(deliveryIds: DeliveryId[], allowed: FinishedStatus[]): Promise<ManualClaim[]> {
  if (deliveryIds.length === 0) return [];
  return db.$queryRaw<ManualClaim[]>`
    UPDATE "Delivery" d SET status = 'SENDING', "updatedAt" = now()
      FROM (SELECT id, status FROM "Delivery" WHERE id = ANY (${deliveryIds}::text[]) AND status = ANY (${allowed}::"DeliveryStatus"[]) FOR UPDATE) p
     WHERE d.id = p.id
    RETURNING d.id AS "deliveryId", p.status::text AS prior`;
}

/** Gives claimed deliveries back unsent (a task cancelled or stopped with claims left, a message gone). */
export async function releaseClaims(claims: ManualClaim[]) {
  if (claims.length === 0) return;
  await db.$executeRaw`
    UPDATE "Delivery" d SET status = c.prior::"DeliveryStatus", "updatedAt" = now()
      FROM unnest(${claims.map((c) => c.deliveryId)}::text[], ${claims.map((c) => c.prior)}::text[]) AS c(id, prior)
     WHERE d.id = c.id AND d.status = 'SENDING'`;
}

/** A manual attempt and what it does to its delivery. */
export interface ManualRecord extends AnsweredAttempt {
  /** The failure in one sentence, kept on the task item; null on success. */
  detail: string | null;
  next: FinishedStatus;
  /** A failed resend of a delivered message keeps the delivery's record as it was. */
  keepReason: boolean;
  reason: string | null;
}

/**
 * Records manual attempts, all in one statement (group commit): each attempt (number = its
 * delivery's manual attempts + 1), its delivery's state and, for a task, its item's outcome, so a
 * task re-run after a crash never sends a recorded item again. Returns the new attempts' ids.
 * A success ends its endpoint's failure streak (the endpoint locked before the deliveries, as in
 * `recordScheduledAttempts`); a failed resend leaves the streak to the scheduled attempts, as Svix does.
 */
export async function recordManualAttempts(records: ManualRecord[], taskId: TaskId | null): Promise<{ attemptId: AttemptId; deliveryId: DeliveryId }[]> {
  if (records.length === 0) return [];
  const col = <T>(pick: (r: ManualRecord) => T) => records.map(pick);
  return db.$queryRaw<{ attemptId: AttemptId; deliveryId: DeliveryId }[]>`
    WITH input AS (
      SELECT * FROM unnest(
        ${attemptArrays(records)},
        ${col((r) => r.detail)}::text[], ${col((r) => r.next)}::text[], ${col((r) => r.keepReason)}::boolean[], ${col((r) => r.reason)}::text[]
      ) AS t(${ATTEMPT_INPUT_COLUMNS}, detail, "nextStatus", "keepReason", reason)
    ),
    attempt AS (
      INSERT INTO "Attempt" (id, "deliveryId", "messageId", "endpointId", "attemptNumber", trigger, url, "startedAt", "durationMs",
                             succeeded, "statusCode", ${ANSWER_COLUMNS})
      SELECT ${Prisma.raw(NEW_ID_SQL.attempt)}, i."deliveryId", i."messageId", i."endpointId",
             (SELECT coalesce(max(a."attemptNumber"), 0) + 1 FROM "Attempt" a WHERE a."deliveryId" = i."deliveryId" AND a.trigger = 'MANUAL'),
             'MANUAL', i.url, i."startedAt", i."durationMs", i.succeeded, i."statusCode", ${ANSWER_VALUES}
        FROM input i JOIN "Message" m ON m.id = i."messageId" FOR SHARE OF m
      RETURNING id, "deliveryId"
    ),
    item AS (
      UPDATE "BackgroundTaskItem" it SET state = (CASE WHEN i.succeeded THEN 'SUCCEEDED' ELSE 'FAILED' END)::"BackgroundTaskItemState", detail = i.detail
        FROM input i
       WHERE it."taskId" = ${taskId}::text AND it."deliveryId" = i."deliveryId" AND it.state = 'SENDING'
    ),
    recovering AS (
      SELECT e.id FROM "Endpoint" e WHERE e.id IN (SELECT "endpointId" FROM input WHERE succeeded) AND e."failingSince" IS NOT NULL
       ORDER BY e.id FOR NO KEY UPDATE OF e
    ),
    recovered AS (
      UPDATE "Endpoint" e SET "failingSince" = NULL FROM recovering r WHERE e.id = r.id RETURNING e.id
    ),
    delivery AS (
      UPDATE "Delivery" d
         SET status = i."nextStatus"::"DeliveryStatus", "nextAttemptAt" = NULL, "lastAttemptAt" = i."startedAt", "updatedAt" = now(),
             "failureReason" = CASE WHEN i."keepReason" THEN d."failureReason" ELSE i.reason END
        FROM input i
       WHERE d.id = i."deliveryId" AND (d.status = 'SENDING' OR i.succeeded) AND (SELECT count(*) FROM recovered) >= 0
    )
    SELECT id AS "attemptId", "deliveryId" FROM attempt`;
}
