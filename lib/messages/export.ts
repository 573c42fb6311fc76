import { db } from "@/lib/db";
import { keysetClauses, type Cursor } from "@/lib/db/keyset";
import { deliveryConfig } from "@/lib/delivery/config";
import { diagnose } from "@/lib/delivery/diagnosis";
import { Prisma } from "@/lib/generated/prisma/client";
import { listMessages, type MessageSelection } from "@/lib/messages/list";
import { summarizeDeliveries } from "@/lib/messages/summary";
import type { ExportOptions } from "@/lib/validations/message-logs";

/**
 * Exports of the message logs and of an endpoint's attempts, as CSV or NDJSON text chunks. Each
 * is an async generator reading keyset batches (EXPORT_BATCH rows at a time), so an export of any
 * size holds one batch in memory and a client that stops reading stops the queries. Nothing
 * secret is in them: no signatures, no signing secrets, no custom header values, and URLs are the
 * ones attempts recorded (password masked). Expunged content is said to be, with when, in its own
 * cell and in the row's sentence (`summary`, `diagnosis`), so an export without bodies says it too.
 */

/** What an expunged payload's or answer's cell holds. */
export const expungedCell = (at: Date) => `expunged ${at.toISOString()}`;

export const EXPORT_BATCH = 1_000;

type Cell = string | number | boolean | null;
type Record_ = Record<string, Cell>;

/**
 * RFC 4180 quoting. A text cell a spreadsheet would run as a formula (=, +, -, @, tab, CR) gets a
 * leading apostrophe: response bodies and payloads come from outside.
 */
