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
}

const isKind = (kind: string): kind is StallKind => (STALL_KINDS as readonly string[]).includes(kind);

/** The stalls recorded most recently, newest first. */
export async function recentStalls(limit = STALLS_SHOWN): Promise<StallRow[]> {
  const rows = await db.watchdogStall.findMany({ orderBy: [{ detectedAt: "desc" }, { id: "desc" }], take: limit });
  return rows.flatMap((r) => (isKind(r.kind) ? [{ id: r.id.toString(), kind: r.kind, subject: r.subject, since: r.since, detectedAt: r.detectedAt, detail: r.detail }] : []));
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
