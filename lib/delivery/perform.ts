import { db } from "@/lib/db";
import { attempt } from "@/lib/delivery/attempt";
import { deliveryConfig } from "@/lib/delivery/config";
import { summariseOutcome } from "@/lib/delivery/outcome";
import { prismaTransactions, waitForSendSlot } from "@/lib/delivery/rate-limit";
import { nextAttemptAt, type RetrySchedule } from "@/lib/delivery/schedule";
import { openSecret } from "@/lib/endpoints/secrets";
import { Prisma, type Attempt, type AttemptTrigger, type Delivery, type Endpoint, type Message, type Organization } from "@/lib/generated/prisma/client";
import type { AttemptOutcome } from "@/lib/delivery/attempt";
import { failDeliveries, STOP_REASON } from "@/lib/delivery/deliveries";
import { storedHeadersSchema } from "@/lib/validations/endpoint";

/**
 * What one scheduled step did; small and JSON-safe, since Inngest memoizes it. `nextAttemptAt`
 * (ISO time, the delivery's own `nextAttemptAt`) is when the next attempt is due, or null when
 * this one ended the delivery: the function sleeps until then and decides nothing itself.
 */
export type ScheduledAttemptResult =
  | { kind: "stopped"; reason: string }
  | { kind: "rate_limited"; retryInMs: number }
  /** The organization is disabled by staff: nothing was attempted; check again after `retryInMs`. */
  | { kind: "paused"; retryInMs: number }
  | { kind: "attempted"; ok: boolean; nextAttemptAt: string | null; statusCode: number | null; error: string | null };

/** How a run's attempts are recorded: the normal schedule, or a test send from the endpoint's Testing tab (same path, same retries). */
export type ScheduledTrigger = Extract<AttemptTrigger, "SCHEDULED" | "TEST">;

/** A rate-limited attempt waits this long in-process before handing the wait to a durable sleep. */
export const IN_PROCESS_RATE_WAIT_MS = 250;

export type AttemptContext = Pick<Delivery, "status" | "nextAttemptAt" | "messageId"> &
  Pick<Message, "body"> &
  Pick<Endpoint, "url" | "disabled" | "deletedAt" | "rateLimit" | "headers"> & {
    deliveryId: Delivery["id"];
    endpointId: Endpoint["id"];
    organizationDisabledAt: Organization["disabledAt"];
    earlier: Pick<Attempt, "succeeded" | "statusCode" | "errorMessage"> | null;
    /** Ciphertexts of the secrets valid now, newest first. */
    secrets: string[];
  };

/**
 * Everything the attempts of these deliveries need, in one round trip: this is the delivery hot
 * path, where every statement costs CPU on the executor's one thread and in the kernel.
 */
export async function loadContexts(deliveryIds: string[], attemptNumber: number, trigger: ScheduledTrigger, now: Date): Promise<AttemptContext[]> {
  return db.$queryRaw<AttemptContext[]>`
    SELECT d.id AS "deliveryId", d.status::text AS status, d."nextAttemptAt", m.id AS "messageId", m.body, e.id AS "endpointId", e.url, e.disabled,
           e."deletedAt", e."rateLimit", e.headers, o."disabledAt" AS "organizationDisabledAt",
           (SELECT json_build_object('succeeded', a.succeeded, 'statusCode', a."statusCode", 'errorMessage', a."errorMessage")
              FROM "Attempt" a
             WHERE a."deliveryId" = d.id AND a.trigger = ${trigger}::"AttemptTrigger" AND a."attemptNumber" = ${attemptNumber}) AS earlier,
           (SELECT coalesce(json_agg(s.ciphertext ORDER BY s."createdAt" DESC, s.id DESC), '[]'::json)
              FROM "EndpointSecret" s
             WHERE s."endpointId" = e.id AND (s."expiresAt" IS NULL OR s."expiresAt" > ${now})) AS secrets
      FROM "Delivery" d
      JOIN "Message" m ON m.id = d."messageId"
      JOIN "Endpoint" e ON e.id = d."endpointId"
      JOIN "Organization" o ON o.id = e."organizationId"
     WHERE d.id = ANY (${deliveryIds}::text[])`;
}

/**
 * Deliveries that are done, whose endpoint went away, or whose organization staff disabled (they
 * wait, neither attempted nor failed): what to answer instead of attempting.
 */