function csvCell(value: Cell): string {
  if (value === null) return "";
  if (typeof value !== "string") return String(value);
  const text = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

function formatter(format: ExportOptions["format"], columns: readonly string[]) {
  if (format === "ndjson") return { header: "", rows: (records: Record_[]) => records.map((r) => JSON.stringify(r) + "\n").join("") };
  return {
    header: columns.join(",") + "\r\n",
    rows: (records: Record_[]) => records.map((r) => columns.map((c) => csvCell(r[c] ?? null)).join(",") + "\r\n").join(""),
  };
}

const MESSAGE_COLUMNS = ["id", "eventType", "eventId", "test", "createdAt", "summary", "endpoints", "succeeded", "failed", "pending", "sending", "nextAttemptAt", "payload"] as const;

export async function* exportMessages(
  organizationId: string,
  selection: MessageSelection,
  options: ExportOptions & { batchSize?: number; now?: Date },
): AsyncGenerator<string> {
  const now = options.now ?? new Date();
  const columns = options.includeBody ? MESSAGE_COLUMNS : MESSAGE_COLUMNS.filter((c) => c !== "payload");
  const out = formatter(options.format, columns);
  if (out.header) yield out.header;
  let cursor: Cursor | undefined;
  for (;;) {
    const page = await listMessages(organizationId, { ...selection, limit: options.batchSize ?? EXPORT_BATCH, cursor }, now);
    if (page.items.length === 0) return;
    const bodies = options.includeBody
      ? new Map(
          (await db.message.findMany({ where: { organizationId, id: { in: page.items.filter((m) => !m.expungedAt).map((m) => m.id) } }, select: { id: true, body: true } })).map((m) => [
            m.id,
            m.body,
          ]),
        )
      : null;
    yield out.rows(
      page.items.map((m): Record_ => ({
        id: m.id,
        eventType: m.eventType,
        eventId: m.eventId,
        test: m.test,
        createdAt: m.createdAt.toISOString(),
        summary: summarizeDeliveries(m.deliveries, now).text + (m.expungedAt ? `; content ${expungedCell(m.expungedAt)}` : ""),
        endpoints: m.deliveries.total,
        succeeded: m.deliveries.succeeded,
        failed: m.deliveries.failed,
        pending: m.deliveries.queued + m.deliveries.retrying,
        sending: m.deliveries.sending,
        nextAttemptAt: m.deliveries.nextAttemptAt?.toISOString() ?? null,
        ...(bodies ? { payload: m.expungedAt ? expungedCell(m.expungedAt) : (bodies.get(m.id) ?? null) } : {}),
      })),
    );
    const last = page.items[page.items.length - 1]!;
    if (!page.nextCursor) return;
    cursor = { direction: "next", at: last.createdAt, id: last.id };
  }
}

const ATTEMPT_COLUMNS = [
  "id",
  "messageId",
  "eventType",
  "startedAt",
  "trigger",
  "attemptNumber",
  "url",
  "succeeded",
  "statusCode",
  "durationMs",
  "errorKind",
  "diagnosis",
  "deliveryStatus",
  "responseBodyTruncated",
  "responseBody",
] as const;

interface AttemptExportRow {
  id: string;
  messageId: string;
  eventType: string;
  startedAt: Date;
  trigger: string;
  attemptNumber: number;
  url: string;
  succeeded: boolean;
  statusCode: number | null;
  durationMs: number;
  errorKind: string | null;
  errorMessage: string | null;
  location: string | null;
  deliveryStatus: string;
  responseBodyTruncated: boolean;
  responseBody: string | null;
  responseExpungedAt: Date | null;
}

const DELIVERY_STATUS = { succeeded: "SUCCEEDED", failed: "FAILED", pending: "PENDING", sending: "SENDING" } as const;

/** Every attempt to an endpoint, newest first; `status` keeps those of deliveries in that state (the tab's filter). */
export async function* exportAttempts(
  organizationId: string,
  endpointId: string,
  selection: { status?: keyof typeof DELIVERY_STATUS },
  options: ExportOptions & { batchSize?: number; timeoutMs?: number },
): AsyncGenerator<string> {
  const timeoutMs = options.timeoutMs ?? deliveryConfig().attemptTimeoutMs;
  const batch = options.batchSize ?? EXPORT_BATCH;
  const columns = options.includeBody ? ATTEMPT_COLUMNS : ATTEMPT_COLUMNS.filter((c) => c !== "responseBody");
  const out = formatter(options.format, columns);
  if (out.header) yield out.header;
  const status = selection.status ? Prisma.sql`AND d.status = ${DELIVERY_STATUS[selection.status]}::"DeliveryStatus"` : Prisma.empty;
  const body = options.includeBody ? Prisma.sql`a."responseBody"` : Prisma.sql`NULL::text`;
  let cursor: Cursor | undefined;
  for (;;) {
    const page = keysetClauses(Prisma.sql`a."startedAt"`, Prisma.sql`a.id`, cursor, batch);
    const rows = await db.$queryRaw<AttemptExportRow[]>`
      SELECT a.id, a."messageId", m."eventType", a."startedAt", a.trigger::text AS trigger, a."attemptNumber", a.url, a.succeeded,
             a."statusCode", a."durationMs", a."errorKind", a."errorMessage", a."responseHeaders"->>'location' AS location,
             d.status::text AS "deliveryStatus", a."responseBodyTruncated", ${body} AS "responseBody", a."responseExpungedAt"
        FROM "Attempt" a
        JOIN "Delivery" d ON d.id = a."deliveryId"
        JOIN "Message" m ON m.id = a."messageId"
       WHERE a."endpointId" = ${endpointId} AND d."organizationId" = ${organizationId} ${status} ${page.where}
       ${page.order} ${page.limit}`;
    if (rows.length === 0) return;
    const more = rows.length > batch;
    if (more) rows.pop();
    yield out.rows(
      rows.map((a): Record_ => ({
        id: a.id,
        messageId: a.messageId,
        eventType: a.eventType,
        startedAt: a.startedAt.toISOString(),
        trigger: a.trigger,
        attemptNumber: a.attemptNumber,
        url: a.url,
        succeeded: a.succeeded,
        statusCode: a.statusCode,
        durationMs: a.durationMs,
        errorKind: a.errorKind,
        diagnosis:
          diagnose({ ...a, responseHeaders: a.location ? { location: a.location } : null }, { timeoutMs }).sentence +
          (a.responseExpungedAt ? `; response ${expungedCell(a.responseExpungedAt)}` : ""),
        deliveryStatus: a.deliveryStatus,
        responseBodyTruncated: a.responseBodyTruncated,
        ...(options.includeBody ? { responseBody: a.responseExpungedAt ? expungedCell(a.responseExpungedAt) : a.responseBody } : {}),
      })),
    );
    if (!more) return;
    const last = rows[rows.length - 1]!;
    cursor = { direction: "next", at: last.startedAt, id: last.id };
  }
}
