import { db } from "@/lib/db";
import { STALL_KINDS, type StallKind } from "@/lib/observability/watchdog-kinds";

/** Read-only views of the watchdog's findings and the executors' heartbeats, for the staff Jobs page. */

export const STALLS_SHOWN = 20;

export interface StallRow {
  id: string;
  kind: StallKind;
  subject: string;
  since: Date;
  detectedAt: Date;
  detail: string;
  /** A delivery's message, to link to (null once purged, or for other kinds). */
  message: { org: string; messageId: string } | null;
}

const isKind = (kind: string): kind is StallKind => (STALL_KINDS as readonly string[]).includes(kind);

/** The stalls recorded most recently, newest first, deliveries with their message. */
export async function recentStalls(limit = STALLS_SHOWN): Promise<StallRow[]> {
  const rows = await db.watchdogStall.findMany({ orderBy: [{ detectedAt: "desc" }, { id: "desc" }], take: limit });
  const deliveryIds = rows.filter((r) => r.kind === "delivery").map((r) => r.subject);
  const deliveries =
    deliveryIds.length === 0
      ? []
      : await db.delivery.findMany({ where: { id: { in: deliveryIds } }, select: { id: true, messageId: true, message: { select: { organization: { select: { slug: true } } } } } });
  const messages = new Map(deliveries.map((d) => [d.id, { org: d.message.organization.slug, messageId: d.messageId }]));
  return rows.flatMap((r) =>
    isKind(r.kind)
      ? [{ id: r.id.toString(), kind: r.kind, subject: r.subject, since: r.since, detectedAt: r.detectedAt, detail: r.detail, message: messages.get(r.subject) ?? null }]
      : [],
  );
}

export interface ExecutorRow {
  id: string;
  startedAt: Date;
  heartbeatAt: Date;
  /** When the watchdog recorded it stalled; null while it beats. */
  stalledAt: Date | null;
}

/** Executor processes with a heartbeat row (running, or gone without stopping), stalled ones first. */
export async function executorWorkers(): Promise<ExecutorRow[]> {
  const rows = await db.executorWorker.findMany({ orderBy: [{ startedAt: "asc" }], take: 100 });
  return rows.sort((a, b) => Number(b.stalledAt !== null) - Number(a.stalledAt !== null));
}