export function settledBefore(context: AttemptContext): ScheduledAttemptResult | "stop" | null {
  if (context.status === "SUCCEEDED" || context.status === "FAILED") return { kind: "stopped", reason: `delivery already ${context.status.toLowerCase()}` };
  if (context.deletedAt || context.disabled) return "stop";
  // A crash after the request but before Inngest memoized this step: never send one attempt number
  // twice. The statement that recorded it set the delivery's next attempt too.
  if (context.earlier) {
    const { succeeded, statusCode, errorMessage } = context.earlier;
    return { kind: "attempted", ok: succeeded, nextAttemptAt: context.nextAttemptAt?.toISOString() ?? null, statusCode, error: errorMessage };
  }
  if (context.organizationDisabledAt) return { kind: "paused", retryInMs: deliveryConfig().organizationPauseRecheckMs };
  return null;
}

export async function stopDelivery(context: AttemptContext): Promise<ScheduledAttemptResult> {
  const reason = context.deletedAt ? STOP_REASON.deleted : STOP_REASON.disabled;
  await failDeliveries({ ids: [context.deliveryId] }, reason);
  return { kind: "stopped", reason };
}

export async function markSending(deliveryIds: string[], attemptNumber: number, now: Date) {
  await db.$executeRaw`
    UPDATE "Delivery" SET status = 'SENDING', "attemptCount" = ${attemptNumber}, "lastAttemptAt" = ${now}, "nextAttemptAt" = NULL, "updatedAt" = ${now}
     WHERE id = ANY (${deliveryIds}::text[]) AND status = 'PENDING'`;
}

export function send(context: AttemptContext, timeoutMs: number): Promise<AttemptOutcome> {
  return attempt(
    {
      url: context.url,
      messageId: context.messageId,
      body: context.body,
      secrets: context.secrets.map((ciphertext) => openSecret(context.endpointId, ciphertext)),
      headers: Object.fromEntries(storedHeadersSchema.parse(context.headers).map((h) => [h.name, h.value])),
    },
    { timeoutMs },
  );
}

export interface Recorded {
  context: AttemptContext;
  outcome: AttemptOutcome;
  result: Extract<ScheduledAttemptResult, { kind: "attempted" }>;
  next: { status: "SUCCEEDED" | "PENDING" | "FAILED"; reason: string | null; at: Date | null };
}

export function decide(context: AttemptContext, outcome: AttemptOutcome, attemptNumber: number, schedule: RetrySchedule): Recorded {
  const error = outcome.ok ? null : summariseOutcome(outcome).detail;
  const retryAt = outcome.ok ? null : nextAttemptAt(schedule, attemptNumber, new Date());
  const next: Recorded["next"] = outcome.ok
    ? { status: "SUCCEEDED", reason: null, at: null }
    : retryAt
      ? { status: "PENDING", reason: null, at: retryAt }
      : { status: "FAILED", reason: `all ${attemptNumber} attempts failed; last: ${error}`, at: null };
  return { context, outcome, next, result: { kind: "attempted", ok: outcome.ok, nextAttemptAt: next.at?.toISOString() ?? null, statusCode: outcome.statusCode ?? null, error } };
}

/**
 * The answers of attempts as `unnest()` arrays, one per column of ATTEMPT_INPUT_COLUMNS, for the
 * `input` CTE of a statement that records many attempts at once (scheduled and manual ones).
 */
export function attemptArrays(rows: { context: Pick<AttemptContext, "deliveryId" | "messageId" | "endpointId">; outcome: AttemptOutcome }[]): Prisma.Sql {
  const col = <T>(pick: (r: (typeof rows)[number]) => T) => rows.map(pick);
  return Prisma.sql`
    ${col((r) => r.context.deliveryId)}::text[], ${col((r) => r.context.messageId)}::text[], ${col((r) => r.context.endpointId)}::text[],
    ${col((r) => r.outcome.url)}::text[], ${col((r) => new Date(r.outcome.startedAt))}::timestamp[], ${col((r) => Math.round(r.outcome.durationMs))}::int[],
    ${col((r) => r.outcome.ok)}::boolean[], ${col((r) => r.outcome.statusCode ?? null)}::int[],
    ${col((r) => (r.outcome.responseHeaders ? JSON.stringify(r.outcome.responseHeaders) : null))}::text[], ${col((r) => r.outcome.responseBody)}::text[],
    ${col((r) => r.outcome.responseBodyTruncated)}::boolean[], ${col((r) => r.outcome.errorKind ?? null)}::text[], ${col((r) => r.outcome.errorMessage ?? null)}::text[]`;
}

