import { randomUUID } from "node:crypto";

/**
 * Delivery history at chosen times, written straight into the tables the overview reads: a message
 * per item, its one delivery and the attempts given. Nothing is ever sent: no executor event is
 * written, so no run picks these deliveries up. Dependency-free, so the integration tests (Prisma)
 * and the end-to-end specs (pg) both use it through their own `query`.
 */
export interface HistoryItem {
  endpointId: string;
  /** When the message was accepted. */
  createdAt: Date;
  /** Svix's `deliverAt`: the delivery is due then instead of at `createdAt`. */
  deliverAt?: Date;
  /** Attempts 1, 2, ... in order (scheduled unless `trigger` says otherwise); none leaves the delivery waiting (PENDING, never attempted). */
  attempts: { at: Date; ok: boolean; trigger?: "SCHEDULED" | "MANUAL" | "TEST" }[];
}

export type Query = (sql: string, params: unknown[]) => Promise<unknown>;

// Stored times are UTC without a zone: an instant is cast explicitly, whatever the client's zone.
const utc = (param: string) => `(${param}::timestamptz AT TIME ZONE 'UTC')`;
const iso = (at: Date | undefined) => at?.toISOString() ?? null;
const hex = () => randomUUID().replaceAll("-", "");

export async function insertEndpoint(query: Query, organizationId: string, options: { url?: string; description?: string } = {}): Promise<string> {
  const id = `ep_${hex().slice(0, 22)}`;
  await query(
    `INSERT INTO "Endpoint" (id, "organizationId", url, description, "eventTypes", disabled, "updatedAt") VALUES ($1, $2, $3, $4, $5, true, now())`,
    [id, organizationId, options.url ?? `https://${id.toLowerCase().replace("_", "-")}.example.test/hooks`, options.description ?? "", ["contract.created"]],
  );
  return id;
}

export async function insertHistory(query: Query, organizationId: string, items: HistoryItem[]): Promise<void> {
  for (const item of items) {
    const messageId = `msg_${hex()}`;
    const deliveryId = `dlv_${hex()}`;
    const last = item.attempts.at(-1);
    const status = !last ? "PENDING" : last.ok ? "SUCCEEDED" : "FAILED";
    const due = item.deliverAt ?? item.createdAt;
    await query(
      `INSERT INTO "Message" (id, "organizationId", "eventType", body, "deliverAt", "createdAt") VALUES ($1, $2, 'contract.created', '{}', ${utc("$3")}, ${utc("$4")})`,
      [messageId, organizationId, iso(item.deliverAt), iso(item.createdAt)],
    );
    await query(
      `INSERT INTO "Delivery" (id, "organizationId", "messageId", "endpointId", status, "attemptCount", "nextAttemptAt", "lastAttemptAt", "createdAt", "updatedAt")
       VALUES ($1, $2, $3, $4, $5::"DeliveryStatus", $6, ${utc("$7")}, ${utc("$8")}, ${utc("$9")}, ${utc("$9")})`,
      [deliveryId, organizationId, messageId, item.endpointId, status, item.attempts.length, last ? null : iso(due), iso(last?.at), iso(item.createdAt)],
    );
    for (const [i, attempt] of item.attempts.entries()) {
      await query(
        `INSERT INTO "Attempt" (id, "deliveryId", "messageId", "endpointId", "attemptNumber", trigger, url, "startedAt", "durationMs", succeeded, "statusCode", "errorKind")
         VALUES ($1, $2, $3, $4, $5, $10::"AttemptTrigger", 'https://receiver.example.test/hooks', ${utc("$6")}, 12, $7, $8, $9)`,
        [`atmpt_${hex()}`, deliveryId, messageId, item.endpointId, i + 1, iso(attempt.at), attempt.ok, attempt.ok ? 200 : 500, attempt.ok ? null : "http_status", attempt.trigger ?? "SCHEDULED"],
      );
    }
  }
}
