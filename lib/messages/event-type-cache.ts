import pg from "pg";
import { getEventType, type EventTypeDetail } from "@/lib/catalog/event-types";

/** The channel a database trigger announces every event type change on (see its migration). */
export const EVENT_TYPE_CHANNEL = "event_type_changed";

/**
 * A backstop only: entries are dropped as soon as any process changes a type. It bounds how long
 * an entry could outlive a change if a notification were ever lost on a live connection.
 */
export const TTL_MS = 60_000;

const RECONNECT_MS = 1_000;

type Load = (name: string) => Promise<EventTypeDetail | null>;

/**
 * Event types as ingestion sees them: every accepted event needs its type's schema, and types
 * change rarely, so they are kept in memory per process. Correctness comes from LISTEN on the
 * trigger's channel: an archive, un-archive or schema edit committed by any process empties every
 * process's cache. While the LISTEN connection is not up, nothing is cached and every lookup reads
 * the database.
 */
export class EventTypeCache {
  private readonly entries = new Map<string, { at: number; type: EventTypeDetail }>();
  /** Bumped on every change signal: a lookup that raced a change does not store what it read. */
  private generation = 0;
  private listener: pg.Client | undefined;
  private starting: Promise<void> | undefined;
  private closed = false;
  /** After a failed attempt, lookups do not each open a connection: the next try waits this long. */
  private retryAt = 0;

  constructor(private readonly options: { databaseUrl: () => string | undefined; load?: Load }) {}

  async get(name: string, now = Date.now()): Promise<EventTypeDetail | null> {
    void this.start().catch(() => {});
    const listening = this.listener !== undefined;
    const hit = listening ? this.entries.get(name) : undefined;
    if (hit && now - hit.at < TTL_MS) return hit.type;
    const generation = this.generation;
    const type = await (this.options.load ?? getEventType)(name);
    // Unknown names are not remembered: they cost a query each, but cannot fill memory.
    if (type && this.listener !== undefined && generation === this.generation) this.entries.set(name, { at: now, type });
    else this.entries.delete(name);
    return type;
  }

  /** Starts listening (once); resolves when changes are being received. */
  start(): Promise<void> {
    if (this.listener || this.closed) return Promise.resolve();
    if (!this.starting && Date.now() < this.retryAt) return Promise.reject(new Error("LISTEN connection failed recently"));
    this.starting ??= this.listen()
      .catch((error: unknown) => {
        this.retryAt = Date.now() + RECONNECT_MS;
        throw error;
      })
      .finally(() => (this.starting = undefined));
    return this.starting;
  }

  async close(): Promise<void> {
    this.closed = true;
    const listener = this.listener;
    this.forget();
    await listener?.end().catch(() => {});
  }

  private forget(): void {
    this.listener = undefined;
    this.generation++;
    this.entries.clear();
  }

  private async listen(): Promise<void> {
    const connectionString = this.options.databaseUrl();
    if (!connectionString) throw new Error("DATABASE_URL is not set");
    const client = new pg.Client({ connectionString });
    const lost = () => {
      if (this.listener !== client) return;
      this.forget();
      if (!this.closed) setTimeout(() => void this.start().catch(() => {}), RECONNECT_MS).unref();
    };
    client.on("notification", () => {
      // Any change empties the whole cache: changes are rare, and this needs no bookkeeping.
      this.generation++;
      this.entries.clear();
    });
    client.on("error", lost);
    client.on("end", lost);
    try {
      await client.connect();
      await client.query(`LISTEN ${EVENT_TYPE_CHANNEL}`);
    } catch (error) {
      await client.end().catch(() => {});
      throw error;
    }
    if (this.closed) return void (await client.end().catch(() => {}));
    this.listener = client;
  }
}

/** This process's cache; it starts listening on its first lookup. */
export const eventTypeCache = new EventTypeCache({ databaseUrl: () => process.env.DATABASE_URL });

export function cachedEventType(name: string, now = Date.now()): Promise<EventTypeDetail | null> {
  return eventTypeCache.get(name, now);
}