/** Column names of `attemptArrays`, in order. */
export const ATTEMPT_INPUT_COLUMNS = Prisma.raw(
  `"deliveryId", "messageId", "endpointId", url, "startedAt", "durationMs", succeeded, "statusCode", "responseHeaders", "responseBody", "responseBodyTruncated", "errorKind", "errorMessage"`,
);

/**
 * Attempts and their deliveries' next states, all in one statement (group commit). A delivery
 * stopped meanwhile (endpoint disabled while the request was in flight) keeps its FAILED state; an
 * attempt number already recorded (a re-run after a crash) is not recorded twice.
 */
export async function recordAttempts(records: Recorded[], attemptNumber: number, trigger: ScheduledTrigger) {
  if (records.length === 0) return;
  const col = <T>(pick: (r: Recorded) => T) => records.map(pick);
  await db.$executeRaw`
    WITH input AS (
      SELECT * FROM unnest(
        ${attemptArrays(records)},
        ${col((r) => r.next.status)}::text[], ${col((r) => r.next.reason)}::text[], ${col((r) => r.next.at)}::timestamp[]
      ) AS t(${ATTEMPT_INPUT_COLUMNS}, "nextStatus", "nextReason", "nextAt")
    ),
    recorded AS (
      INSERT INTO "Attempt" (id, "deliveryId", "messageId", "endpointId", "attemptNumber", trigger, url, "startedAt", "durationMs",
                             succeeded, "statusCode", "responseHeaders", "responseBody", "responseBodyTruncated", "errorKind", "errorMessage")
      SELECT 'att_' || replace(gen_random_uuid()::text, '-', ''), "deliveryId", "messageId", "endpointId", ${attemptNumber}, ${trigger}::"AttemptTrigger",
             url, "startedAt", "durationMs", succeeded, "statusCode", "responseHeaders"::jsonb, "responseBody", "responseBodyTruncated",
             "errorKind", "errorMessage"
        FROM input
      ON CONFLICT ("deliveryId", trigger, "attemptNumber") DO NOTHING
    )
    UPDATE "Delivery" d
       SET status = input."nextStatus"::"DeliveryStatus", "failureReason" = input."nextReason", "nextAttemptAt" = input."nextAt", "updatedAt" = now()
      FROM input
     WHERE d.id = input."deliveryId" AND d.status = 'SENDING'`;
}

/**
 * Scheduled attempt `attemptNumber` of a delivery: checks the endpoint still wants it, waits for a
 * rate-limit slot, POSTs, records the attempt with the URL really used, and moves the delivery on.
 * Never throws for HTTP outcomes: the schedule, not Inngest's step retries, decides what is next.
 */
export async function performScheduledAttempt(
  deliveryId: string,
  attemptNumber: number,
  { schedule = deliveryConfig().retrySchedule, trigger = "SCHEDULED" }: { schedule?: RetrySchedule; trigger?: ScheduledTrigger } = {},
): Promise<ScheduledAttemptResult> {
  const [context] = await loadContexts([deliveryId], attemptNumber, trigger, new Date());
  if (!context) return { kind: "stopped", reason: "delivery no longer exists" };
  const settled = settledBefore(context);
  if (settled === "stop") return stopDelivery(context);
  if (settled) return settled;

  const config = deliveryConfig();
  if (context.rateLimit) {
    const slot = await waitForSendSlot(prismaTransactions(db), context.endpointId, context.rateLimit, {
      marginMs: config.rateLimitMarginMs,
      maxWaitMs: IN_PROCESS_RATE_WAIT_MS,
    });
    if (!slot.allowed) return { kind: "rate_limited", retryInMs: slot.retryInMs };
  }

  await markSending([deliveryId], attemptNumber, new Date());
  const recorded = decide(context, await send(context, config.attemptTimeoutMs), attemptNumber, schedule);
  await recordAttempts([recorded], attemptNumber, trigger);
  return recorded.result;
}
